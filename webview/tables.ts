// The dashboard's cards and tables. Every chart card carries a table alternative (visually hidden until the
// "Table" toggle shows it, always in the accessibility tree), and every table row can apply the same filter as
// a click on the chart.
import type { ChartSpec } from './charts';
import { fmtBytes, fmtInt, fmtTime, h, plural } from './dom';
import type { RecordsPage } from '../src/shared/protocol';
import type { AnalysisSummary, TriggerSummary } from '../src/shared/summary';

export interface Row {
  key: string;
  label: string;
  flows: number;
  bytes: number;
  packets: number;
}

export interface CardSpec {
  id: string;
  title: string;
  keyHeader: string;
  rows: Row[];
  chart: ChartSpec | null;
  /** Text shown when there are no rows. */
  empty: string;
  note?: string;
  /** Applies the filter of row `index`. */
  onPick?: (index: number) => void;
  /** The filter a row applies, for its button's accessible name. */
  pickName?: (row: Row) => string;
  wide?: boolean;
}

export interface Card {
  spec: CardSpec;
  el: HTMLElement;
  canvas: HTMLCanvasElement | null;
}

export function buildCard(spec: CardSpec): Card {
  const titleId = `card-${spec.id}-title`;
  const tableId = `card-${spec.id}-table`;
  const el = h('section', {
    class: spec.wide ? 'card wide' : 'card',
    'data-card': spec.id,
    'aria-labelledby': titleId,
  });
  const heading = h('h3', { id: titleId }, spec.title);
  if (spec.rows.length === 0) {
    el.append(h('header', null, heading), h('p', { class: 'empty' }, spec.empty));
    return { spec, el, canvas: null };
  }
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'toggle',
      'aria-pressed': 'false',
      'aria-controls': tableId,
      title: 'Show the data as a table',
    },
    'Table',
  );
  el.append(h('header', null, heading, toggle));
  let canvas: HTMLCanvasElement | null = null;
  let chartWrap: HTMLElement | null = null;
  if (spec.chart) {
    canvas = h('canvas', { role: 'img', 'aria-label': `${spec.title}: chart. The table below holds the same values.` });
    chartWrap = h('div', { class: 'chart-wrap' }, canvas);
    // Horizontal bars get room for every label (set through the CSSOM, which the CSP allows).
    if (spec.chart.kind === 'bar' && spec.chart.horizontal)
      chartWrap.style.height = `${Math.max(150, spec.rows.length * 24 + 40)}px`;
    el.append(chartWrap);
  }
  const table = rowsTable(spec);
  const tableWrap = h('div', { class: spec.chart ? 'table-wrap sr-only' : 'table-wrap', id: tableId }, table);
  el.append(tableWrap);
  if (spec.note) el.append(h('p', { class: 'note' }, spec.note));
  if (!spec.chart) toggle.remove();
  toggle.addEventListener('click', () => {
    const showTable = toggle.getAttribute('aria-pressed') !== 'true';
    toggle.setAttribute('aria-pressed', String(showTable));
    tableWrap.classList.toggle('sr-only', !showTable);
    if (chartWrap) {
      chartWrap.classList.toggle('hidden', showTable);
      chartWrap.setAttribute('aria-hidden', String(showTable));
    }
  });
  return { spec, el, canvas };
}

function rowsTable(spec: CardSpec): HTMLTableElement {
  const body = h('tbody');
  spec.rows.forEach((row, i) => {
    const keyCell = spec.onPick
      ? h(
          'button',
          {
            type: 'button',
            class: 'link',
            'data-key': row.key,
            'aria-label': spec.pickName ? spec.pickName(row) : `Filter by ${row.label}`,
          },
          row.label,
        )
      : h('span', null, row.label);
    if (spec.onPick) {
      const pick = spec.onPick;
      keyCell.addEventListener('click', () => pick(i));
    }
    body.append(
      h(
        'tr',
        null,
        h('th', { scope: 'row' }, keyCell),
        h('td', { class: 'num' }, fmtInt(row.flows)),
        h('td', { class: 'num' }, fmtBytes(row.bytes)),
        h('td', { class: 'num' }, fmtInt(row.packets)),
      ),
    );
  });
  return h(
    'table',
    { class: 'data' },
    h('caption', { class: 'sr-only' }, spec.title),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, spec.keyHeader),
        h('th', { scope: 'col', class: 'num' }, 'Flows'),
        h('th', { scope: 'col', class: 'num' }, 'Bytes'),
        h('th', { scope: 'col', class: 'num' }, 'Packets'),
      ),
    ),
    body,
  );
}

export function mitreTable(summary: AnalysisSummary): HTMLElement {
  const rows = summary.security.mitre;
  const el = h(
    'section',
    { class: 'card wide', 'data-card': 'mitre', 'aria-labelledby': 'card-mitre-title' },
    h('header', null, h('h3', { id: 'card-mitre-title' }, 'MITRE ATT&CK')),
  );
  if (rows.length === 0) {
    el.append(h('p', { class: 'empty' }, 'No trigger with a MITRE ATT&CK mapping fired.'));
    return el;
  }
  const body = h('tbody');
  for (const r of rows)
    body.append(
      h(
        'tr',
        null,
        h('th', { scope: 'row' }, `${r.technique} ${r.techniqueName}`),
        h('td', null, `${r.tactic} (${r.tacticId})`),
        h('td', { class: 'num' }, fmtInt(r.hits)),
        h('td', { class: 'num' }, `${fmtInt(r.sources)}${r.sourcesApproximate ? '+' : ''}`),
      ),
    );
  el.append(
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data' },
        h('caption', { class: 'sr-only' }, 'MITRE ATT&CK techniques seen'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Technique'),
            h('th', { scope: 'col' }, 'Tactic'),
            h('th', { scope: 'col', class: 'num' }, 'Hits'),
            h('th', { scope: 'col', class: 'num' }, 'Sources'),
          ),
        ),
        body,
      ),
    ),
  );
  return el;
}

export function triggersTable(triggers: readonly TriggerSummary[]): HTMLElement {
  const body = h('tbody');
  for (const t of triggers)
    body.append(
      h(
        'tr',
        { 'data-trigger': t.id },
        h(
          'th',
          { scope: 'row' },
          t.name,
          h('div', { class: 'sub' }, t.id),
          h('div', { class: 'rule', title: t.rule }, t.rule),
        ),
        h(
          'td',
          null,
          t.actionable
            ? h('span', { class: 'badge alert' }, 'actionable')
            : h('span', { class: 'badge' }, 'informational'),
        ),
        t.mitre
          ? h(
              'td',
              null,
              h('div', null, `${t.mitre.technique} ${t.mitre.techniqueName}`),
              h('div', { class: 'sub' }, t.mitre.tactic),
            )
          : h('td', null, '—'),
        h('td', { class: 'num', 'data-count': t.count }, t.count > 0 ? hitsLink(t) : fmtInt(t.count)),
      ),
    );
  return h(
    'section',
    { class: 'card wide', 'aria-labelledby': 'card-triggers-title' },
    h('header', null, h('h3', { id: 'card-triggers-title' }, 'Triggers')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data triggers' },
        h('caption', { class: 'sr-only' }, 'Every trigger with its hit count'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Trigger'),
            h('th', { scope: 'col' }, 'Kind'),
            h('th', { scope: 'col' }, 'MITRE ATT&CK'),
            h('th', { scope: 'col', class: 'num' }, 'Hits'),
          ),
        ),
        body,
      ),
    ),
  );
}

/** The hit count as a button that scrolls to the trigger's hit list. */
function hitsLink(t: TriggerSummary): HTMLElement {
  const b = h(
    'button',
    { type: 'button', class: 'link', 'aria-label': `${fmtInt(t.count)} hits: show the list` },
    fmtInt(t.count),
  );
  b.addEventListener('click', () => {
    const target = document.getElementById(`hits-${t.id}`);
    target?.scrollIntoView({ block: 'start' });
    target?.closest('section')?.querySelector<HTMLElement>('button.hit')?.focus({ preventScroll: true });
  });
  return b;
}

const HITS_SHOWN = 100;

/** The hit lists of the triggers that fired; `lines` (when given) keeps only hits on those lines. */
export function hitLists(
  triggers: readonly TriggerSummary[],
  lines: ReadonlySet<number> | null,
  onReveal: (line: number) => void,
): HTMLElement {
  const el = h('div', { class: 'hit-lists' });
  let shownTotal = 0;
  for (const t of triggers) {
    const hits = lines ? t.hits.filter((x) => lines.has(x.line)) : t.hits;
    if (hits.length === 0) continue;
    shownTotal += hits.length;
    const list = h('ul', { class: 'hits', 'aria-label': `${t.name} hits` });
    const addItems = (from: number, to: number): void => {
      for (const hit of hits.slice(from, to)) {
        const button = h(
          'button',
          {
            type: 'button',
            class: 'hit link',
            'data-line': hit.line,
            'data-trigger': t.id,
            'aria-label': `Go to line ${hit.line}: ${hit.description}`,
          },
          `Line ${fmtInt(hit.line)}`,
        );
        button.addEventListener('click', () => onReveal(hit.line));
        list.append(h('li', null, button, h('span', { class: 'desc' }, hit.description)));
      }
    };
    addItems(0, HITS_SHOWN);
    const count = lines
      ? `${plural(hits.length, 'hit')} matching the filter`
      : t.hitsTruncated
        ? `${plural(t.count, 'hit')}, first ${fmtInt(t.hits.length)} listed`
        : plural(t.count, 'hit');
    const section = h(
      'section',
      { class: 'card wide hit-group', 'data-trigger': t.id, 'aria-labelledby': `hits-${t.id}` },
      h('header', null, h('h3', { id: `hits-${t.id}` }, t.name, ' ', h('span', { class: 'sub' }, count))),
      list,
    );
    if (hits.length > HITS_SHOWN) {
      const more = h('button', { type: 'button', class: 'secondary' }, `Show all ${fmtInt(hits.length)}`);
      more.addEventListener('click', () => {
        addItems(HITS_SHOWN, hits.length);
        more.remove();
      });
      section.append(more);
    }
    el.append(section);
  }
  if (shownTotal === 0)
    el.append(h('p', { class: 'empty' }, lines ? 'No trigger hit matches the filter.' : 'No trigger fired.'));
  return el;
}

export function recordsTable(page: RecordsPage, onReveal: (line: number) => void): HTMLElement {
  const head = h(
    'tr',
    null,
    h('th', { scope: 'col' }, 'line'),
    ...page.columns.map((c) => h('th', { scope: 'col' }, c)),
  );
  const body = h('tbody');
  for (const row of page.rows) {
    const button = h(
      'button',
      { type: 'button', class: 'link', 'data-line': row.line, 'aria-label': `Go to line ${row.line}` },
      fmtInt(row.line),
    );
    button.addEventListener('click', () => onReveal(row.line));
    const cells = row.values.map((v, i) => {
      const column = page.columns[i] ?? '';
      return h(
        'td',
        { 'data-col': column, title: column === 'start' || column === 'end' ? fmtTimeSafe(v) : undefined },
        v,
      );
    });
    body.append(h('tr', null, h('th', { scope: 'row' }, button), ...cells));
  }
  return h(
    'div',
    { class: 'table-wrap scroll', tabindex: 0, role: 'region', 'aria-label': 'Records' },
    h('table', { class: 'data records' }, h('thead', null, head), body),
  );
}

function fmtTimeSafe(v: string): string | undefined {
  return /^\d{9,13}$/.test(v) ? fmtTime(Number(v.length > 10 ? Number(v) / 1000 : v)) : undefined;
}

export function unparsedList(summary: AnalysisSummary, onReveal: (line: number) => void): HTMLElement | null {
  if (summary.totals.unparsedLines === 0) return null;
  const list = h('ul', { class: 'hits' });
  for (const u of summary.unparsed) {
    const button = h(
      'button',
      { type: 'button', class: 'link', 'data-line': u.line, 'aria-label': `Go to line ${u.line}` },
      `Line ${fmtInt(u.line)}`,
    );
    button.addEventListener('click', () => onReveal(u.line));
    list.append(h('li', null, button, h('span', { class: 'desc' }, u.reason)));
  }
  const more =
    summary.totals.unparsedLines > summary.unparsed.length ? ` (first ${fmtInt(summary.unparsed.length)} listed)` : '';
  return h(
    'section',
    { class: 'card wide', 'data-card': 'unparsed', 'aria-labelledby': 'card-unparsed-title' },
    h(
      'header',
      null,
      h('h3', { id: 'card-unparsed-title' }, `Unparsed lines: ${fmtInt(summary.totals.unparsedLines)}${more}`),
    ),
    list,
  );
}
