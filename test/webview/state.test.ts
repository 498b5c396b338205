// The dashboard webview's state (webview/state.ts) in plain Node: which filters a click leaves, what is saved for a
// reload, which host answers are stale. The VS Code webview API is a recording fake.
import { strict as assert } from 'node:assert';
import type { DashboardState, Filter, RecordsPage, WebviewMessage } from '../../src/shared/protocol';
import type { AnalysisSummary } from '../../src/shared/summary';
import type { DashboardStore } from '../../webview/state';

interface FakeApi {
  posted: WebviewMessage[];
  saved: DashboardState | undefined;
}

async function store(restored?: unknown): Promise<{ s: DashboardStore; api: FakeApi }> {
  const api: FakeApi = { posted: [], saved: undefined };
  (globalThis as { acquireVsCodeApi?: unknown }).acquireVsCodeApi = () => ({
    postMessage: (m: WebviewMessage) => api.posted.push(m),
    getState: () => restored,
    setState: (state: DashboardState) => (api.saved = state),
  });
  const { DashboardStore } = await import('../../webview/state');
  return { s: new DashboardStore(), api };
}

const doc = {
  uri: 'file:///a.log',
  name: 'a.log',
  origin: 'editor',
  closed: false,
  formatLabel: '',
  formatSource: '',
} as const;
const summary = (records: number): AnalysisSummary => ({ totals: { records } }) as unknown as AnalysisSummary;
const tcp: Filter = { dimension: 'protocol', key: '6', label: 'Protocol TCP (6)' };
const udp: Filter = { dimension: 'protocol', key: '17', label: 'Protocol UDP (17)' };
const port: Filter = { dimension: 'dstport', key: '22', label: 'Destination port 22 (ssh)' };
const ssh: Filter = { dimension: 'trigger', key: 'ssh-blocked', label: 'Trigger SSH' };
const rdp: Filter = { dimension: 'trigger', key: 'rdp-blocked', label: 'Trigger RDP' };
const lastSetFilters = (api: FakeApi): readonly Filter[] | undefined => {
  const m = api.posted.filter((x) => x.type === 'setFilters').pop();
  return m?.type === 'setFilters' ? m.filters : undefined;
};

describe('webview state', () => {
  it('a click adds a chip (AND); a second value of a single-valued dimension replaces the first', async () => {
    const { s, api } = await store();
    s.receiveSummary(doc, summary(10), []);
    s.addFilter(tcp);
    s.addFilter(port);
    assert.deepEqual(s.filters, [tcp, port]);
    s.addFilter(tcp); // already there: nothing changes
    assert.deepEqual(s.filters, [tcp, port]);
    s.addFilter(udp); // a record has one protocol: UDP replaces TCP
    assert.deepEqual(s.filters, [port, udp]);
    s.addFilter(ssh);
    s.addFilter(rdp); // a record can fire several triggers: both stay
    assert.deepEqual(s.filters, [port, udp, ssh, rdp]);
    assert.deepEqual(lastSetFilters(api), [port, udp, ssh, rdp]);
    s.removeFilter(1);
    assert.deepEqual(s.filters, [port, ssh, rdp]);
    s.clearFilters();
    assert.deepEqual(lastSetFilters(api), []);
  });

  it('saves the filters with the tab for a reload, and sends them with ready', async () => {
    const { s, api } = await store();
    s.setDoc(doc);
    s.addFilter(tcp);
    s.selectTab('security');
    assert.deepEqual(api.saved, { uri: doc.uri, origin: 'editor', tab: 'security', filters: [tcp] });
    const reloaded = await store(api.saved);
    reloaded.s.ready();
    assert.deepEqual(reloaded.api.posted, [{ type: 'ready', filters: [tcp] }]);
    assert.equal(reloaded.s.tab, 'security');
  });

  it('shows only the summary of the active filters; until it comes the dashboard is filtering', async () => {
    const { s } = await store();
    s.receiveSummary(doc, summary(100), []);
    s.addFilter(tcp);
    assert.equal(s.upToDate, false);
    assert.ok(s.filtering);
    s.receiveFiltering([tcp], 0.5, undefined);
    assert.equal(s.filtering?.fraction, 0.5);
    s.addFilter(port);
    s.receiveSummary(doc, summary(60), [tcp]); // answered before the host saw the port: stale
    assert.equal(s.summary?.totals.records, 100);
    s.receiveFiltering([tcp], 0.9, undefined); // progress of the old run: ignored
    assert.equal(s.filtering?.fraction, null);
    s.receiveSummary(doc, summary(7), [tcp, port]);
    assert.equal(s.summary?.totals.records, 7);
    assert.equal(s.upToDate, true);
    assert.equal(s.filtering, null);
  });

  it('asks for the records of the shown filters once, and drops a page of an older summary', async () => {
    const { s, api } = await store();
    s.selectTab('records');
    assert.equal(api.posted.length, 0, 'no summary yet: nothing to ask');
    s.receiveSummary(doc, summary(5), []);
    const requests = (): WebviewMessage[] => api.posted.filter((m) => m.type === 'requestRecords');
    assert.equal(requests().length, 1);
    const first = requests()[0];
    assert.ok(first?.type === 'requestRecords');
    s.ensureRecords(); // already on its way
    assert.equal(requests().length, 1);
    s.addFilter(port);
    s.receiveSummary(doc, summary(2), [port]);
    const second = requests()[1];
    assert.ok(second?.type === 'requestRecords');
    assert.deepEqual(second.filters, [port]);
    const page: RecordsPage = { columns: [], rows: [], matched: 5, scanned: 5, limit: 200 };
    const matched = (): number | undefined => s.records.page?.matched;
    s.receiveRecords(first.requestId, page, undefined); // the whole file's page, too late
    assert.equal(matched(), undefined);
    s.receiveRecords(second.requestId, { ...page, matched: 2 }, undefined);
    assert.equal(matched(), 2);
  });
});
