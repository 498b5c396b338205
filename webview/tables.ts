// A dashboard card: a chart with its table alternative (visually hidden until the "Table" toggle shows it, always in
// the accessibility tree); every table row can add the same filter as a click on the chart.
import type { FilterDimension } from '../src/shared/protocol';
import type { ChartSpec } from './charts';
import { fmtBytes, fmtInt, h } from './dom';

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
  /** The row dimension of the card's rows (what has a query is keyed by it). */
  dimension?: FilterDimension;
  /** "Query…": posts the card's table id to the host, which compiles its query for an engine. */
  onQuery?: () => void;
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
  const query = spec.onQuery ? queryButton(`Copy a query for the table ${spec.title}…`, spec.onQuery) : null;
  if (spec.rows.length === 0) {
    el.append(
      h('header', null, heading, h('span', { class: 'actions' }, query)),
      h('p', { class: 'empty' }, spec.empty),
    );
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
  el.append(h('header', null, heading, h('span', { class: 'actions' }, query, toggle)));
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

/** A small "Query…" button: copies the query of a trigger or table for an engine the host asks for. */
export function queryButton(label: string, onClick: () => void): HTMLButtonElement {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'query',
      'aria-label': label,
      title: 'VPC Flow: Copy Query for… (Athena, Logs Insights, metric filter, DuckDB)',
    },
    'Query…',
  );
  button.addEventListener('click', onClick);
  return button;
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
