// The dashboard's head: title, badges and export buttons; notes (document closed, read from disk); the overview
// numbers of the summary on screen (of the filtered records when filters apply); the timing footer.
import type { AnalysisSummary } from '../src/shared/summary';
import type { DocumentInfo, ExportKind } from '../src/shared/protocol';
import { append, clear, fmtBytes, fmtInt, fmtTime, h, plural } from './dom';
import type { DashboardStore } from './state';

export class HeaderView {
  readonly header = h('header', { class: 'head' });
  readonly notes = h('div', { class: 'notes' });
  readonly overview = h('section', { class: 'overview', 'aria-label': 'Overview' });
  readonly footer = h('footer', { class: 'foot', 'data-testid': 'timing' });

  constructor(private readonly store: DashboardStore) {}

  render(): void {
    const { doc, summary } = this.store;
    clear(this.header);
    clear(this.notes);
    if (!doc || !summary) return;
    const badges = h('div', { class: 'badges' });
    badges.append(
      doc.origin === 'editor'
        ? h('span', { class: 'badge', title: 'The dashboard follows edits to the document' }, 'Live')
        : h(
            'span',
            { class: 'badge' },
            doc.origin === 'folder' ? `Folder: ${plural(summary.files?.length ?? 0, 'file')}` : 'From disk',
          ),
    );
    if (doc.closed) badges.append(h('span', { class: 'badge alert', 'data-testid': 'closed' }, 'Document closed'));
    const exportBar = h('div', { class: 'actions', role: 'group', 'aria-label': 'Export' });
    const exportButton = (kind: ExportKind, text: string, title: string): void => {
      const b = h('button', { type: 'button', class: 'secondary', 'data-export': kind, title }, text);
      b.addEventListener('click', () => this.store.exportData(kind));
      exportBar.append(b);
    };
    exportButton(
      'summary-json',
      'Export summary (JSON)',
      'Save the analysis summary (of the filtered records) as JSON',
    );
    exportButton('hits-csv', 'Export hits (CSV)', 'Save the trigger hits (of the filtered records) as CSV');
    exportButton('records-csv', 'Export records (CSV)', 'Save the records (matching the filters) as CSV');
    this.header.append(h('div', { class: 'title' }, h('h1', null, doc.name), badges), exportBar);
    if (doc.closed)
      this.notes.append(
        h(
          'p',
          { class: 'note warn', role: 'status' },
          'The document was closed. The dashboard shows its last analysis; reopen it to follow edits again.',
        ),
      );
    if (doc.note) this.notes.append(h('p', { class: 'note', 'data-testid': 'disk-note' }, doc.note));
    this.renderOverview(summary, doc);
  }

  /** A message from the host about the summary on screen (e.g. a failed re-analysis). */
  alert(message: string): void {
    this.notes.append(h('p', { class: 'note warn', role: 'alert' }, message));
  }

  private renderOverview(s: AnalysisSummary, d: DocumentInfo): void {
    clear(this.overview);
    const t = s.totals;
    const range = s.timeRange ? `${fmtTime(s.timeRange.start)} → ${fmtTime(s.timeRange.end)}` : '—';
    const label = d.formatLabel || (s.formats[0]?.label ?? '');
    const source = d.formatLabel ? d.formatSource : (s.formats[0]?.source ?? '');
    const format = !label ? '—' : !source || label.toLowerCase().includes(source) ? label : `${label} (${source})`;
    this.overview.append(
      h(
        'dl',
        null,
        metric('records', 'Flows', fmtInt(t.records), t.records),
        metric('bytes', 'Bytes', fmtBytes(t.bytes), t.bytes, `${fmtInt(t.bytes)} bytes`),
        metric('accepted', 'Accepted', fmtInt(t.accepted), t.accepted),
        metric('rejected', 'Rejected', fmtInt(t.rejected), t.rejected),
        metric('alerts', 'Alerts', fmtInt(t.alerts), t.alerts, 'Records that fired an actionable trigger'),
        metric('unparsed', 'Unparsed lines', fmtInt(t.unparsedLines), t.unparsedLines),
        metric('timeRange', 'Time range', range, s.timeRange ? `${s.timeRange.start}-${s.timeRange.end}` : ''),
        metric('format', 'Format', format, format),
      ),
    );
  }

  renderFooter(drawMs?: number): void {
    const footer = this.footer;
    clear(footer);
    if (drawMs !== undefined) footer.setAttribute('data-draw-ms', drawMs.toFixed(1));
    const draw = footer.getAttribute('data-draw-ms');
    const timing = this.store.timingText;
    append(
      footer,
      h('span', null, draw ? `Drawn in ${Math.round(Number(draw))} ms` : ''),
      timing ? h('span', null, ` · ${timing}`) : null,
    );
  }
}

function metric(name: string, label: string, display: string, value: number | string, title?: string): HTMLElement {
  return h(
    'div',
    { class: 'metric', 'data-metric': name, 'data-value': value, title },
    h('dt', null, label),
    h('dd', null, display),
  );
}
