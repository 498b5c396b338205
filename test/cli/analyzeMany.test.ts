import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_V2_FIELDS } from '../../src/core/format';
import type { AnalysisSummary } from '../../src/shared/summary';
import { benchLines } from '../../scripts/benchData';
import { writeFlowParquet } from '../../scripts/parquetWriter';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const HEADER = DEFAULT_V2_FIELDS.join(' ');

function run(args: string[], input?: string | Buffer): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 1 << 28,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every exact figure of a summary (line numbers and envelopes aside: files number their own lines). */
function exact(s: AnalysisSummary): unknown {
  const { lines, ...totals } = s.totals;
  return {
    lines,
    totals,
    timeRange: s.timeRange,
    triggers: s.triggers.map((t) => [t.id, t.count, t.hits.map((h) => h.description)]),
    mitre: s.security.mitre,
    series: [s.network.overTime, s.security.overTime],
    tables: [
      s.network.protocols,
      s.network.dstPorts,
      s.network.talkers,
      s.network.conversations,
      s.network.interfaces,
      s.security.blockedSources,
      s.security.blockedPorts,
    ],
    formatRecords: s.formats.reduce((n, f) => n + f.records, 0),
  };
}

describe('vpcflow analyze with several inputs and folders (real CLI)', function () {
  this.timeout(240_000);
  let dir = '';
  let folder = '';
  let concatenated = '';
  const texts = [0, 1, 2, 3, 4].map((i) => benchLines('realistic', 600, 40 + i, 1_700_000_000 + i * 300));
  const put = (p: string, body: string | Buffer): string => {
    const path = join(folder, p);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, body);
    return path;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vpcflow-many-'));
    folder = join(dir, 'logs');
    const s3 = (t: string, ext: string): string =>
      `AWSLogs/123456789010/vpcflowlogs/us-east-1/2023/11/14/123456789010_vpcflowlogs_us-east-1_fl-0a1b_20231114T${t}Z_fe12.${ext}`;
    const hive = (t: string, ext: string): string =>
      `hive/AWSLogs/aws-account-id=123456789010/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2023/month=11/day=14/hour=00/123456789010_vpcflowlogs_eu-west-1_fl-9f8e_20231114T${t}Z_0a0b.${ext}`;
    // Written out of time order: the folder is read in the order the names carry.
    put(s3('0010', 'log.gz'), gzipSync(`${HEADER}\n${texts[2]!.join('\n')}\n`));
    put(s3('0000', 'log'), `${HEADER}\n${texts[0]!.join('\n')}\n`);
    put(hive('0005', 'log.parquet'), Buffer.alloc(0));
    writeFlowParquet(
      join(folder, hive('0005', 'log.parquet')),
      DEFAULT_V2_FIELDS,
      texts[1]!.map((l) => l.split(' ')),
    );
    put(hive('0015', 'log.gz'), gzipSync(`${HEADER}\n${texts[3]!.join('\n')}\n`));
    put('README.md', '# Flow logs synced from S3\n\nSee the runbook.\n');
    concatenated = join(dir, 'all.log');
    writeFileSync(concatenated, [0, 1, 2, 3].map((i) => `${HEADER}\n${texts[i]!.join('\n')}\n`).join(''));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a folder (S3 and Hive layouts, .log, .log.gz, .parquet) equals the concatenated files; a non-log file is reported and skipped', () => {
    const many = run(['analyze', folder, '--json']);
    assert.equal(many.status, 0, many.stderr);
    const one = run(['analyze', concatenated, '--json']);
    assert.equal(one.status, 0, one.stderr);
    const a = JSON.parse(many.stdout) as AnalysisSummary;
    const b = JSON.parse(one.stdout) as AnalysisSummary;
    assert.deepEqual(exact(a), exact(b));
    assert.match(many.stderr, /skipped '.*README\.md': not a flow log/);
    assert.deepEqual(
      a.files?.map((f) => [f.path.slice(folder.length + 1).replace(/^.*_(\d{8}T\d{4}Z).*$/, '$1'), f.kind, f.records]),
      [
        ['20231114T0000Z', 'plain', 600],
        ['20231114T0005Z', 'parquet', 600],
        ['20231114T0010Z', 'gzip', 600],
        ['20231114T0015Z', 'gzip', 600],
        ['README.md', 'plain', 0],
      ],
    );
    assert.equal(a.files?.[4]?.skipped?.startsWith('not a flow log'), true);
    // Each format once, with the records of every file (or header line) read in it: the Parquet object's columns
    // read as the same 14 fields.
    for (const s of [a, b])
      assert.deepEqual(
        s.formats.map((f) => [f.label, f.records]),
        [['header (14 fields)', 2400]],
      );
    // Every hit and unparsed line carries its file.
    for (const t of a.triggers) for (const h of t.hits) assert.equal(typeof h.file, 'number');
  });

  it('--jobs 1 and --jobs 4 give the same summary', () => {
    const one = run(['analyze', folder, '--json', '--jobs', '1']);
    const four = run(['analyze', folder, '--json', '--jobs', '4']);
    assert.equal(one.status, 0, one.stderr);
    assert.equal(four.status, 0, four.stderr);
    assert.equal(one.stdout, four.stdout);
    const split = run(['analyze', concatenated, '--json', '--jobs', '4']);
    assert.equal(split.status, 0, split.stderr);
    assert.equal(split.stdout, run(['analyze', concatenated, '--json']).stdout);
  });

  it('the report names the file of every hit and lists the files', () => {
    const r = run(['analyze', folder, join(folder, '..', 'all.log')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Files {6}6 \(5 analysed, 1 skipped, 0 damaged;/m);
    assert.match(r.stdout, /\.log(\.gz|\.parquet)?:\d+: /);
    assert.doesNotMatch(r.stdout, /^ {2}line \d+: /m);
  });

  it('the report of a folder of mixed formats: each layout once, notes naming their format, aligned file rows', () => {
    const mixed = join(dir, 'mixed');
    const longName = join(mixed, 'a/very/deep/folder/of/objects/synced/from/s3/for/one/account/and/one/region/x.log');
    mkdirSync(join(longName, '..'), { recursive: true });
    // Two header-less files, inferred as the default format each with its own confidence (one line: a weak guess).
    writeFileSync(join(mixed, 'one-line.log'), `${texts[0]![0]}\n`);
    writeFileSync(longName, `${texts[1]!.slice(0, 40).join('\n')}\n`);
    // Two headers of three fields in different orders: the same label, told apart by their first fields.
    writeFileSync(join(mixed, 'short-a.log'), 'srcaddr dstaddr action\n10.0.0.1 10.0.0.2 ACCEPT\n');
    writeFileSync(join(mixed, 'short-b.log'), 'action srcaddr dstaddr\nREJECT 10.0.0.3 10.0.0.4\n');
    const r = run(['analyze', mixed]);
    assert.equal(r.status, 0, r.stderr);
    const formats = /^Formats {4}(.*)$/m.exec(r.stdout)?.[1];
    assert.equal(
      formats,
      'default v2 (41 records); header (3 fields) [srcaddr dstaddr action] (1 record); header (3 fields) [action srcaddr dstaddr] (1 record)',
    );
    assert.match(r.stdout, /^ {2}note \(default v2\): decided on 1 line only$/m);
    assert.doesNotMatch(r.stdout, /^ {2}note: /m);
    // One row per file: the counts in the same columns whatever the path's length, the path last.
    const rows = r.stdout.split('\n').filter((l) => / unparsed {2}plain /.test(l));
    assert.equal(rows.length, 4);
    const at = rows.map((l) => [l.indexOf(' unparsed'), l.indexOf('plain'), l.indexOf('/')]);
    assert.ok(
      at.every((x) => x[0] === at[0]![0] && x[1] === at[0]![1] && x[2] === at[0]![2]),
      rows.join('\n'),
    );
    assert.ok(rows.some((l) => l.endsWith(longName)));
    assert.ok(rows.some((l) => /^ +1 record {3}/.test(l)));
  });

  it('a truncated gzip in a folder exits 2 and the rest is analysed; --fail-on wins with 3; a missing path exits 1', () => {
    const gz = gzipSync(`${HEADER}\n${texts[4]!.join('\n')}\n`);
    const cutDir = join(dir, 'cut');
    mkdirSync(cutDir);
    writeFileSync(join(cutDir, 'a.log'), `${HEADER}\n${texts[0]!.join('\n')}\n`);
    writeFileSync(join(cutDir, 'b.log.gz'), gz.subarray(0, gz.length >> 1));
    const r = run(['analyze', cutDir, '--json']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /damaged input '.*b\.log\.gz': the gzip data ends early \(truncated\)/);
    const s = JSON.parse(r.stdout) as AnalysisSummary;
    assert.ok(s.totals.records > 600 && s.totals.records < 1200, String(s.totals.records));
    assert.match(s.files?.[1]?.damage ?? '', /truncated/);
    assert.equal(run(['analyze', cutDir, '--json', '--fail-on', 'actionable']).status, 3);
    const missing = run(['analyze', cutDir, join(dir, 'nope.log')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot read '.*nope\.log': no such file/);
    assert.equal(run(['analyze', cutDir, '--jobs', '0']).status, 1);
  });

  it('stdin mixes with files', () => {
    const r = run(['analyze', '-', concatenated, '--json'], `${HEADER}\n${texts[4]!.join('\n')}\n`);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout) as AnalysisSummary;
    assert.equal(s.totals.records, 3000);
    assert.deepEqual(
      s.files?.map((f) => f.path),
      ['-', concatenated],
    );
  });

  it('parse prints every file of a folder, in time order, each with its own format', () => {
    const r = run(['parse', folder, '--ndjson']);
    assert.equal(r.status, 0, r.stderr);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; line: number });
    assert.equal(rows.filter((x) => x.file.endsWith('.gz')).length, 1200);
    assert.equal(rows.filter((x) => x.file.endsWith('.parquet')).length, 600);
    assert.ok(rows.every((x) => typeof x.line === 'number'));
    const table = run(['parse', join(folder, 'README.md'), concatenated]);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^==> .*README\.md <==$/m);
    assert.match(table.stdout, /^==> .*all\.log <==$/m);
  });

  it('help texts name folders and --jobs', () => {
    const h = run(['analyze', '--help']);
    assert.equal(h.status, 0);
    assert.match(h.stdout, /Usage: vpcflow analyze <path\.\.\.>/);
    assert.match(h.stdout, /--jobs <n>/);
    assert.match(run(['parse', '--help']).stdout, /Usage: vpcflow parse <path\.\.\.>/);
    assert.match(run(['--help']).stdout, /analyze <path\.\.\.>/);
  });
});
