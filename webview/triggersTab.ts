// The Triggers tab: every trigger with its hit count (a trigger that fired filters by it), and the hit lists (a hit
// opens its line in the editor). With filters, the summary counts only the filtered records' hits.
import type { AnalysisSummary, TriggerSummary } from '../src/shared/summary';
import { clear, fmtInt, h, plural } from './dom';
import { fileTag, lineButton } from './filesTab';
import { triggerFilter } from './filterBar';
import type { DashboardStore } from './state';
import { queryButton } from './tables';

export function renderTriggersTab(panel: HTMLElement, store: DashboardStore): void {
  clear(panel);
  const s = store.summary;
  if (!s) return;
  const filtered = store.summaryFilters.length > 0;
  panel.append(
    triggersTable(
      s,
      (t) => store.addFilter(triggerFilter(t)),
      new Set(store.queryTargets.triggers),
      (t) => store.copyQuery('trigger', t.id),
    ),
    hitLists(s, filtered, (line, file) => store.reveal(line, file)),
  );
}

function triggersTable(
  summary: AnalysisSummary,
  onFilter: (t: TriggerSummary) => void,
  queryable: ReadonlySet<string>,
  onQuery: (t: TriggerSummary) => void,
): HTMLElement {
  const body = h('tbody');
  for (const t of summary.triggers) {
    let name: HTMLElement | string = t.name;
    if (t.count > 0) {
      const button = h(
        'button',
        { type: 'button', class: 'link', 'data-key': t.id, 'aria-label': `Filter by trigger ${t.name}` },
        t.name,
      );
      button.addEventListener('click', () => onFilter(t));
      name = button;
    }
    body.append(
      h(
        'tr',
        { 'data-trigger': t.id },
        h(
          'th',
          { scope: 'row' },
          name,
          h('div', { class: 'sub' }, t.id),
          h('div', { class: 'rule', title: t.rule }, t.rule),
          queryable.has(t.id) && queryButton(`Copy a query for trigger ${t.name}…`, () => onQuery(t)),
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
  }
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

/** The hit lists of the triggers that fired. */
function hitLists(
  summary: AnalysisSummary,
  filtered: boolean,
  onReveal: (line: number, file?: number) => void,
): HTMLElement {
  const el = h('div', { class: 'hit-lists' });
  let shownTotal = 0;
  for (const t of summary.triggers) {
    const hits = t.hits;
    if (hits.length === 0) continue;
    shownTotal += hits.length;
    const list = h('ul', { class: 'hits', 'aria-label': `${t.name} hits` });
    const addItems = (from: number, to: number): void => {
      for (const hit of hits.slice(from, to)) {
        const button = lineButton(summary, hit.line, hit.file, `Line ${fmtInt(hit.line)}`, onReveal, {
          class: 'hit link',
          trigger: t.id,
          about: hit.description,
        });
        list.append(h('li', null, button, fileTag(summary, hit.file), h('span', { class: 'desc' }, hit.description)));
      }
    };
    addItems(0, HITS_SHOWN);
    const what = filtered ? ' on the filtered records' : '';
    const count = t.hitsTruncated
      ? `${plural(t.count, 'hit')}${what}, first ${fmtInt(hits.length)} listed`
      : `${plural(t.count, 'hit')}${what}`;
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
    el.append(h('p', { class: 'empty' }, filtered ? 'No trigger hit on the filtered records.' : 'No trigger fired.'));
  return el;
}
