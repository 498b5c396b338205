import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { validateAnalysisConfig, type AnalysisConfig } from '../../src/core/analysis/config';
import { analyzeText } from '../../src/core/analysis/analyzer';
import { ALPHABETICAL_29_FIELDS } from '../../src/core/format';
import { analyzeInputs, InputsError, listInputs } from '../../src/node/analyzeInputs';
import { runBatch, type BatchResult } from '../../src/node/analyzeTask';
import type { AnalysisSummary } from '../../src/shared/summary';
import { benchLines } from '../../scripts/benchData';
import { writeFlowParquet } from '../../scripts/parquetWriter';

const config = (): AnalysisConfig => {
  const c = validateAnalysisConfig({});
  if (!c.ok) throw new Error(c.errors.join());
  return c.config;
};

const HEADER =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const S3 = (t: string): string =>
  `AWSLogs/123456789010/vpcflowlogs/us-east-1/2024/01/01/123456789010_vpcflowlogs_us-east-1_fl-1_20240101T${t}Z_ab12.log`;

/** The exact figures of a summary (what a split or a folder must give as one pass does). */
function exact(s: AnalysisSummary): unknown {
  return {
    totals: s.totals,
    timeRange: s.timeRange,
    triggers: s.triggers.map((t) => [t.id, t.count]),
    mitre: s.security.mitre,
    overTime: [s.network.overTime, s.security.overTime],
    tables: [
      s.network.protocols,
      s.network.dstPorts,
      s.security.blockedPorts,
      s.network.talkers,
      s.security.blockedSources,
    ],
  };
}

describe('analyzeInputs (worker pool)', function () {
  this.timeout(120_000);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vpcflow-inputs-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists folders recursively, in the time order S3 object names carry, hidden files left out', async () => {
    const root = join(dir, 'list');
    for (const [p, body] of [
      [S3('0010'), 'x'],
      [S3('0005'), 'x'],
      ['AWSLogs/aws-account-id=1/aws-region=r/year=2023/month=12/day=31/h.log', 'x'],
      ['.hidden/a.log', 'x'],
      ['zz.txt', 'x'],
    ] as const) {
      mkdirSync(join(root, p, '..'), { recursive: true });
      writeFileSync(join(root, p), body);
    }
    const list = await listInputs([root]);
    assert.deepEqual(
      list.map((e) => e.display.slice(root.length + 1)),
      ['AWSLogs/aws-account-id=1/aws-region=r/year=2023/month=12/day=31/h.log', S3('0005'), S3('0010'), 'zz.txt'],
    );
    await assert.rejects(listInputs([join(dir, 'nope')]), InputsError);
  });

  it('splits one plain file into byte ranges and gives exactly what one pass gives', async () => {
    const text = benchLines('realistic', 6000, 7).join('\n') + '\n';
    const file = join(dir, 'big.log');
    writeFileSync(file, `${HEADER}\n${text}`);
    const whole = analyzeText(`${HEADER}\n${text}`, { config: config() });
    const one = await analyzeInputs([file], { config: config(), jobs: 1 });
    const split = await analyzeInputs([file], { config: config(), jobs: 3, splitBytes: 20_000 });
    assert.deepEqual(one.summary, whole);
    assert.deepEqual(split.summary, whole);
  });

  it('reads every range with the format inferred from the file start (no header)', async () => {
    const text = benchLines('alphabetical', 3000, 3).join('\n') + '\n';
    const file = join(dir, 'alpha.log');
    writeFileSync(file, text);
    const split = await analyzeInputs([file], { config: config(), jobs: 2, splitBytes: 50_000 });
    assert.deepEqual(split.summary, analyzeText(text, { config: config() }));
  });

  it('reads a file whose format changes mid-file whole (the ranges would not be one pass)', async () => {
    // The header that changes the format comes after the head the format is resolved from (256 KiB) and
    // before the last cut: the last range would start with the wrong format.
    const a = benchLines('default', 15_000, 1).join('\n');
    const b = benchLines('alphabetical', 4000, 2).join('\n');
    const text = `${a}\n${ALPHABETICAL_29_FIELDS.join(' ')}\n${b}\n`;
    const file = join(dir, 'mixed.log');
    writeFileSync(file, text);
    const split = await analyzeInputs([file], { config: config(), jobs: 3, splitBytes: 20_000 });
    const whole = analyzeText(text, { config: config() });
    assert.equal(whole.formats.length, 2);
    assert.deepEqual(split.summary, whole);
  });

  it('a folder equals its files concatenated, with --jobs 1 and 4 alike; notes for skipped and damaged files', async () => {
    const root = join(dir, 'folder');
    const texts = [0, 1, 2, 3].map(
      (i) => benchLines('realistic', 800, 10 + i, 1_700_000_000 + i * 300).join('\n') + '\n',
    );
    const put = (p: string, body: string | Buffer): void => {
      mkdirSync(join(root, p, '..'), { recursive: true });
      writeFileSync(join(root, p), body);
    };
    put(S3('0000'), `${HEADER}\n${texts[0]}`);
    put(`${S3('0005')}.gz`, gzipSync(`${HEADER}\n${texts[1]}`));
    put(
      'AWSLogs/aws-account-id=123456789010/aws-region=us-east-1/year=2024/month=01/day=01/hour=00/late.log',
      texts[2]!,
    );
    put('notes.md', '# my notes\nnot a flow log\n');
    // Time order: 00:00 (S3 name, then the Hive file of the same hour by name), 00:05, then the untimed notes.
    const whole = `${HEADER}\n${texts[0]}${texts[2]}${HEADER}\n${texts[1]}`;
    const progress: number[] = [];
    const four = await analyzeInputs([root], {
      config: config(),
      jobs: 4,
      onProgress: (p) => progress.push(p.filesDone),
    });
    const one = await analyzeInputs([root], { config: config(), jobs: 1 });
    const ref = analyzeText(whole, { config: config() });
    assert.deepEqual(exact(four.summary), exact(ref));
    assert.deepEqual(four.summary, one.summary);
    assert.deepEqual(
      four.skipped.map((s) => s.path.slice(root.length + 1)),
      ['notes.md'],
    );
    assert.match(four.skipped[0]!.reason, /^not a flow log/);
    assert.equal(four.summary.files?.length, 4);
    assert.deepEqual(
      four.summary.files?.map((f) => [f.kind, f.records, f.skipped === undefined]),
      [
        ['plain', 800, true],
        ['plain', 800, true],
        ['gzip', 800, true],
        ['plain', 0, false],
      ],
    );
    assert.equal(progress[progress.length - 1], 4);
    // A truncated gzip: what decoded is counted, the rest of the folder analysed.
    const gz = gzipSync(`${HEADER}\n${texts[3]}`);
    put('cut.log.gz', gz.subarray(0, gz.length >> 1));
    const cut = await analyzeInputs([root], { config: config(), jobs: 2 });
    assert.equal(cut.damaged.length, 1);
    assert.match(cut.damaged[0]!.damage, /truncated/);
    assert.ok(cut.summary.totals.records > four.summary.totals.records);
  });

  it('reads a folder of small objects in batches exactly as one by one (plain, gzip, Parquet, no flow log)', async () => {
    const root = join(dir, 'batches');
    const put = (p: string, body: string | Buffer): void => {
      mkdirSync(join(root, p, '..'), { recursive: true });
      writeFileSync(join(root, p), body);
    };
    const times = ['0000', '0005', '0010', '0015', '0020', '0025', '0030', '0035'];
    times.forEach((t, i) => {
      const lines = benchLines('realistic', 300 + 20 * i, 40 + i, 1_700_000_000 + i * 300);
      if (i % 3 === 0) put(S3(t), `${HEADER}\n${lines.join('\n')}\nnot a record ${i}\n`);
      else if (i % 3 === 1) put(`${S3(t)}.gz`, gzipSync(`${HEADER}\n${lines.join('\n')}\n`));
      else {
        mkdirSync(join(root, S3(t), '..'), { recursive: true });
        writeFlowParquet(
          join(root, `${S3(t)}.parquet`),
          HEADER.split(' '),
          lines.map((l) => l.split(' ')),
        );
      }
    });
    put(`${S3('0012')}.txt`, 'a note in the middle of the day\n');
    const alone = await analyzeInputs([root], { config: config(), jobs: 1, batchBytes: 0 });
    assert.equal(alone.summary.files?.length, 9);
    assert.deepEqual(
      alone.skipped.map((s) => s.path.slice(root.length + 1)),
      [`${S3('0012')}.txt`],
    );
    assert.deepEqual(
      alone.summary.files?.map((f) => f.kind),
      ['plain', 'gzip', 'parquet', 'plain', 'plain', 'gzip', 'parquet', 'plain', 'gzip'],
    );
    assert.deepEqual([...new Set(alone.summary.unparsed.map((u) => u.file))], [0, 4, 7]);
    for (const jobs of [1, 2]) {
      for (const batchBytes of [undefined, 40_000]) {
        const r = await analyzeInputs([root], { config: config(), jobs, batchBytes });
        assert.deepEqual(r.summary, alone.summary, `jobs ${jobs}, batches of ${batchBytes ?? 'default'} bytes`);
        assert.deepEqual(r.skipped, alone.skipped);
      }
    }
    const seen: number[] = [];
    const shared = await analyzeInputs([root], {
      config: config(),
      jobs: 1,
      sharedThread: true,
      onProgress: (p) => seen.push(p.filesDone),
    });
    assert.deepEqual(shared.summary, alone.summary);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => a - b),
      'files done never go back',
    );
    assert.equal(seen.at(-1), 9);
    // A batch on a thread that serves others (the extension host) lets the event loop turn after every piece it
    // reads (at least once per file); on a thread of its own it does not need to.
    const paths = times.map((t, i) => {
      const path = join(root, 'plain', `${t}.log`);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, `${HEADER}\n${benchLines('realistic', 100, 60 + i).join('\n')}\n`);
      return path;
    });
    const rowsFile = join(root, 'plain', 'rows.parquet');
    writeFlowParquet(
      rowsFile,
      HEADER.split(' '),
      benchLines('realistic', 100, 70).map((l) => l.split(' ')),
    );
    paths.push(rowsFile);
    const setup = { config: config() };
    const turnsDuring = async (sharedThread: boolean): Promise<{ turns: number; result: BatchResult }> => {
      let turns = 0;
      let running = true;
      const tick = (): void => {
        turns++;
        if (running) setImmediate(tick);
      };
      setImmediate(tick);
      const result = await runBatch({ batch: paths }, setup, undefined, sharedThread);
      running = false;
      return { turns, result };
    };
    const own = await turnsDuring(false);
    const polite = await turnsDuring(true);
    assert.deepEqual(polite.result, own.result);
    assert.ok(polite.turns >= paths.length, `${polite.turns} turns for ${paths.length} files`);
    assert.ok(own.turns < paths.length, `${own.turns} turns on a thread of its own`);
  });

  it('cancels on an AbortSignal and says so', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await analyzeInputs([join(dir, 'big.log')], { config: config(), jobs: 2, signal: ac.signal });
    assert.equal(r.cancelled, true);
  });
});
