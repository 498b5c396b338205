// The Records tab: the first records the filters select (a line number opens it in the editor), how many match, and
// the unparsed lines. Cells are raw log text: they only ever become text nodes.
import type { RecordsPage } from '../src/shared/protocol';
import type { AnalysisSummary } from '../src/shared/summary';
import { clear, fmtInt, fmtTime, h, plural } from './dom';
import { fileTag, lineButton } from './filesTab';
import type { DashboardStore } from './state';

export function renderRecordsTab(panel: HTMLElement, store: DashboardStore): void {
  clear(panel);
  const summary = store.summary;
  if (!summary) return;
  const reveal = (line: number, file?: number): void => store.reveal(line, file);
  const { page, error } = store.records;
  if (!store.upToDate) panel.append(h('p', { class: 'loading', role: 'status' }, 'Filtering the records…'));
  else if (error) panel.append(h('p', { class: 'error', role: 'alert' }, error));
  else if (!page) panel.append(h('p', { class: 'loading', role: 'status' }, 'Reading the records…'));
  else {
    const shown = page.rows.length;
    const what =
      store.summaryFilters.length > 0
        ? `${plural(page.matched, 'record')} ${page.matched === 1 ? 'matches' : 'match'} the filters`
        : plural(page.matched, 'record');
    panel.append(
      h(
        'p',
        { class: 'sub', role: 'status', 'data-testid': 'records-status', 'data-matched': page.matched },
        shown < page.matched ? `${what}; the first ${fmtInt(shown)} are listed. Export them all as CSV.` : `${what}.`,
      ),
    );
    if (shown > 0) panel.append(recordsTable(summary, page, reveal));
  }
  const unparsed = unparsedList(summary, (line, file) => store.reveal(line, file));
  if (unparsed) panel.append(unparsed);
}

function recordsTable(
  summary: AnalysisSummary,
  page: RecordsPage,
  onReveal: (line: number, file?: number) => void,
): HTMLElement {
  const head = h(
    'tr',
    null,
    h('th', { scope: 'col' }, 'line'),
    ...page.columns.map((c) => h('th', { scope: 'col' }, c)),
  );
  const body = h('tbody');
  for (const row of page.rows) {
    const button = lineButton(summary, row.line, row.file, fmtInt(row.line), onReveal);
    const cells = row.values.map((v, i) => {
      const column = page.columns[i] ?? '';
      return h(
        'td',
        { 'data-col': column, title: column === 'start' || column === 'end' ? fmtTimeSafe(v) : undefined },
        v,
      );
    });
    body.append(h('tr', null, h('th', { scope: 'row' }, button, fileTag(summary, row.file)), ...cells));
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

function unparsedList(summary: AnalysisSummary, onReveal: (line: number, file?: number) => void): HTMLElement | null {
  if (summary.totals.unparsedLines === 0) return null;
  const list = h('ul', { class: 'hits' });
  for (const u of summary.unparsed) {
    const button = lineButton(summary, u.line, u.file, `Line ${fmtInt(u.line)}`, onReveal);
    list.append(h('li', null, button, fileTag(summary, u.file), h('span', { class: 'desc' }, u.reason)));
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
