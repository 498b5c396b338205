import * as assert from 'node:assert/strict';
import { FlowAnalyzer } from '../../../src/core/analysis/analyzer';
import type { AnalysisConfig } from '../../../src/core/analysis/config';
import { DenseCounter } from '../../../src/core/analysis/dense';
import { configOf } from '../../../src/core/analysis/evaluate';
import {
  combineParts,
  mergeDense,
  mergeTop,
  splittableFilters,
  type AnalysisPart,
} from '../../../src/core/analysis/merge';
import type { RowFilter } from '../../../src/core/analysis/rows';
import { concatScans, O_DPORT, replayScans, ScanReplay } from '../../../src/core/analysis/scanLog';
import { mergeSeries, TimeSeriesBuilder } from '../../../src/core/analysis/timeSeries';
import { NumTopCounter } from '../../../src/core/analysis/topN';
import { FlowParser } from '../../../src/core/parser';
import type { AnalysisSummary } from '../../../src/shared/summary';
import { line, lines } from './helpers';

const FIELDS =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

function whole(text: string, config: AnalysisConfig, filters?: RowFilter[]): AnalysisSummary {
  const a = new FlowAnalyzer(config, { filters });
  const p = new FlowParser(a, { format: FIELDS });
  p.push(text);
  return a.finish(p.end());
}

function part(text: string, config: AnalysisConfig, filters?: RowFilter[]): AnalysisPart {
  const a = new FlowAnalyzer(config, { filters, part: true });
  const p = new FlowParser(a, { format: FIELDS });
  p.push(text);
  return structuredClone(a.part(p.end()));
}

function trigger(s: AnalysisSummary, id: string): AnalysisSummary['triggers'][number] {
  const t = s.triggers.find((x) => x.id === id);
  assert.ok(t, id);
  return t;
}

/** A vertical scan: one source reaching `n` ports of one host, a second apart. */
function scan(n: number, t0 = 1_700_000_000, port0 = 1000): string[] {
  return Array.from({ length: n }, (_, i) =>
    line({ src: '203.0.113.66', dst: '10.0.0.9', dport: port0 + i, start: t0 + i }),
  );
}

describe('merge: dense counters', () => {
  it('add exactly, in any grouping', () => {
    const all = new DenseCounter(65536);
    const parts = [0, 1, 2].map(() => new DenseCounter(65536));
    for (let i = 0; i < 300; i++) {
      const k = (i * 7919) % 1000;
      all.add(k, 1, i, 2);
      parts[i % 3]!.add(k, 1, i, 2);
    }
    const [a, b, c] = parts.map((d) => d.part()) as [
      ReturnType<DenseCounter['part']>,
      ReturnType<DenseCounter['part']>,
      ReturnType<DenseCounter['part']>,
    ];
    const left = mergeDense(mergeDense(a, b), c);
    const right = mergeDense(a, mergeDense(b, c));
    assert.deepEqual(left, right);
    const merged = new DenseCounter(65536);
    merged.addPart(left);
    assert.deepEqual(merged.table(20, String), all.table(20, String));
    assert.deepEqual(merged.part(), all.part());
  });
});

describe('merge: top tables', () => {
  it('add exactly while the distinct keys of all parts fit under the cap', () => {
    const cap = 50;
    const all = new NumTopCounter(cap);
    const a = new NumTopCounter(cap);
    const b = new NumTopCounter(cap);
    for (let i = 0; i < 200; i++) {
      const key = i % 40;
      all.add(0, key, 1, key, 1);
      (i < 120 ? a : b).add(0, key, 1, key, 1);
    }
    const m = mergeTop(a.part(), b.part(), cap, 'flows');
    assert.equal(m.approx, false);
    const t = NumTopCounter.fromPart(m, cap, 'flows');
    assert.deepEqual(t.top(10), all.top(10));
    assert.equal(t.distinct, 40);
  });

  it('turn approximate as one pass does (same flag and distinct) once the keys together pass the cap', () => {
    const cap = 10;
    const a = new NumTopCounter(cap);
    const b = new NumTopCounter(cap);
    for (let k = 0; k < 8; k++) a.add(0, k, 1, 1, 1);
    for (let k = 4; k < 12; k++) b.add(0, k, 1, 1, 1);
    const m = mergeTop(a.part(), b.part(), cap, 'flows');
    assert.equal(m.approx, true);
    const one = new NumTopCounter(cap);
    for (let k = 0; k < 12; k++) one.add(0, k, 1, 1, 1);
    const t = NumTopCounter.fromPart(m, cap, 'flows');
    assert.equal(t.approximate, one.approximate);
    assert.equal(t.distinct, one.distinct);
    // Keys both parts counted exactly add exactly.
    assert.equal(t.top(1)[0]?.flows, 2);
  });

  it('past the cap keep exactly the heaviest counters in the order tables rank them (weight, then key), ties included', () => {
    // Many keys of few distinct weights, so that the last weight kept is shared by keys kept and keys dropped.
    const cap = 2500;
    let seed = 11;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const make = (): NumTopCounter => {
      const c = new NumTopCounter(cap, 'bytes');
      for (let i = 0; i < 2000; i++) {
        const key = Math.floor(rnd() * 5000);
        c.add(Math.floor(key / 7), key, 1, 1 + Math.floor(rnd() * 4), 1);
      }
      return c;
    };
    const a = make().part();
    const b = make().part();
    assert.ok(!a.approx && !b.approx);
    const m = mergeTop(a, b, cap, 'bytes');
    assert.equal(m.approx, true);
    // The reference: every merged counter, sorted by the full order, the first SKETCH_SIZE (2048) kept.
    const sum = new Map<string, { hi: number; lo: number; bytes: number }>();
    for (const p of [a, b]) {
      for (let i = 0; i < p.keys.length / 2; i++) {
        const k = `${p.keys[2 * i]}/${p.keys[2 * i + 1]}`;
        const e = sum.get(k) ?? { hi: p.keys[2 * i]!, lo: p.keys[2 * i + 1]!, bytes: 0 };
        e.bytes += p.vals[4 * i + 1]!;
        sum.set(k, e);
      }
    }
    assert.ok(sum.size > 2048);
    const want = [...sum.values()].sort((x, y) => y.bytes - x.bytes || x.hi - y.hi || x.lo - y.lo).slice(0, 2048);
    const cut = want[want.length - 1]!.bytes;
    assert.ok(
      [...sum.values()].filter((e) => e.bytes === cut).length > want.filter((e) => e.bytes === cut).length,
      'a tie at the cut',
    );
    const got = NumTopCounter.fromPart(m, cap, 'bytes').top(2048);
    assert.deepEqual(
      got.map((r) => [r.hi, r.lo, r.bytes]),
      want.map((e) => [e.hi, e.lo, e.bytes]),
    );
  });

  it('keep the documented error bound past the cap: w − Σ min_j ≤ merged ≤ w + Σ err_j, the heavy hitter first', () => {
    const cap = 10;
    const parts: NumTopCounter[] = [];
    const truth = new Map<number, number>();
    let seed = 7;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let j = 0; j < 3; j++) {
      const c = new NumTopCounter(cap);
      for (let i = 0; i < 3000; i++) {
        const key = i % 4 === 0 ? 7 : 100 + Math.floor(rnd() * 500);
        c.add(0, key, 1, 1, 1);
        truth.set(key, (truth.get(key) ?? 0) + 1);
      }
      parts.push(c);
    }
    const ps = parts.map((c) => c.part());
    assert.ok(ps.every((p) => p.approx));
    const m = mergeTop(mergeTop(ps[0]!, ps[1]!, cap, 'flows'), ps[2]!, cap, 'flows');
    const errSum = ps.reduce(
      (s, p) => s + Math.max(...Array.from({ length: p.keys.length / 2 }, (_, i) => p.vals[4 * i + 3]!)),
      0,
    );
    const minSum = ps.reduce(
      (s, p) => s + Math.min(...Array.from({ length: p.keys.length / 2 }, (_, i) => p.vals[4 * i]!)),
      0,
    );
    const t = NumTopCounter.fromPart(m, cap, 'flows');
    const top = t.top(5);
    assert.equal(top[0]?.lo, 7);
    for (const r of top) {
      const w = truth.get(r.lo) ?? 0;
      assert.ok(r.flows <= w + errSum, `key ${r.lo}: ${r.flows} ≤ ${w} + ${errSum}`);
    }
    const heavy = top[0];
    assert.ok(heavy !== undefined);
    assert.ok(heavy.flows >= (truth.get(7) ?? 0) - minSum, `${heavy.flows} ≥ ${truth.get(7)} − ${minSum}`);
  });
});

describe('merge: time series', () => {
  it('folds to the size one builder ends with and adds the buckets', () => {
    const all = new TimeSeriesBuilder(10);
    const a = new TimeSeriesBuilder(10);
    const b = new TimeSeriesBuilder(10);
    for (let i = 0; i < 50; i++) {
      const t = 1_700_000_000 + i * 3;
      all.add(t, 1, i, 1);
      a.add(t, 1, i, 1);
    }
    for (let i = 0; i < 20; i++) {
      const t = 1_700_005_000 + i * 97;
      all.add(t, 1, 1, 1);
      b.add(t, 1, 1, 1);
    }
    const m = mergeSeries(a.part(), b.part(), 10);
    assert.deepEqual(TimeSeriesBuilder.fromPart(m, 10).result(), all.result());
    assert.deepEqual(mergeSeries(b.part(), a.part(), 10), m);
    assert.deepEqual(mergeSeries(a.part(), new TimeSeriesBuilder(10).part(), 10), a.part());
  });
});

describe('merge: parts of an analysis', () => {
  const config = configOf({ maxHitsPerTrigger: 3, portScan: { distinctPorts: 5 } });

  it('one part combines to exactly what finish gives, and survives structured clone', () => {
    const text = lines(...scan(6), line({ dport: 22 }), line({ action: 'ACCEPT' }), 'garbage');
    const p = part(text, config);
    assert.deepEqual(structuredClone(p), p);
    assert.deepEqual(combineParts(config, [{ part: p, file: 0 }], undefined), whole(text, config));
  });

  it('detects a scan whose window crosses a part boundary, with the line in the whole input', () => {
    const ls = scan(5);
    const texts = [lines(...ls.slice(0, 3)), lines(...ls.slice(3))];
    const s = combineParts(
      config,
      texts.map((t) => ({ part: part(t, config), file: 0 })),
      undefined,
    );
    const ps = trigger(s, 'port-scan');
    assert.equal(ps.count, 1);
    assert.equal(ps.hits[0]?.line, 5);
    assert.equal(s.totals.alerts, 1);
    assert.deepEqual(s, whole(texts.join(''), config));
    // Each part alone sees no scan.
    assert.equal(trigger(whole(texts[1]!, config), 'port-scan').count, 0);
  });

  it('numbers hits and unparsed lines within their file, tags the file and fills the per-file facts', () => {
    const f0 = lines(line({ dport: 22, start: 1_700_000_000 }), 'garbage', ...scan(3, 1_700_000_010));
    const f1 = lines(...scan(2, 1_700_000_013, 1003), line({ dport: 22, start: 1_700_000_100 }));
    const files = [
      { path: 'a.log', kind: 'plain' as const, bytes: f0.length },
      { path: 'b.log.gz', kind: 'gzip' as const, bytes: 99 },
    ];
    const s = combineParts(
      config,
      [
        { part: part(f0, config), file: 0 },
        { part: part(f1, config), file: 1 },
      ],
      files,
    );
    assert.deepEqual(
      trigger(s, 'ssh-blocked').hits.map((h) => [h.file, h.line]),
      [
        [0, 1],
        [1, 3],
      ],
    );
    // The scan (3 ports in the first file, 2 in the second) fires on the second file's second line.
    assert.deepEqual(
      trigger(s, 'port-scan').hits.map((h) => [h.file, h.line]),
      [[1, 2]],
    );
    assert.deepEqual(s.unparsed, [{ line: 2, reason: s.unparsed[0]!.reason, file: 0 }]);
    assert.deepEqual(s.files, [
      {
        ...files[0],
        lines: 5,
        records: 4,
        unparsedLines: 1,
        format: s.formats[0]?.label,
        timeRange: { start: 1_700_000_000, end: 1_700_000_072 },
      },
      {
        ...files[1],
        lines: 3,
        records: 3,
        unparsedLines: 0,
        format: s.formats[0]?.label,
        timeRange: { start: 1_700_000_013, end: 1_700_000_160 },
      },
    ]);
  });

  it('keeps hit lists in input order and capped, with exact counts', () => {
    const texts = [0, 1, 2].map((k) => lines(line({ dport: 22, start: 1_700_000_000 + k }), line({ dport: 22 })));
    const s = combineParts(
      config,
      texts.map((t) => ({ part: part(t, config), file: 0 })),
      undefined,
    );
    const ssh = trigger(s, 'ssh-blocked');
    assert.equal(ssh.count, 6);
    assert.deepEqual(
      ssh.hits.map((h) => h.line),
      [1, 2, 3],
    );
    assert.equal(ssh.hitsTruncated, true);
    assert.deepEqual(
      trigger(s, 'mitre-threat').hits.map((h) => h.line),
      [1, 2, 3],
    );
  });

  it('combines filtered parts to the filtered single pass; filters on scan rows cannot be split', () => {
    const filters: RowFilter[] = [{ dimension: 'action', key: 'REJECT' }];
    const ls = [...scan(5), line({ action: 'ACCEPT' }), line({ dport: 22 })];
    const texts = [lines(...ls.slice(0, 2)), lines(...ls.slice(2))];
    const s = combineParts(
      config,
      texts.map((t) => ({ part: part(t, config, filters), file: 0 })),
      undefined,
    );
    assert.deepEqual(s, whole(texts.join(''), config, filters));
    assert.equal(s.filtered?.matched, 6);
    const scanRow: RowFilter[] = [{ dimension: 'trigger', key: 'port-scan' }];
    assert.equal(splittableFilters(scanRow), false);
    assert.equal(splittableFilters([{ dimension: 'trigger', key: 'ssh-blocked' }]), true);
    assert.throws(() => new FlowAnalyzer(config, { filters: scanRow, part: true }), /one pass/);
  });

  it('part() needs an analyzer made for parts', () => {
    const a = new FlowAnalyzer(config);
    const p = new FlowParser(a);
    p.push(lines(line({})));
    assert.throws(() => a.part(p.end()), /part: true/);
  });

  it('combines no parts to an empty summary with the files listed', () => {
    const s = combineParts(config, [], [{ path: 'x.log', kind: 'plain', bytes: 0, skipped: 'not a flow log' }]);
    assert.equal(s.totals.lines, 0);
    assert.equal(s.files?.[0]?.skipped, 'not a flow log');
    assert.equal(s.files?.[0]?.format, null);
  });
});

describe('merge: port-scan observations decided part by part', () => {
  const config = configOf({ portScan: { distinctPorts: 5, distinctHosts: 50, windowSeconds: 300, maxTracked: 100 } });
  // A scan of 8 ports cut after its 3rd: the second part completes the window the first one started.
  const first = part(lines(...scan(8).slice(0, 3), line({ dport: 22, action: 'REJECT' })), config);
  const second = part(lines(...scan(8).slice(3)), config);

  it('keeps only the observations that fired, with their counts, and gives what the full replay gives', () => {
    const replay = new ScanReplay(config);
    const a = replay.decide(first.scans);
    const b = replay.decide(second.scans);
    assert.equal(first.scans.n + second.scans.n, 9);
    assert.equal(a.n, 0);
    assert.equal(b.n, 1, 'the 5th port of the scan fires, in the second part');
    assert.deepEqual([...b.fired!], [5, 0]);
    const calls: number[][] = [];
    replayScans(config, concatScans(first.scans, second.scans), (k, p, h) => calls.push([k, p, h]));
    assert.deepEqual(calls, [[3 + 1 + 1, 5, 0]]);
    const decided = concatScans(a, b);
    const again: number[][] = [];
    replayScans(config, decided, (k, p, h) => again.push([k, p, h]));
    assert.deepEqual(again, [[0, 5, 0]]);
    assert.equal(decided.i32[O_DPORT], 1004);
  });

  it('refuses to join a decided part with one that is not decided yet', () => {
    const decided = new ScanReplay(config).decide(first.scans);
    assert.throws(() => concatScans(decided, second.scans), /decided/);
    assert.throws(() => concatScans(second.scans, { ...decided, n: 0, fired: new Int32Array(0) }), /decided/);
    assert.throws(() => new ScanReplay(config).run(decided, () => undefined), /already decided/);
  });
});

describe('merge: formats', () => {
  const config = configOf({});
  const short = 'srcaddr dstaddr action';
  const text = lines(
    FIELDS,
    line({}),
    line({ dport: 22 }),
    short,
    '10.0.0.1 10.0.0.2 REJECT',
    FIELDS,
    line({ dport: 80 }),
    FIELDS,
  );

  /** The summary of `files` read one part each and combined, as a folder is. */
  const filesSummary = (files: string[]): AnalysisSummary => {
    const parts = files.map((t, file) => {
      const a = new FlowAnalyzer(config, { part: true });
      const p = new FlowParser(a);
      p.push(t);
      return { part: a.part(p.end()), file };
    });
    const inputs = files.map((_, i) => ({ path: `f${i}.log`, kind: 'plain' as const, bytes: 1 }));
    return combineParts(config, parts, inputs);
  };

  it('lists each format once where it first appears, with the records of every stretch read in it', () => {
    const analyzer = new FlowAnalyzer(config);
    const parser = new FlowParser(analyzer);
    parser.push(text);
    const s = analyzer.finish(parser.end());
    assert.deepEqual(
      s.formats.map((f) => [f.label, f.records]),
      [
        ['header (14 fields)', 3],
        ['header (3 fields)', 1],
      ],
    );
    // The same text cut into files at its header lines: the same list.
    const files = text.split(/\n(?=srcaddr|version)/).map((t) => (t.endsWith('\n') ? t : t + '\n'));
    assert.equal(files.length, 4);
    assert.deepEqual(filesSummary(files).formats, s.formats);
  });

  it('lists a layout inferred in several header-less files once, with its lowest confidence and every note', () => {
    // Each file's layout is inferred from its own lines: one line is a weaker guess (and says so) than twelve.
    const files = [lines(line({ dport: 22 })), lines(...Array.from({ length: 12 }, (_, i) => line({ dport: 80 + i })))];
    const alone = files.map((t) => {
      const a = new FlowAnalyzer(config);
      const p = new FlowParser(a);
      p.push(t);
      return a.finish(p.end()).formats;
    });
    assert.deepEqual(
      alone.map((f) => f.map((x) => x.label)),
      [['default v2'], ['default v2']],
    );
    assert.notEqual(alone[0]![0]!.confidence, alone[1]![0]!.confidence);
    const formats = filesSummary(files).formats;
    assert.deepEqual(
      formats.map((f) => [f.label, f.records]),
      [['default v2', 13]],
    );
    assert.equal(formats[0]!.confidence, Math.min(alone[0]![0]!.confidence, alone[1]![0]!.confidence));
    assert.deepEqual(formats[0]!.notes, [...new Set([...alone[0]![0]!.notes, ...alone[1]![0]!.notes])]);
    assert.ok(formats[0]!.notes.length > 0);
  });
});
