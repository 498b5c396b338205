import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowAnalyzer } from '../../src/core/analysis/analyzer';
import { validateAnalysisConfig } from '../../src/core/analysis/config';
import { combineParts, type AnalysisPart } from '../../src/core/analysis/merge';
import type { LineSet, RowFilter } from '../../src/core/analysis/rows';
import type { AnalysisSummary } from '../../src/shared/summary';
import { FlowParser } from '../../src/core/parser';
import { BatchUndoError, FileBatch } from '../../src/core/analysis/batch';
import { PartCombiner } from '../../src/node/partCombiner';
import { benchLines } from '../../scripts/benchData';

const checked = validateAnalysisConfig({});
if (!checked.ok) throw new Error(checked.errors.join());
const config = checked.config;

function partOf(text: string, cfg = config, hitRoom?: readonly number[]): AnalysisPart {
  const analyzer = new FlowAnalyzer(cfg, { part: true, hitRoom });
  const parser = new FlowParser(analyzer);
  parser.push(text);
  return analyzer.part(parser.end());
}

describe('PartCombiner', () => {
  it('gives what combineParts gives, for parts of several files and of one input', () => {
    // 7 parts (not a power of two: the last merges are uneven), files 0, 0, 1, 2, 2, 2, 3.
    const lines = benchLines('realistic', 3500, 5);
    const parts = [0, 1, 2, 3, 4, 5, 6].map((i) => ({
      part: partOf(lines.slice(i * 500, (i + 1) * 500).join('\n') + '\n'),
      file: [0, 0, 1, 2, 2, 2, 3][i]!,
    }));
    const files = [0, 1, 2, 3].map((i) => ({ path: `f${i}.log`, kind: 'plain' as const, bytes: 1 }));
    const withFiles = new PartCombiner(config, true);
    for (const f of files) withFiles.file(f);
    for (const p of parts) withFiles.add(p.part, p.file);
    assert.deepEqual(withFiles.summary(), combineParts(config, parts, files));

    const one = new PartCombiner(config, false);
    one.file(files[0]!);
    for (const p of parts) one.add(p.part, 0);
    const whole = combineParts(
      config,
      parts.map((p) => ({ part: p.part, file: 0 })),
      undefined,
    );
    assert.deepEqual(one.summary(), whole);
    assert.ok(whole.triggers.some((t) => t.count > 0));
  });

  it('gives the empty summary when nothing was added', () => {
    const c = new PartCombiner(config, true);
    c.file({ path: 'a.log', kind: 'plain', bytes: 0, skipped: 'not a flow log' });
    assert.deepEqual(
      c.summary(),
      combineParts(config, [], [{ path: 'a.log', kind: 'plain', bytes: 0, skipped: 'not a flow log' }]),
    );
  });

  it('asks later parts only for the hits it can still keep, and gives the same summary as with every hit', () => {
    // Few hits kept per trigger, so that the first parts fill them: later parts are made with no room.
    const small = validateAnalysisConfig({ maxHitsPerTrigger: 5 });
    if (!small.ok) throw new Error(small.errors.join());
    const cfg = small.config;
    const lines = benchLines('realistic', 4000, 9);
    const texts = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => lines.slice(i * 500, (i + 1) * 500).join('\n') + '\n');
    const full = texts.map((t, i) => ({ part: partOf(t, cfg), file: i }));
    const files = texts.map((_, i) => ({ path: `f${i}.log`, kind: 'plain' as const, bytes: 1 }));
    const c = new PartCombiner(cfg, true);
    for (const f of files) c.file(f);
    const rooms: number[][] = [];
    texts.forEach((t, i) => {
      const room = c.hitRoom();
      rooms.push(room);
      c.add(partOf(t, cfg, room), i);
    });
    assert.deepEqual(c.summary(), combineParts(cfg, full, files));
    // The rooms shrink to nothing for the triggers that hit early, and those parts described no hit.
    const last = rooms[rooms.length - 1]!;
    assert.ok(last.some((r) => r === 0));
    assert.ok(last.every((r) => r >= 0 && r <= 5));
    const withoutRoom = partOf(texts[7]!, cfg, last);
    withoutRoom.triggers.forEach((t, i) => {
      assert.ok(t.hits.length <= last[i]!);
      assert.equal(t.count, full[7]!.part.triggers[i]!.count);
    });
  });

  it("decides each part's port scans as it comes, through trackers that carry on: one pass's scans, cut at any line", () => {
    // Small thresholds, a short window and few tracked pairs: scans start in one part and end in the next, and
    // CLOCK eviction drops pairs, so a replay that restarted per part or dropped state would differ.
    const small = validateAnalysisConfig({
      portScan: { distinctPorts: 3, distinctHosts: 3, windowSeconds: 60, maxTracked: 16 },
    });
    if (!small.ok) throw new Error(small.errors.join());
    const cfg = small.config;
    const lines = benchLines('realistic', 6000, 21);
    const one = new FlowAnalyzer(cfg);
    const parser = new FlowParser(one);
    parser.push(lines.join('\n') + '\n');
    const whole = one.finish(parser.end());
    const scans = whole.triggers.find((t) => t.id === 'port-scan')!;
    assert.ok(scans.count >= 5, `scans: ${scans.count}`);
    for (const cuts of [
      [0, 6000],
      [0, 1, 2999, 3000, 6000],
      [0, 577, 1200, 1201, 2500, 4100, 5999, 6000],
    ]) {
      const c = new PartCombiner(cfg, false);
      c.file({ path: 'f.log', kind: 'plain', bytes: 1 });
      for (let i = 0; i + 1 < cuts.length; i++) {
        const text = lines.slice(cuts[i], cuts[i + 1]).join('\n') + '\n';
        c.add(partOf(text, cfg), 0);
      }
      const got = c.summary();
      assert.deepEqual(got.triggers, whole.triggers, `cuts ${cuts.join(',')}`);
      assert.deepEqual(got.security.mitre, whole.security.mitre, `cuts ${cuts.join(',')}`);
      assert.equal(got.totals.alerts, whole.totals.alerts);
    }
  });
});

describe('FileBatch (several small files, one analyzer)', () => {
  const HEADER =
    'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  // One source scanning one host: 8 ports at the end of one file and 8 at the start of the next (the port-scan
  // threshold is 15 within 300 s), so the scan is only seen across the file boundary.
  const scan = (from: number, t: number): string =>
    [0, 1, 2, 3, 4, 5, 6, 7]
      .map(
        (k) => `2 123456789010 eni-1 198.51.100.7 10.0.0.9 4000${k} ${from + k} 6 1 40 ${t + k} ${t + k + 1} REJECT OK`,
      )
      .join('\n') + '\n';
  const texts = [
    `${HEADER}\n${benchLines('realistic', 400, 21, 1_700_000_000).join('\n')}\n${scan(100, 1_700_000_500)}`,
    `${HEADER}\n${scan(200, 1_700_000_520)}${benchLines('realistic', 300, 22, 1_700_000_600).join('\n')}\n`,
    '# my notes\nnot a flow log\nat all\n',
    '',
    `${HEADER}\n`,
    `${HEADER}\nthis line is not a record\n${benchLines('realistic', 200, 23, 1_700_001_000).join('\n')}\nnor this one\n`,
    `${benchLines('realistic', 250, 24, 1_700_001_500).join('\n')}\n`,
    'garbage only\n',
    `${HEADER}\n${benchLines('realistic', 350, 25, 1_700_002_000).join('\n')}\n`,
    // Envelopes (records through the parser's text path), damaged lines, hostile text.
    ...[
      'cloudwatch-get-log-events.json',
      'cloudwatch-export.log',
      'firehose-request-cloudwatch.json',
      'malformed.log',
      'hostile.log',
    ].map((f) => readFileSync(join(__dirname, '..', 'fixtures', f), 'utf8')),
  ];
  const files = texts.map((_, i) => ({ path: `f${i}.log`, kind: 'plain' as const, bytes: 1 }));
  /** As analyzeInputs decides: a file that gave no record but unparsed lines is not a flow log. */
  const leftOut = (s: { records: number; unparsed: number }): boolean => s.records === 0 && s.unparsed > 0;

  /** Each file on its own: its own analyzer and part, left out when it is not a flow log. */
  function oneByOne(): ReturnType<PartCombiner['summary']> {
    const c = new PartCombiner(config, true);
    texts.forEach((text, i) => {
      const analyzer = new FlowAnalyzer(config, { part: true });
      const parser = new FlowParser(analyzer);
      parser.push(text);
      const stats = parser.end();
      const index = c.file(files[i]!);
      if (!leftOut(stats)) c.add(analyzer.part(stats), index);
    });
    return c.summary();
  }

  /** The files in runs of the given lengths, each run through one FileBatch (a run of 1 too). */
  function batched(runs: readonly number[]): ReturnType<PartCombiner['summary']> {
    const c = new PartCombiner(config, true);
    let at = 0;
    for (const n of runs) {
      const batch = new FileBatch(new FlowAnalyzer(config, { part: true }));
      const counts = texts.slice(at, at + n).map((text) => {
        const parser = new FlowParser(batch);
        parser.push(text);
        const stats = parser.end();
        return batch.endFile(stats, leftOut(stats));
      });
      const first = c.file(files[at]!);
      for (let k = 1; k < n; k++) c.file(files[at + k]!);
      c.addBatch(batch.part(), first, counts);
      at += n;
    }
    return c.summary();
  }

  it('gives what the files read one by one give: hits and unparsed lines in their files, a scan across files', () => {
    const ref = oneByOne();
    // The fixture is what the test says it is: a scan across files 0 and 1, hits and unparsed lines in several files.
    const scanHits = ref.triggers.find((t) => t.id === 'port-scan')!.hits;
    assert.ok(scanHits.some((h) => h.file === 1 && h.srcaddr === '198.51.100.7'));
    assert.ok(new Set(ref.triggers.flatMap((t) => t.hits.map((h) => h.file))).size >= 4);
    assert.deepEqual(
      [...new Set(ref.unparsed.map((u) => u.file))].filter((f) => f! < 9),
      [5],
    );
    assert.ok(ref.envelopes.length >= 2, 'envelopes of several kinds');
    assert.deepEqual(
      ref.files?.slice(0, 9).map((f) => [f.lines, f.records, f.unparsedLines]),
      [
        [409, 408, 0],
        [309, 308, 0],
        [0, 0, 0],
        [0, 0, 0],
        [1, 0, 0],
        [203, 200, 2],
        [250, 250, 0],
        [0, 0, 0],
        [351, 350, 0],
      ],
    );
    assert.deepEqual(batched([texts.length]), ref);
  });

  it('gives the same summary for any cut of the files into batches', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const ref = oneByOne();
    for (let round = 0; round < 12; round++) {
      const runs: number[] = [];
      for (let left = texts.length; left > 0;) {
        const n = 1 + rand(left);
        runs.push(n);
        left -= n;
      }
      assert.deepEqual(batched(runs), ref, `runs ${runs.join(',')}`);
    }
  });

  /** Every file through one FileBatch with an analyzer not in part mode (a folder's port-scan filter). */
  function onePass(filters: RowFilter[]): { summary: AnalysisSummary; lines: LineSet } {
    const batch = new FileBatch(new FlowAnalyzer(config, { filters }));
    for (const text of texts) {
      const parser = new FlowParser(batch);
      parser.push(text);
      const stats = parser.end();
      batch.endFile(stats, leftOut(stats));
    }
    return { summary: batch.summary(), lines: batch.portScanLines() };
  }

  it('in one pass (not in part mode) gives what the files read one by one give, hits and unparsed lines in their files', () => {
    const ref = oneByOne();
    const { summary } = onePass([]);
    assert.deepEqual({ ...summary, files: ref.files }, ref);
  });

  it('in one pass decides the port-scan row a split analysis refuses: the count the row shows, its hits and lines', () => {
    const ref = oneByOne();
    const row = ref.triggers.find((t) => t.id === 'port-scan')!;
    assert.ok(
      row.hits.some((h) => h.file === 1),
      'a scan across files 0 and 1',
    );
    const filters: RowFilter[] = [{ dimension: 'trigger', key: 'port-scan' }];
    assert.throws(() => new FlowAnalyzer(config, { part: true, filters }), /one pass/);
    const { summary, lines } = onePass(filters);
    assert.equal(summary.filtered?.matched, row.count);
    assert.equal(summary.totals.rejected, row.count, 'port scans are counted on REJECT records');
    assert.deepEqual(summary.triggers.find((t) => t.id === 'port-scan')!.hits, row.hits);
    // The line set answers within each file: the hit's line in file 1, not the same line in file 0, nor the line
    // counted across the files (file 0 has 409 lines).
    const hit = row.hits[0]!;
    assert.equal(hit.file, 1);
    lines.file!(1);
    assert.ok(lines.has(hit.line));
    assert.ok(!lines.has(hit.line + 409));
    lines.file!(0);
    assert.ok(!lines.has(hit.line));
    lines.file!(1);
    assert.ok(lines.has(hit.line), 'told the file again');
  });

  it('cannot leave out a file that gave records (the caller reads the files one by one instead)', () => {
    const batch = new FileBatch(new FlowAnalyzer(config, { part: true }));
    const parser = new FlowParser(batch);
    parser.push(texts[0]!);
    assert.throws(() => batch.endFile(parser.end(), true), BatchUndoError);
  });
});
