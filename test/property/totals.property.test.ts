import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeText, FlowAnalyzer } from '../../src/core/analysis/analyzer';
import { FlowParser } from '../../src/core/parser';
import type { AnalysisSummary } from '../../src/shared/summary';
import { line, noData, skipData } from '../core/analysis/helpers';

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
const addr = fc.oneof(ipv4, fc.constantFrom('2001:db8::1', '2001:db8::2', 'fe80::1'));
const record = fc
  .record({
    src: addr,
    dst: addr,
    sport: fc.oneof(fc.nat(65535), fc.constantFrom(22, 443, 3389)),
    dport: fc.oneof(fc.nat(65535), fc.constantFrom(22, 23, 137, 139, 445, 3306, 3389, 5432)),
    proto: fc.constantFrom(1, 6, 17, 58),
    packets: fc.nat(1000),
    bytes: fc.nat(10_000_000),
    start: fc.integer({ min: 1_600_000_000, max: 1_600_100_000 }),
    action: fc.constantFrom<'ACCEPT' | 'REJECT'>('ACCEPT', 'REJECT'),
  })
  .map((f) => line(f));
const header = fc.constant(
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
);
const anyLine = fc.oneof(
  { weight: 10, arbitrary: record },
  { weight: 1, arbitrary: fc.constantFrom(noData(), skipData(), '', '   ') },
  { weight: 1, arbitrary: header },
  { weight: 2, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 1, arbitrary: record.map((l) => l.replace(/ \d+ /, ' x ')) },
);

function checkTotals(s: AnalysisSummary): void {
  const t = s.totals;
  assert.equal(t.records, t.accepted + t.rejected + t.noData + t.skipData + (t.other ?? 0), 'records = classes');
  assert.equal(
    t.lines,
    t.records + t.headers + t.blankLines + t.unparsedLines + (t.envelopeLines ?? 0),
    'lines = kinds',
  );
  const byId = new Map(s.triggers.map((x) => [x.id, x]));
  assert.equal(byId.get('traffic-rejected')?.count, t.rejected);
  assert.ok(t.alerts <= t.rejected);
  for (const tr of s.triggers) {
    assert.ok(tr.hits.length <= tr.count);
    assert.equal(tr.hitsTruncated, tr.count > tr.hits.length);
  }
  const brute = ['ssh-blocked', 'rdp-blocked', 'telnet-blocked'].reduce((a, id) => a + (byId.get(id)?.count ?? 0), 0);
  assert.ok((byId.get('mitre-threat')?.count ?? 0) >= Math.min(1, brute));
  assert.equal(
    s.network.overTime.points.reduce((a, p) => a + p.flows, 0),
    t.accepted,
  );
  assert.equal(
    s.security.overTime.points.reduce((a, p) => a + p.flows, 0),
    t.rejected,
  );
  assert.equal(
    s.network.protocols.rows.reduce((a, r) => a + r.flows, 0),
    t.accepted,
  );
}

describe('analysis: totals always add up', function () {
  this.timeout(60_000);
  it('whatever the lines', () => {
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 60 }), fc.boolean(), (ls, trailingNewline) => {
        const text = ls.join('\n') + (trailingNewline ? '\n' : '');
        checkTotals(analyzeText(text));
      }),
      { numRuns: 300 },
    );
  });

  it('whatever the chunking (streamed = whole)', () => {
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 8 }), (ls, cuts) => {
        const text = ls.join('\n') + '\n';
        const whole = analyzeText(text);
        const analyzer = new FlowAnalyzer();
        const parser = new FlowParser(analyzer);
        const points = [...new Set(cuts.map((c) => (text.length ? c % text.length : 0)))].sort((a, b) => a - b);
        let at = 0;
        for (const p of points) {
          parser.push(text.slice(at, p));
          at = p;
        }
        parser.push(text.slice(at));
        const streamed = analyzer.finish(parser.end());
        checkTotals(streamed);
        assert.deepEqual(streamed.totals, whole.totals);
        assert.deepEqual(
          streamed.triggers.map((t) => [t.id, t.count]),
          whole.triggers.map((t) => [t.id, t.count]),
        );
      }),
      { numRuns: 150 },
    );
  });
});
