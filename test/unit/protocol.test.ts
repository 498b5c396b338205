import { strict as assert } from 'node:assert';
import { assertNever, isDashboardState, isFilter, isWebviewMessage } from '../../src/shared/protocol';

describe('protocol', () => {
  describe('isWebviewMessage', () => {
    it('accepts every well-formed message', () => {
      const filter = { dimension: 'dstport', key: '22', label: 'Destination port 22 (ssh)' };
      const ok: unknown[] = [
        { type: 'ready' },
        { type: 'reveal', line: 2 },
        { type: 'export', kind: 'summary-json', filter: null },
        { type: 'export', kind: 'hits-csv', filter },
        {
          type: 'export',
          kind: 'records-csv',
          filter: { dimension: 'time', key: '1418530010', end: 1418530070, label: 't' },
        },
        { type: 'requestRecords', requestId: 0, filter: null },
        { type: 'requestRecords', requestId: 7, filter },
        { type: 'rendered', ms: 12.5, records: 9 },
      ];
      for (const m of ok) assert.equal(isWebviewMessage(m), true, JSON.stringify(m));
    });

    it('rejects malformed messages', () => {
      const bad: unknown[] = [
        null,
        undefined,
        'ready',
        42,
        [],
        [{ type: 'ready' }],
        {},
        { type: 42 },
        { type: 'READY' },
        { type: 'eval', code: 'alert(1)' },
        { type: 'reveal' },
        { type: 'reveal', line: '2' },
        { type: 'reveal', line: 0 },
        { type: 'reveal', line: -1 },
        { type: 'reveal', line: 1.5 },
        { type: 'reveal', line: Number.NaN },
        { type: 'reveal', line: Number.POSITIVE_INFINITY },
        { type: 'export', kind: 'pdf', filter: null },
        { type: 'export', kind: 'hits-csv' },
        { type: 'export', kind: 'hits-csv', filter: { dimension: 'nope', key: 'x', label: 'x' } },
        { type: 'export', kind: 'hits-csv', filter: { dimension: 'dstport', key: '', label: 'x' } },
        { type: 'export', kind: 'hits-csv', filter: { dimension: 'dstport', key: 22, label: 'x' } },
        { type: 'export', kind: 'hits-csv', filter: { dimension: 'dstport', key: 'x'.repeat(5000), label: 'x' } },
        { type: 'requestRecords', requestId: -1, filter: null },
        { type: 'requestRecords', requestId: 1, filter: 'dstport=22' },
        { type: 'requestRecords', requestId: 1, filter: { dimension: 'time', key: 'abc', end: 5, label: 't' } },
        { type: 'requestRecords', requestId: 1, filter: { dimension: 'time', key: '100', end: 50, label: 't' } },
        { type: 'requestRecords', requestId: 1, filter: { dimension: 'time', key: '100', label: 't' } },
        { type: 'requestRecords', requestId: 1, filter: { dimension: 'dstport', key: '22', end: 5, label: 't' } },
        { type: 'rendered', ms: -1, records: 1 },
        { type: 'rendered', ms: 1 },
      ];
      for (const m of bad) assert.equal(isWebviewMessage(m), false, JSON.stringify(m) ?? String(m));
    });
  });

  it('isFilter checks the dimension and key', () => {
    assert.equal(isFilter({ dimension: 'talker', key: '10.0.0.1', label: 'Host 10.0.0.1' }), true);
    assert.equal(isFilter({ dimension: 'talker', key: '10.0.0.1' }), false);
    assert.equal(isFilter({ dimension: '__proto__', key: 'x', label: 'x' }), false);
  });

  it('isDashboardState accepts only UI state and a URI', () => {
    assert.equal(isDashboardState({ uri: 'file:///a.log', origin: 'editor', tab: 'network', filter: null }), true);
    assert.equal(isDashboardState({ uri: 'file:///a.log', origin: 'disk', tab: 'records', filter: null }), true);
    assert.equal(isDashboardState({ uri: 'file:///a.log', origin: 'editor', tab: 'evil', filter: null }), false);
    assert.equal(isDashboardState({ uri: '', origin: 'editor', tab: 'network', filter: null }), false);
    assert.equal(isDashboardState({ uri: 'file:///a.log', origin: 'web', tab: 'network', filter: null }), false);
    assert.equal(isDashboardState(undefined), false);
  });

  it('assertNever throws', () => {
    assert.throws(() => assertNever('x' as never), /unexpected value/);
  });
});
