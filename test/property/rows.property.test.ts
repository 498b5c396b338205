// Row membership: every clickable row of every dashboard tab selects exactly the records it counts. For generated
// logs (the bench generators, uniform and realistic, default and 29-field layouts, with scan thresholds low
// enough that port scans fire), each row's filter (rows.ts recordInRows) selects as many records as the row
// shows, and the analyzer run with that filter reports that many matched records.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FlowAnalyzer } from '../../src/core/analysis/analyzer';
import type { AnalysisConfigInput } from '../../src/core/analysis/config';
import { resolveAnalysisConfig } from '../../src/core/analysis/config';
import { recordInRows, type RowContext, type RowFilter } from '../../src/core/analysis/rows';
import { FlowParser } from '../../src/core/parser';
import type { FlowRecord, ParseSink } from '../../src/core/types';
import type { AnalysisSummary, TopTable } from '../../src/shared/summary';
import { benchLines } from '../../scripts/benchData';
import { line } from '../core/analysis/helpers';

/** A clickable row: its filter and the number it shows. */
interface Row {
  readonly filter: RowFilter;
  readonly shows: number;
  readonly what: string;
}

const TABLES: readonly [RowFilter['dimension'], (s: AnalysisSummary) => TopTable][] = [
  ['protocol', (s) => s.network.protocols],
  ['dstport', (s) => s.network.dstPorts],
  ['talker', (s) => s.network.talkers],
  ['conversation', (s) => s.network.conversations],
  ['region', (s) => s.network.regions],
  ['az', (s) => s.network.azs],
  ['vpc', (s) => s.network.vpcs],
  ['interface', (s) => s.network.interfaces],
  ['flowDirection', (s) => s.network.flowDirection],
  ['trafficPath', (s) => s.network.trafficPath],
  ['blockedSource', (s) => s.security.blockedSources],
  ['blockedPort', (s) => s.security.blockedPorts],
];

/**
 * Lines on which both port-scan kinds (vertical and horizontal) fired: the trigger counts a detection, so such a
 * record adds 2 to port-scan's count and to its MITRE row's hits.
 */
function doubleScans(s: AnalysisSummary): number {
  const scan = s.triggers.find((t) => t.id === 'port-scan');
  assert.ok(scan && !scan.hitsTruncated, 'port-scan hits complete');
  const seen = new Set<number>();
  let double = 0;
  for (const h of scan.hits) {
    if (seen.has(h.line)) double++;
    seen.add(h.line);
  }
  return double;
}

/** Every clickable row of every tab, with the number it shows. */
function rowsOf(s: AnalysisSummary): Row[] {
  const rows: Row[] = [];
  for (const [dimension, table] of TABLES) {
    const t = table(s);
    assert.ok(!t.approximate, `${dimension} exact`);
    for (const r of t.rows)
      rows.push({ filter: { dimension, key: r.key }, shows: r.flows, what: `${dimension} ${r.key}` });
  }
  for (const [dimension, series] of [
    ['time', s.network.overTime],
    ['rejectedTime', s.security.overTime],
  ] as const) {
    for (const p of series.points) {
      rows.push({
        filter: { dimension, key: String(p.t), end: p.t + series.bucketSeconds },
        shows: p.flows,
        what: `${dimension} ${p.t}`,
      });
    }
  }
  const double = doubleScans(s);
  for (const m of s.security.mitre) {
    const shows = m.technique === 'T1046' ? m.hits - double : m.hits;
    rows.push({ filter: { dimension: 'mitre', key: m.technique }, shows, what: `mitre ${m.technique}` });
  }
  for (const t of s.triggers) {
    if (t.count === 0) continue;
    const shows = t.id === 'port-scan' ? t.count - double : t.count;
    rows.push({ filter: { dimension: 'trigger', key: t.id }, shows, what: `trigger ${t.id}` });
  }
  rows.push({ filter: { dimension: 'action', key: 'ACCEPT' }, shows: s.totals.accepted, what: 'action ACCEPT' });
  rows.push({ filter: { dimension: 'action', key: 'REJECT' }, shows: s.totals.rejected, what: 'action REJECT' });
  return rows;
}

/** Parses bytes in chunks into `sink` (the analyzer itself takes the fused path). */
function parse(bytes: Uint8Array, sink: ParseSink): ReturnType<FlowParser['end']> {
  const parser = new FlowParser(sink);
  for (let i = 0; i < bytes.length; i += 4096) parser.push(bytes.subarray(i, i + 4096));
  return parser.end();
}

function analyse(bytes: Uint8Array, config: AnalysisConfigInput, filters?: readonly RowFilter[]): AnalysisSummary {
  const a = new FlowAnalyzer(config, { filters });
  return a.finish(parse(bytes, a));
}

/** Checks every row of the summary of `text`; returns how many rows were checked. */
function checkRows(text: string, config: AnalysisConfigInput, withAnalyzer: boolean): number {
  const bytes = new TextEncoder().encode(text);
  const analyzer = new FlowAnalyzer(config);
  const summary = analyzer.finish(parse(bytes, analyzer));
  const records: FlowRecord[] = [];
  parse(bytes, { record: (r) => records.push(r), unparsed: () => undefined });
  const scans = analyzer.portScanLines();
  assert.ok(scans.complete);
  const ctx: RowContext = { config: resolveAnalysisConfig(config), portScanLines: scans.lines };
  const rows = rowsOf(summary);
  for (const row of rows) {
    const n = records.filter((r) => recordInRows(r, [row.filter], ctx)).length;
    assert.equal(n, row.shows, `filter of ${row.what}`);
    if (withAnalyzer) {
      const filtered = analyse(bytes, config, [row.filter]);
      assert.equal(filtered.filtered?.matched, row.shows, `analyzer filtered by ${row.what}`);
    }
  }
  return rows.length;
}

const LOW_SCAN: AnalysisConfigInput = {
  portScan: { distinctPorts: 3, distinctHosts: 3, windowSeconds: 600 },
  maxHitsPerTrigger: 1_000_000,
};

describe('row membership (rows.ts) against the summary', () => {
  it('every clickable row of every tab selects exactly the records it shows, on generated logs', function () {
    this.timeout(600_000);
    fc.assert(
      fc.property(
        fc.constantFrom<'default' | 'alphabetical' | 'realistic'>('default', 'alphabetical', 'realistic'),
        fc.integer({ min: 20, max: 400 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.boolean(),
        (profile, lines, seed, lowScan) => {
          const text = benchLines(profile, lines, seed).join('\n') + '\n';
          checkRows(text, lowScan ? LOW_SCAN : { maxHitsPerTrigger: 1_000_000 }, true);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('holds on larger generated logs with port scans (filter only)', function () {
    this.timeout(600_000);
    for (const [profile, seed] of [
      ['realistic', 7],
      ['alphabetical', 11],
    ] as const) {
      const text = benchLines(profile, 5000, seed).join('\n') + '\n';
      const s = new FlowAnalyzer(LOW_SCAN);
      const summary = s.finish(parse(new TextEncoder().encode(text), s));
      // The realistic profile has scanners; the uniform one draws every address at random.
      if (profile === 'realistic')
        assert.ok((summary.triggers.find((t) => t.id === 'port-scan')?.count ?? 0) > 0, 'port scans fire');
      assert.ok(checkRows(text, LOW_SCAN, false) > 100);
    }
  });

  it('a record that completes a vertical and a horizontal scan at once is one record of port-scan and T1046', () => {
    const src = '203.0.113.9';
    const flows = [
      { dst: '10.0.0.1', dport: 1001 },
      { dst: '10.0.0.1', dport: 1002 },
      { dst: '10.0.0.2', dport: 1003 },
      { dst: '10.0.0.3', dport: 1003 },
      { dst: '10.0.0.1', dport: 1003 }, // the 3rd port on 10.0.0.1 and the 3rd host on port 1003
    ];
    const text = flows.map((f, i) => line({ src, ...f, start: 1_700_000_000 + i })).join('\n') + '\n';
    const config = { portScan: { distinctPorts: 3, distinctHosts: 3 } };
    const s = analyse(new TextEncoder().encode(text), config);
    assert.equal(s.triggers.find((t) => t.id === 'port-scan')?.count, 2, 'two detections');
    assert.equal(doubleScans(s), 1);
    checkRows(text, config, true);
  });

  it("on dashboard-demo.log, the Network tab's TCP row (1,291 accepted flows) selects 1,291 records", function () {
    this.timeout(600_000);
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'dashboard-demo.log'), 'utf8');
    const bytes = new TextEncoder().encode(text);
    const summary = analyse(bytes, {});
    assert.equal(summary.network.protocols.rows.find((r) => r.key === '6')?.flows, 1291);
    const tcp = analyse(bytes, {}, [{ dimension: 'protocol', key: '6' }]);
    assert.equal(tcp.filtered?.matched, 1291);
    assert.equal(tcp.totals.records, 1291);
    assert.equal(tcp.totals.rejected, 0);
    assert.ok(checkRows(text, {}, false) > 100);
  });
});
