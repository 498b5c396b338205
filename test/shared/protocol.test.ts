import { strict as assert } from 'node:assert';
import {
  MAX_FILTERS,
  MAX_STATE_INPUTS,
  assertNever,
  filtersKey,
  isDashboardState,
  isFilter,
  isWebviewMessage,
  restoreDashboardState,
  type Filter,
} from '../../src/shared/protocol';

describe('protocol', () => {
  const port: Filter = { dimension: 'dstport', key: '22', label: 'Destination port 22 (ssh)' };
  const reject: Filter = { dimension: 'action', key: 'REJECT', label: 'Action REJECT' };
  const bucket: Filter = { dimension: 'time', key: '1418530010', end: 1418530070, label: 't' };

  describe('isWebviewMessage', () => {
    it('accepts every well-formed message', () => {
      const ok: unknown[] = [
        { type: 'ready', filters: [] },
        { type: 'ready', filters: [port, reject] },
        { type: 'setFilters', filters: [] },
        { type: 'setFilters', filters: [reject, port, bucket] },
        { type: 'setFilters', filters: [{ dimension: 'trigger', key: 'ssh-blocked', label: 'Trigger SSH' }] },
        { type: 'setFilters', filters: [{ dimension: 'mitre', key: 'T1110', label: 'T1110 Brute Force' }] },
        { type: 'reveal', line: 2 },
        { type: 'export', kind: 'summary-json', filters: [] },
        { type: 'export', kind: 'hits-csv', filters: [port] },
        { type: 'export', kind: 'records-csv', filters: [bucket, reject] },
        { type: 'requestRecords', requestId: 0, filters: [] },
        { type: 'requestRecords', requestId: 7, filters: [port, reject] },
        { type: 'rendered', ms: 12.5, records: 9 },
        { type: 'copyQuery', kind: 'trigger', id: 'ssh-blocked' },
        { type: 'copyQuery', kind: 'table', id: 'blockedPorts' },
      ];
      for (const m of ok) assert.equal(isWebviewMessage(m), true, JSON.stringify(m));
    });

    it('rejects malformed messages', () => {
      const tooMany = Array.from({ length: MAX_FILTERS + 1 }, (_, i) => ({ ...port, key: String(i + 1) }));
      const bad: unknown[] = [
        null,
        undefined,
        'ready',
        42,
        [],
        [{ type: 'ready', filters: [] }],
        {},
        { type: 42 },
        { type: 'READY' },
        { type: 'ready' },
        { type: 'ready', filters: null },
        { type: 'eval', code: 'alert(1)' },
        { type: 'reveal' },
        { type: 'reveal', line: '2' },
        { type: 'reveal', line: 0 },
        { type: 'reveal', line: -1 },
        { type: 'reveal', line: 1.5 },
        { type: 'reveal', line: Number.NaN },
        { type: 'reveal', line: Number.POSITIVE_INFINITY },
        { type: 'setFilters' },
        { type: 'setFilters', filters: port },
        { type: 'setFilters', filters: tooMany },
        { type: 'setFilters', filters: [port, 'dstport=22'] },
        { type: 'export', kind: 'pdf', filters: [] },
        { type: 'export', kind: 'hits-csv' },
        { type: 'export', kind: 'hits-csv', filter: null },
        { type: 'export', kind: 'hits-csv', filters: [{ dimension: 'nope', key: 'x', label: 'x' }] },
        { type: 'export', kind: 'hits-csv', filters: [{ dimension: 'dstport', key: '', label: 'x' }] },
        { type: 'export', kind: 'hits-csv', filters: [{ dimension: 'dstport', key: 22, label: 'x' }] },
        { type: 'export', kind: 'hits-csv', filters: [{ dimension: 'dstport', key: 'x'.repeat(5000), label: 'x' }] },
        { type: 'requestRecords', requestId: -1, filters: [] },
        { type: 'requestRecords', requestId: 1, filters: 'dstport=22' },
        { type: 'requestRecords', requestId: 1, filters: [{ dimension: 'time', key: 'abc', end: 5, label: 't' }] },
        { type: 'requestRecords', requestId: 1, filters: [{ dimension: 'time', key: '100', end: 50, label: 't' }] },
        { type: 'requestRecords', requestId: 1, filters: [{ dimension: 'time', key: '100', label: 't' }] },
        { type: 'requestRecords', requestId: 1, filters: [{ dimension: 'dstport', key: '22', end: 5, label: 't' }] },
        { type: 'rendered', ms: -1, records: 1 },
        { type: 'rendered', ms: 1 },
        { type: 'copyQuery', kind: 'trigger' },
        { type: 'copyQuery', kind: 'chart', id: 'talkers' },
        { type: 'copyQuery', kind: 'table', id: '' },
        { type: 'copyQuery', kind: 'table', id: 42 },
        { type: 'copyQuery', kind: 'table', id: "talkers'; DROP TABLE x" },
        { type: 'copyQuery', kind: 'table', id: 'talkers\n' },
        { type: 'copyQuery', kind: 'trigger', id: 'x'.repeat(65) },
      ];
      for (const m of bad) assert.equal(isWebviewMessage(m), false, JSON.stringify(m) ?? String(m));
    });
  });

  it('isFilter checks the dimension and key', () => {
    assert.equal(isFilter({ dimension: 'talker', key: '10.0.0.1', label: 'Host 10.0.0.1' }), true);
    assert.equal(isFilter({ dimension: 'talker', key: '10.0.0.1' }), false);
    assert.equal(isFilter({ dimension: '__proto__', key: 'x', label: 'x' }), false);
  });

  it('filtersKey tells sets of filters apart by dimension, key and end, not by label', () => {
    assert.equal(filtersKey([port, reject]), filtersKey([{ ...port, label: 'other' }, reject]));
    assert.notEqual(filtersKey([port, reject]), filtersKey([port]));
    assert.notEqual(filtersKey([port]), filtersKey([{ ...port, key: '23' }]));
    assert.notEqual(filtersKey([bucket]), filtersKey([{ ...bucket, end: (bucket.end ?? 0) + 60 }]));
    assert.notEqual(filtersKey([]), filtersKey([port]));
  });

  it('isDashboardState accepts only UI state and a URI', () => {
    assert.equal(isDashboardState({ uri: 'file:///a.log', origin: 'editor', tab: 'network', filters: [] }), true);
    assert.equal(isDashboardState({ uri: 'file:///a.log', origin: 'disk', tab: 'records', filters: [port] }), true);
    assert.equal(isDashboardState({ uri: 'file:///a.log', origin: 'editor', tab: 'evil', filters: [] }), false);
    assert.equal(isDashboardState({ uri: '', origin: 'editor', tab: 'network', filters: [] }), false);
    assert.equal(isDashboardState({ uri: 'file:///a.log', origin: 'web', tab: 'network', filters: [] }), false);
    assert.equal(isDashboardState({ uri: 'file:///a.log', origin: 'editor', tab: 'network', filters: [{}] }), false);
    assert.equal(isDashboardState(undefined), false);
  });

  it('restoreDashboardState upgrades the single filter of an older state to a list', () => {
    const base = { uri: 'file:///a.log', origin: 'editor', tab: 'security' };
    assert.deepEqual(restoreDashboardState({ ...base, filters: [port] }), { ...base, filters: [port] });
    assert.deepEqual(restoreDashboardState({ ...base, filter: port }), { ...base, filters: [port] });
    assert.deepEqual(restoreDashboardState({ ...base, filter: null }), { ...base, filters: [] });
    assert.equal(restoreDashboardState({ ...base, filter: { dimension: 'nope', key: 'x', label: 'x' } }), undefined);
    assert.equal(restoreDashboardState({ ...base, tab: 'evil', filter: null }), undefined);
    assert.equal(restoreDashboardState({ ...base, filters: 'x', filter: null }), undefined);
    assert.equal(restoreDashboardState(null), undefined);
  });

  it('a reveal may name the file of a folder analysis (an index), and a folder state its inputs', () => {
    assert.equal(isWebviewMessage({ type: 'reveal', line: 3, file: 0 }), true);
    assert.equal(isWebviewMessage({ type: 'reveal', line: 3, file: 12 }), true);
    for (const file of [-1, 1.5, '0', null, Number.NaN])
      assert.equal(isWebviewMessage({ type: 'reveal', line: 3, file }), false, String(file));
    const folder = { uri: 'file:///day', origin: 'folder', tab: 'files', filters: [] };
    assert.equal(isDashboardState(folder), true);
    assert.equal(isDashboardState({ ...folder, inputs: ['file:///day', 'file:///other'] }), true);
    assert.equal(isDashboardState({ ...folder, inputs: 'file:///day' }), false);
    assert.equal(isDashboardState({ ...folder, inputs: [42] }), false);
    assert.equal(isDashboardState({ ...folder, inputs: new Array(MAX_STATE_INPUTS + 1).fill('file:///x') }), false);
    assert.equal(isDashboardState({ ...folder, origin: 'elsewhere' }), false);
  });

  it('assertNever throws', () => {
    assert.throws(() => assertNever('x' as never), /unexpected value/);
  });
});
