// The dashboard webview: overview strip, Network / Security / Triggers / Records tabs, filter chip, exports.
// It receives aggregates (the AnalysisSummary) and bounded record pages from the host; it keeps only UI state
// (tab, filter) and the document URI in setState. All log text becomes Text nodes (see dom.ts).
import {
  DASHBOARD_TABS,
  assertNever,
  isDashboardState,
  type DashboardState,
  type DashboardTab,
  type DocumentInfo,
  type ExportKind,
  type Filter,
  type FilterDimension,
  type HostMessage,
  type RecordsPage,
  type WebviewMessage,
} from '../src/shared/protocol';
import type { AnalysisSummary, TimeSeries, TopRow, TopTable } from '../src/shared/summary';
import { applyTheme, drawChart, readTheme, type Chart, type ChartSpec } from './charts';
import { append, clear, fmtBucket, fmtBytes, fmtInt, fmtTime, h, plural } from './dom';
import {
  buildCard,
  hitLists,
  mitreTable,
  recordsTable,
  triggersTable,
  unparsedList,
  type Card,
  type CardSpec,
  type Row,
} from './tables';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: DashboardState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

const TAB_LABELS: Record<DashboardTab, string> = {
  network: 'Network',
  security: 'Security',
  triggers: 'Triggers',
  records: 'Records',
};

const restored = vscode.getState();
const ui: { tab: DashboardTab; filter: Filter | null } = isDashboardState(restored)
  ? { tab: restored.tab, filter: restored.filter }
  : { tab: 'network', filter: null };

let doc: DocumentInfo | null = null;
let summary: AnalysisSummary | null = null;
let cards: Partial<Record<DashboardTab, Card[]>> = {};
let charts: Chart[] = [];
let drawnTab: DashboardTab | null = null;
let requestId = 0;
/** Hit lines matching the filter (from the host); null = no filter or not known yet. */
let filteredHitLines: Set<number> | null = null;
let recordsPage: RecordsPage | null = null;
let recordsError: string | null = null;
let recordsPending = false;
let timingText = '';

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function saveState(): void {
  if (doc) vscode.setState({ uri: doc.uri, origin: doc.origin, tab: ui.tab, filter: ui.filter });
}

// ---------------------------------------------------------------------------------------------------------------
// Filters

const DIMENSION_NAMES: Record<FilterDimension, string> = {
  protocol: 'Protocol',
  dstport: 'Destination port',
  talker: 'Source',
  conversation: 'Conversation',
  region: 'Region',
  az: 'AZ',
  vpc: 'VPC',
  interface: 'Interface',
  flowDirection: 'Flow direction',
  trafficPath: 'Traffic path',
  blockedSource: 'Blocked source',
  blockedPort: 'Blocked port',
  time: 'Accepted flows starting',
  rejectedTime: 'Rejected flows starting',
  action: 'Action',
  trigger: 'Trigger',
  mitre: 'MITRE technique',
};

function rowFilter(dimension: FilterDimension, row: TopRow | Row): Filter {
  return { dimension, key: row.key, label: `${DIMENSION_NAMES[dimension]} ${row.label}` };
}

function setFilter(filter: Filter | null): void {
  ui.filter = filter;
  filteredHitLines = null;
  recordsPage = null;
  recordsError = null;
  saveState();
  renderFilterBar();
  if (filter || ui.tab === 'records') requestRecords();
  renderTriggersPanel();
  renderRecordsPanel();
}

function requestRecords(): void {
  requestId++;
  recordsPending = true;
  post({ type: 'requestRecords', requestId, filter: ui.filter });
}

// ---------------------------------------------------------------------------------------------------------------
// Layout

const header = h('header', { class: 'head' });
const notes = h('div', { class: 'notes' });
const overview = h('section', { class: 'overview', 'aria-label': 'Overview' });
const filterBar = h('div', { class: 'filter-bar', role: 'status', 'aria-live': 'polite' });
const tablist = h('div', { role: 'tablist', 'aria-label': 'Dashboard views', class: 'tabs' });
const panels = {} as Record<DashboardTab, HTMLElement>;
const tabs = {} as Record<DashboardTab, HTMLButtonElement>;
const footer = h('footer', { class: 'foot', 'data-testid': 'timing' });

for (const tab of DASHBOARD_TABS) {
  const button = h(
    'button',
    {
      type: 'button',
      role: 'tab',
      id: `tab-${tab}`,
      'aria-controls': `panel-${tab}`,
      'aria-selected': 'false',
      tabindex: -1,
      'data-tab': tab,
    },
    TAB_LABELS[tab],
  );
  button.addEventListener('click', () => selectTab(tab, false));
  tabs[tab] = button;
  tablist.append(button);
  panels[tab] = h('section', {
    role: 'tabpanel',
    id: `panel-${tab}`,
    'aria-labelledby': `tab-${tab}`,
    tabindex: 0,
    class: 'panel',
    hidden: true,
    'data-panel': tab,
  });
}

tablist.addEventListener('keydown', (e) => {
  const i = DASHBOARD_TABS.indexOf(ui.tab);
  let next: number | null = null;
  if (e.key === 'ArrowRight') next = (i + 1) % DASHBOARD_TABS.length;
  else if (e.key === 'ArrowLeft') next = (i - 1 + DASHBOARD_TABS.length) % DASHBOARD_TABS.length;
  else if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = DASHBOARD_TABS.length - 1;
  if (next === null) return;
  e.preventDefault();
  const tab = DASHBOARD_TABS[next];
  if (tab) selectTab(tab, true);
});

function selectTab(tab: DashboardTab, focus: boolean): void {
  ui.tab = tab;
  saveState();
  for (const t of DASHBOARD_TABS) {
    const selected = t === tab;
    tabs[t].setAttribute('aria-selected', String(selected));
    tabs[t].tabIndex = selected ? 0 : -1;
    panels[t].hidden = !selected;
  }
  if (focus) tabs[tab].focus();
  drawTab(tab);
  if (tab === 'records' && !recordsPage && !recordsPending) requestRecords();
}

function showMessage(text: string, kind: 'loading' | 'error'): void {
  app.setAttribute('aria-busy', String(kind === 'loading'));
  clear(app);
  app.append(h('p', { class: kind, role: kind === 'error' ? 'alert' : 'status' }, text));
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

function renderHeader(): void {
  clear(header);
  clear(notes);
  if (!doc || !summary) return;
  const badges = h('div', { class: 'badges' });
  badges.append(
    doc.origin === 'editor'
      ? h('span', { class: 'badge', title: 'The dashboard follows edits to the document' }, 'Live')
      : h('span', { class: 'badge' }, 'From disk'),
  );
  if (doc.closed) badges.append(h('span', { class: 'badge alert', 'data-testid': 'closed' }, 'Document closed'));
  const exportBar = h('div', { class: 'actions', role: 'group', 'aria-label': 'Export' });
  const exportButton = (kind: ExportKind, text: string, title: string): void => {
    const b = h('button', { type: 'button', class: 'secondary', 'data-export': kind, title }, text);
    b.addEventListener('click', () =>
      post({ type: 'export', kind, filter: kind === 'summary-json' ? null : ui.filter }),
    );
    exportBar.append(b);
  };
  exportButton('summary-json', 'Export summary (JSON)', 'Save the analysis summary as JSON');
  exportButton('hits-csv', 'Export hits (CSV)', 'Save the trigger hits (matching the filter) as CSV');
  exportButton('records-csv', 'Export records (CSV)', 'Save the records (matching the filter) as CSV');
  header.append(h('div', { class: 'title' }, h('h1', null, doc.name), badges), exportBar);
  if (doc.closed)
    notes.append(
      h(
        'p',
        { class: 'note warn', role: 'status' },
        'The document was closed. The dashboard shows its last analysis; reopen it to follow edits again.',
      ),
    );
  if (doc.note) notes.append(h('p', { class: 'note', 'data-testid': 'disk-note' }, doc.note));
}

function metric(name: string, label: string, display: string, value: number | string, title?: string): HTMLElement {
  return h(
    'div',
    { class: 'metric', 'data-metric': name, 'data-value': value, title },
    h('dt', null, label),
    h('dd', null, display),
  );
}

function renderOverview(s: AnalysisSummary, d: DocumentInfo): void {
  clear(overview);
  const t = s.totals;
  const range = s.timeRange ? `${fmtTime(s.timeRange.start)} → ${fmtTime(s.timeRange.end)}` : '—';
  const label = d.formatLabel || (s.formats[0]?.label ?? '');
  const source = d.formatLabel ? d.formatSource : (s.formats[0]?.source ?? '');
  const format = !label ? '—' : !source || label.toLowerCase().includes(source) ? label : `${label} (${source})`;
  const dl = h(
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
  );
  overview.append(dl);
}

function renderFilterBar(): void {
  clear(filterBar);
  if (!ui.filter) return;
  const clearButton = h(
    'button',
    { type: 'button', class: 'chip-clear', 'aria-label': 'Clear filter', title: 'Clear filter' },
    '×',
  );
  clearButton.addEventListener('click', () => setFilter(null));
  filterBar.append(
    h(
      'span',
      { class: 'chip', 'data-testid': 'filter-chip' },
      h('span', { class: 'chip-label' }, 'Filter: ', ui.filter.label),
      clearButton,
    ),
    h('span', { class: 'sub' }, ' applies to the trigger hits and the records'),
  );
}

function topRows(t: TopTable): Row[] {
  return t.rows.map((r) => ({ key: r.key, label: r.label, flows: r.flows, bytes: r.bytes, packets: r.packets }));
}

function approxNote(t: TopTable): string | undefined {
  return t.approximate
    ? `Approximate: more than ${fmtInt(t.distinct)} distinct values; the top rows come from a heavy-hitter sketch.`
    : undefined;
}

function topCard(
  id: string,
  title: string,
  keyHeader: string,
  table: TopTable,
  dimension: FilterDimension,
  kind: 'bar' | 'doughnut',
  metricName: 'flows' | 'bytes',
  empty: string,
  color: string,
): CardSpec {
  const rows = topRows(table);
  const values = rows.map((r) => (metricName === 'bytes' ? r.bytes : r.flows));
  const labels = rows.map((r) => r.label);
  const chart: ChartSpec =
    kind === 'doughnut'
      ? { kind: 'doughnut', labels, values, metric: metricName, label: metricName }
      : {
          kind: 'bar',
          labels,
          values,
          metric: metricName,
          color,
          horizontal: true,
          label: metricName === 'bytes' ? 'Bytes' : 'Flows',
        };
  return {
    id,
    title,
    keyHeader,
    rows,
    chart,
    empty,
    note: approxNote(table),
    onPick: (i) => {
      const row = rows[i];
      if (row) setFilter(rowFilter(dimension, row));
    },
    pickName: (row) => `Filter by ${DIMENSION_NAMES[dimension]} ${row.label}`,
  };
}

function timeCard(
  id: string,
  title: string,
  series: TimeSeries,
  dimension: 'time' | 'rejectedTime',
  withBytes: boolean,
  color: string,
  empty: string,
): CardSpec {
  const rows: Row[] = series.points.map((p) => ({
    key: String(p.t),
    label: fmtBucket(p.t, series.bucketSeconds),
    flows: p.flows,
    bytes: p.bytes,
    packets: p.packets,
  }));
  return {
    id,
    title,
    keyHeader: `Start (UTC, ${series.bucketSeconds} s buckets)`,
    rows,
    chart: {
      kind: 'time',
      labels: rows.map((r) => r.label),
      flows: rows.map((r) => r.flows),
      bytes: withBytes ? rows.map((r) => r.bytes) : null,
      flowsLabel: dimension === 'time' ? 'Accepted flows' : 'Rejected flows',
      color,
    },
    empty,
    wide: true,
    onPick: (i) => {
      const p = series.points[i];
      if (p)
        setFilter({
          dimension,
          key: String(p.t),
          end: p.t + series.bucketSeconds,
          label: `${DIMENSION_NAMES[dimension]} ${fmtTime(p.t)} + ${series.bucketSeconds} s`,
        });
    },
    pickName: (row) => `Filter by flows starting in the bucket ${row.label}`,
  };
}

function buildCards(s: AnalysisSummary): void {
  const theme = readTheme();
  const n = s.network;
  const sec = s.security;
  const none = (what: string): string => `No accepted record carries ${what}.`;
  cards = {
    network: [
      timeCard(
        'netTime',
        'Accepted flows and bytes over time',
        n.overTime,
        'time',
        true,
        theme.accepted,
        'No accepted record has a start time.',
      ),
      topCard(
        'protocols',
        'Protocols',
        'Protocol',
        n.protocols,
        'protocol',
        'doughnut',
        'flows',
        none('a protocol'),
        theme.accepted,
      ),
      topCard(
        'dstPorts',
        'Top destination ports',
        'Port (service)',
        n.dstPorts,
        'dstport',
        'bar',
        'flows',
        none('a destination port'),
        theme.accepted,
      ),
      topCard(
        'talkers',
        'Top talkers (sources by bytes)',
        'Source',
        n.talkers,
        'talker',
        'bar',
        'bytes',
        none('a source address'),
        theme.accepted,
      ),
      topCard(
        'conversations',
        'Top conversations (by bytes)',
        'Conversation',
        n.conversations,
        'conversation',
        'bar',
        'bytes',
        none('both addresses'),
        theme.accepted,
      ),
      topCard(
        'regions',
        'Regions',
        'Region',
        n.regions,
        'region',
        'doughnut',
        'flows',
        'This format has no region field (v3+ custom formats add it).',
        theme.accepted,
      ),
      topCard(
        'azs',
        'Availability Zones',
        'AZ id',
        n.azs,
        'az',
        'bar',
        'flows',
        'This format has no az-id field.',
        theme.accepted,
      ),
      topCard(
        'flowDirection',
        'Flow direction',
        'Direction',
        n.flowDirection,
        'flowDirection',
        'doughnut',
        'flows',
        'This format has no flow-direction field (v5).',
        theme.accepted,
      ),
      topCard(
        'trafficPath',
        'Traffic path',
        'Path',
        n.trafficPath,
        'trafficPath',
        'bar',
        'flows',
        'This format has no traffic-path field (v5).',
        theme.accepted,
      ),
      topCard('vpcs', 'VPCs', 'VPC', n.vpcs, 'vpc', 'bar', 'flows', 'This format has no vpc-id field.', theme.accepted),
      topCard(
        'interfaces',
        'Top network interfaces',
        'Interface',
        n.interfaces,
        'interface',
        'bar',
        'flows',
        none('an interface-id'),
        theme.accepted,
      ),
    ].map(buildCard),
    security: [
      timeCard(
        'secTime',
        'Rejected flows over time',
        sec.overTime,
        'rejectedTime',
        false,
        theme.rejected,
        'No rejected record has a start time.',
      ),
      topCard(
        'blockedSources',
        'Top blocked sources',
        'Source',
        sec.blockedSources,
        'blockedSource',
        'bar',
        'flows',
        'No rejected record.',
        theme.rejected,
      ),
      topCard(
        'blockedPorts',
        'Top blocked ports',
        'Port (service)',
        sec.blockedPorts,
        'blockedPort',
        'bar',
        'flows',
        'No rejected record with a destination port.',
        theme.rejected,
      ),
    ].map(buildCard),
  };
}

function renderTabsContent(s: AnalysisSummary): void {
  for (const tab of ['network', 'security'] as const) {
    clear(panels[tab]);
    const grid = h('div', { class: 'grid' });
    for (const card of cards[tab] ?? []) grid.append(card.el);
    if (tab === 'security') grid.append(mitreTable(s));
    panels[tab].append(grid);
  }
  renderTriggersPanel();
  renderRecordsPanel();
}

function reveal(line: number): void {
  post({ type: 'reveal', line });
}

function renderTriggersPanel(): void {
  const panel = panels.triggers;
  clear(panel);
  if (!summary) return;
  const lines = ui.filter ? filteredHitLines : null;
  panel.append(triggersTable(summary.triggers));
  if (ui.filter && !filteredHitLines) {
    panel.append(h('p', { class: 'loading', role: 'status' }, recordsError ?? 'Filtering the trigger hits…'));
    return;
  }
  panel.append(hitLists(summary.triggers, lines, reveal));
}

function renderRecordsPanel(): void {
  const panel = panels.records;
  clear(panel);
  if (!summary) return;
  if (recordsError) panel.append(h('p', { class: 'error', role: 'alert' }, recordsError));
  else if (!recordsPage) panel.append(h('p', { class: 'loading', role: 'status' }, 'Reading the records…'));
  else {
    const p = recordsPage;
    const shown = p.rows.length;
    const what = ui.filter ? `${plural(p.matched, 'record')} match the filter` : `${plural(p.matched, 'record')}`;
    panel.append(
      h(
        'p',
        { class: 'sub', role: 'status', 'data-testid': 'records-status', 'data-matched': p.matched },
        shown < p.matched ? `${what}; the first ${fmtInt(shown)} are listed. Export them all as CSV.` : `${what}.`,
      ),
    );
    if (shown > 0) panel.append(recordsTable(p, reveal));
  }
  const unparsed = unparsedList(summary, reveal);
  if (unparsed) panel.append(unparsed);
}

function destroyCharts(): void {
  for (const c of charts) c.destroy();
  charts = [];
  drawnTab = null;
}

/** Draws the charts of one tab (only the visible tab has a size; the others are drawn when shown). */
function drawTab(tab: DashboardTab): void {
  if (drawnTab === tab) return;
  destroyCharts();
  const list = cards[tab];
  if (!list) return;
  const theme = readTheme();
  applyTheme(theme);
  for (const card of list) {
    if (!card.canvas || !card.spec.chart) continue;
    const pick = card.spec.onPick;
    charts.push(drawChart(card.canvas, card.spec.chart, theme, pick));
  }
  drawnTab = tab;
}

function renderSummary(d: DocumentInfo, s: AnalysisSummary): void {
  const t0 = performance.now();
  const first = summary === null;
  doc = d;
  summary = s;
  saveState();
  if (first || !app.contains(tablist)) {
    clear(app);
    append(app, header, notes, overview, filterBar, tablist, ...DASHBOARD_TABS.map((t) => panels[t]), footer);
  }
  app.setAttribute('aria-busy', 'false');
  destroyCharts();
  renderHeader();
  renderOverview(s, d);
  renderFilterBar();
  buildCards(s);
  // A new analysis invalidates the hit lines and the records page of the filter.
  filteredHitLines = null;
  recordsPage = null;
  recordsError = null;
  renderTabsContent(s);
  selectTab(ui.tab, false);
  if (ui.filter && ui.tab !== 'records') requestRecords();
  requestAnimationFrame(() => {
    const ms = performance.now() - t0;
    app.setAttribute('data-rendered', 'true');
    app.setAttribute('data-render-ms', ms.toFixed(1));
    renderFooter(ms);
    post({ type: 'rendered', ms, records: s.totals.records });
  });
}

function renderFooter(drawMs?: number): void {
  clear(footer);
  if (drawMs !== undefined) footer.setAttribute('data-draw-ms', drawMs.toFixed(1));
  const draw = footer.getAttribute('data-draw-ms');
  append(
    footer,
    h('span', null, draw ? `Drawn in ${Math.round(Number(draw))} ms` : ''),
    timingText ? h('span', null, ` · ${timingText}`) : null,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const m = event.data;
  switch (m.type) {
    case 'loading':
      doc = m.doc;
      saveState();
      if (!summary) showMessage(m.message, 'loading');
      return;
    case 'summary':
      renderSummary(m.doc, m.summary);
      return;
    case 'document':
      doc = m.doc;
      if (summary) renderHeader();
      return;
    case 'records':
      if (m.requestId !== requestId) return;
      recordsPending = false;
      recordsPage = m.page;
      recordsError = m.error ?? null;
      filteredHitLines = m.page ? new Set(m.page.hitLines) : null;
      renderTriggersPanel();
      renderRecordsPanel();
      return;
    case 'timing':
      timingText = `charts drawn ${fmtInt(m.commandToDrawnMs)} ms after the command${m.analysisMs !== null ? ` (analysis ${fmtInt(m.analysisMs)} ms${m.summarySentMs !== null ? `, data sent at ${fmtInt(m.summarySentMs)} ms` : ''})` : ''}`;
      footer.setAttribute('data-command-to-drawn-ms', String(m.commandToDrawnMs));
      renderFooter();
      return;
    case 'error':
      if (!summary) showMessage(m.message, 'error');
      else notes.append(h('p', { class: 'note warn', role: 'alert' }, m.message));
      return;
    default:
      assertNever(m);
  }
});

// Redraw the visible charts when the theme changes (VS Code swaps the body classes and the --vscode-* variables).
new MutationObserver(() => {
  if (!summary) return;
  const tab = ui.tab;
  destroyCharts();
  drawTab(tab);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

post({ type: 'ready' });
