import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { FlowAnalyzer } from '../../src/core/analysis/analyzer';
import { configOf } from '../../src/core/analysis/evaluate';
import {
  combineParts,
  localizePart,
  mergeParts,
  summaryOfPart,
  type AnalysisPart,
} from '../../src/core/analysis/merge';
import type { RowFilter } from '../../src/core/analysis/rows';
import { FlowParser } from '../../src/core/parser';
import type { ParseOptions } from '../../src/core/types';
import type { AnalysisSummary, TopTable } from '../../src/shared/summary';
import { line, noData, skipData } from '../core/analysis/helpers';

// Split = whole: a log cut at random line boundaries into random numbers of parts (empty parts, parts with no
// record, header-only files), each part analysed on its own and the parts combined, gives what one pass over the
// whole gives for every exact figure. Small caps and thresholds make port scans (across boundaries, with CLOCK
// eviction), capped hit lists, capped MITRE sources, folded time series and approximate tables common.

const FIELDS =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const config = configOf({
  portScan: { distinctPorts: 3, distinctHosts: 3, windowSeconds: 60, maxTracked: 10 },
  maxHitsPerTrigger: 4,
  maxUnparsed: 3,
  exactKeyCap: 12,
  maxTimeBuckets: 10,
  maxMitreSources: 2,
  ports: { 'ssh-blocked': { tcp: [22], udp: [] } },
});

const host = fc.oneof(
  { weight: 6, arbitrary: fc.nat(3).map((i) => `10.0.0.${i}`) },
  { weight: 1, arbitrary: fc.constantFrom('2001:db8::1', '2001:db8::2', '010.0.0.1') },
);
const record = fc.record({
  src: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('198.51.100.7', '198.51.100.8') },
    { weight: 1, arbitrary: host },
  ),
  dst: host,
  sport: fc.oneof(fc.integer({ min: 40000, max: 40010 }), fc.constantFrom(22, 443)),
  dport: fc.oneof(
    fc.nat(8).map((p) => 20 + p),
    fc.constantFrom(22, 3389, 50000),
  ),
  proto: fc.constantFrom(6, 6, 6, 17, 1),
  packets: fc.nat(100),
  bytes: fc.nat(100_000),
  dt: fc.integer({ min: -4, max: 8 }),
  action: fc.constantFrom<'ACCEPT' | 'REJECT'>('ACCEPT', 'REJECT', 'REJECT'),
  // Unbiased, so that fast-check's bias to small numbers does not make every interface the same.
  eni: fc.noBias(fc.integer({ min: 10, max: 59 })).map((i) => `eni-0a1b2c3d4e5f607${i}`),
});
type Rec = typeof record extends fc.Arbitrary<infer T> ? T : never;
/** A scan in progress: one source reaching several ports of one host, or one port on several hosts. */
const burst = fc
  .record({ base: record, vertical: fc.boolean(), n: fc.integer({ min: 2, max: 4 }) })
  .map(({ base, vertical, n }) =>
    Array.from({ length: n }, (_, k) => ({
      ...base,
      action: 'REJECT' as const,
      proto: 6 as const,
      sport: 40000,
      dt: 1,
      ...(vertical ? { dport: 20 + ((base.dport + k) % 9) } : { dst: `10.0.1.${k}` }),
    })),
  );
const item = fc.oneof(
  { weight: 12, arbitrary: record.map((r) => [{ r }]) },
  { weight: 3, arbitrary: burst.map((rs) => rs.map((r) => ({ r }))) },
  { weight: 1, arbitrary: fc.constantFrom(noData(), skipData(), '', 'garbage line', '2 x y').map((s) => [{ s }]) },
);

function render(items: readonly (readonly ({ r: Rec } | { s: string })[])[], t0: number): string[] {
  let t = t0;
  return items.flat().map((it) => {
    if ('s' in it) return it.s;
    t += it.r.dt;
    return line({ ...it.r, start: t, end: t + 30 });
  });
}

function analyse(text: string, parse: ParseOptions | undefined, filters?: RowFilter[]): AnalysisSummary {
  const a = new FlowAnalyzer(config, { filters });
  const p = new FlowParser(a, parse);
  p.push(text);
  return a.finish(p.end());
}

function partOf(text: string, parse: ParseOptions | undefined, filters?: RowFilter[]): AnalysisPart {
  const a = new FlowAnalyzer(config, { filters, part: true });
  const p = new FlowParser(a, parse);
  p.push(text);
  return structuredClone(a.part(p.end()));
}

/** The summary with approximate tables' rows left out (their rows are estimates; flag and distinct are exact). */
function exact(s: AnalysisSummary): unknown {
  const strip = (t: TopTable): TopTable => (t.approximate ? { ...t, rows: [] } : t);
  const net = Object.fromEntries(
    Object.entries(s.network).map(([k, v]) => [k, 'rows' in v ? strip(v) : v]),
  ) as AnalysisSummary['network'];
  return {
    ...s,
    network: net,
    security: { ...s.security, blockedSources: strip(s.security.blockedSources) },
  };
}

/** Cuts `lines` at `cuts` (fractions) into texts, each ending in a newline (empty parts allowed). */
function cut(lines: readonly string[], cuts: readonly number[]): string[] {
  const at = [...new Set(cuts.map((c) => Math.floor(c * (lines.length + 1))))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const k of [...at, lines.length]) {
    const to = Math.min(Math.max(k, from), lines.length);
    out.push(
      lines
        .slice(from, to)
        .map((l) => l + '\n')
        .join(''),
    );
    from = to;
  }
  return out;
}

/** Where to cut, as a fraction of the lines (uniform: doubles would crowd near 0). */
const fraction = fc.noBias(fc.integer({ min: 0, max: 1000 })).map((k) => k / 1000);

const filterArb = fc.constantFrom<RowFilter[] | undefined>(
  undefined,
  [{ dimension: 'action', key: 'REJECT' }],
  [{ dimension: 'blockedPort', key: '22' }],
  [{ dimension: 'trigger', key: 'ssh-blocked' }],
  [{ dimension: 'talker', key: '198.51.100.7' }],
);

/** What the generated cases covered (checked at the end: the laws must have been tried on scans, caps, ...). */
const covered = { crossing: 0, scans: 0, scanSplits: 0, approximate: 0, truncated: 0, sourcesCapped: 0 };
function seen(s: AnalysisSummary, parts: number): void {
  const scans = s.triggers.find((t) => t.id === 'port-scan')?.count ?? 0;
  if (scans > 0) covered.scans++;
  if (scans > 0 && parts > 2) covered.scanSplits++;
  if (Object.values(s.network).some((t) => 'rows' in t && t.approximate)) covered.approximate++;
  if (s.triggers.some((t) => t.hitsTruncated)) covered.truncated++;
  if (s.security.mitre.some((m) => m.sourcesApproximate)) covered.sourcesCapped++;
}

describe('merge laws (property)', () => {
  after(() => {
    for (const [k, v] of Object.entries(covered)) assert.ok(v > 5, `generated cases covered ${k} ${v} times`);
  });

  it('one input cut into parts combines to the single pass, with and without filters', () => {
    const parse: ParseOptions = { format: FIELDS };
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 100, size: 'medium' }),
        fc.array(fraction, { minLength: 1, maxLength: 6, size: 'max' }),
        filterArb,
        (items, cuts, filters) => {
          const lines = render(items, 1_700_000_000);
          const texts = cut(lines, cuts);
          const whole = analyse(texts.join(''), parse, filters);
          const parts = texts.map((t) => ({ part: partOf(t, parse, filters), file: 0 }));
          const combined = combineParts(config, parts, undefined);
          assert.deepEqual(exact(combined), exact(whole));
          seen(whole, texts.length);
          const alone = texts.reduce(
            (a, t) => a + (analyse(t, parse, filters).triggers.find((x) => x.id === 'port-scan')?.count ?? 0),
            0,
          );
          if (alone !== whole.triggers.find((x) => x.id === 'port-scan')?.count) covered.crossing++;
        },
      ),
      { numRuns: 80 },
    );
  });

  it('files (each with its header, some header-only) combine to the single pass over their concatenation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(item, { maxLength: 30, size: 'medium' }), { minLength: 1, maxLength: 5 }),
        (files) => {
          const texts = files.map((items, i) =>
            [FIELDS, ...render(items, 1_700_000_000 + 30 * i)].map((l) => l + '\n').join(''),
          );
          const whole = analyse(texts.join(''), undefined);
          const parts = texts.map((t, file) => ({ part: partOf(t, undefined), file }));
          const inputs = texts.map((t, i) => ({ path: `f${i}.log`, kind: 'plain' as const, bytes: t.length }));
          const combined = combineParts(config, parts, inputs);
          // Lines are numbered within their file: number them in the concatenation to compare.
          const starts: number[] = [];
          let at = 0;
          for (const f of combined.files ?? []) {
            starts.push(at);
            at += f.lines;
          }
          const global = <T extends { line: number; file?: number }>(x: T): T => {
            const { file, ...rest } = x;
            assert.ok(file !== undefined);
            return { ...rest, line: x.line + starts[file]! } as T;
          };
          const { files: facts, ...rest } = combined;
          const renumbered: AnalysisSummary = {
            ...rest,
            unparsed: rest.unparsed.map(global),
            triggers: rest.triggers.map((t) => ({ ...t, hits: t.hits.map(global) })),
          };
          assert.deepEqual(exact(renumbered), exact(whole));
          seen(whole, texts.length);
          assert.equal(
            facts?.reduce((a, f) => a + f.records, 0),
            whole.totals.records,
          );
          assert.equal(
            facts?.reduce((a, f) => a + f.lines, 0),
            whole.totals.lines,
          );
          assert.equal(
            facts?.reduce((a, f) => a + f.unparsedLines, 0),
            whole.totals.unparsedLines,
          );
          facts?.forEach((f, i) => {
            const one = analyse(texts[i]!, undefined);
            assert.deepEqual(f.timeRange, one.timeRange);
            assert.equal(f.format, one.formats.find((x) => x.records > 0)?.label ?? null);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('mergeParts is associative', () => {
    const parse: ParseOptions = { format: FIELDS };
    fc.assert(
      fc.property(fc.array(item, { maxLength: 80, size: 'medium' }), fc.tuple(fraction, fraction), (items, [x, y]) => {
        const texts = cut(render(items, 1_700_000_000), [x, y]);
        while (texts.length < 3) texts.push('');
        const [a, b, c] = texts.slice(0, 3).map((t) => partOf(t, parse)) as [AnalysisPart, AnalysisPart, AnalysisPart];
        const la = localizePart(a, 0, 0, undefined);
        const lb = localizePart(b, 1, a.lines, undefined);
        const lc = localizePart(c, 2, a.lines + b.lines, undefined);
        const left = summaryOfPart(config, mergeParts(config, mergeParts(config, la, lb), lc));
        const right = summaryOfPart(config, mergeParts(config, la, mergeParts(config, lb, lc)));
        assert.deepEqual(exact(left), exact(right));
      }),
      { numRuns: 60 },
    );
  });
});
