// The real `vpcflow query` command (node + tsx on src/cli/main.ts): help, usage errors with clear messages and exit
// status 1, refused values, and DuckDB statements over a folder (several files, gzip, Hive-style sub-folders) whose
// row counts are the analyzer's counts over the same records.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { analyzeText } from '../../src/core/analysis/analyzer';
import { TRIGGERS } from '../../src/core/analysis/triggers';
import { capturedIo } from './capturedIo';

const ROOT = join(__dirname, '..', '..');
const FIX = join(ROOT, 'test', 'fixtures');

/** The command in a child process (the real exit status and streams). */
function spawned(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, VPCFLOW_CLI_NO_AUTORUN: '0' },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The command in this process (main() with captured streams): the same code path, without a process start each. */
async function vpcflow(args: string[]): Promise<{ code: number; out: string; err: string }> {
  process.env.VPCFLOW_CLI_NO_AUTORUN = '1';
  const { main } = await import('../../src/cli/main');
  const c = capturedIo();
  const code = await main(args, c.io);
  return { code, out: c.out, err: c.err };
}

describe('cli: vpcflow query', function () {
  this.timeout(300_000);

  it('--help prints the usage; vpcflow --help lists the command; a usage error exits 1 (child process)', async () => {
    const r = spawned(['query', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^Usage: vpcflow query --engine <engine>/);
    assert.match(r.out, /--partitioned s3\|hive/);
    assert.match((await vpcflow(['--help'])).out, /query --engine/);
    const bad = spawned(['query', '--engine', 'athena', '--table-name', 'a;b']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^vpcflow query: table name "a;b"/);
  });

  it('usage errors exit 1 with a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [[], /--engine is required \(athena, insights, metric-filter, duckdb\)/],
      [['--engine', 'bigquery'], /--engine: 'bigquery' is not an engine/],
      [['--engine', 'athena', '--partitioned', 'daily'], /--partitioned: expects s3 or hive/],
      [
        ['--engine', 'athena', '--table-name', 'flows; DROP TABLE x'],
        /table name "flows; DROP TABLE x": use letters, digits and underscores/,
      ],
      [['--engine', 'athena', '--location', "s3://bucket/x'--"], /location "s3:\/\/bucket\/x'--": quotes, semicolons/],
      [['--engine', 'duckdb', '--trigger', 'ssh'], /unknown trigger 'ssh'; known: ssh-blocked/],
      [['--engine', 'duckdb', '--table', 'talker'], /unknown table 'talker'; known: totals, talkers/],
      [['--engine', 'metric-filter', '--trigger', 'port-scan'], /port-scan: no metric filter/],
      [['--engine', 'duckdb', '--format', '${srcaddr} ${nope}'], /--format: unknown field '\$\{nope\}'/],
      [['--engine', 'duckdb', '--from', join(FIX, 'no-such-file.log')], /--from: cannot read/],
      [['--engine', 'duckdb', '--bogus'], /unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const r = await vpcflow(['query', ...args]);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message, args.join(' '));
      assert.equal(r.out, '', args.join(' '));
    }
  });

  it('--list names every trigger and table with its engines', async () => {
    const r = await vpcflow(['query', '--list']);
    assert.equal(r.code, 0, r.err);
    for (const t of TRIGGERS) assert.match(r.out, new RegExp(`^trigger +${t.id} `, 'm'));
    assert.match(r.out, /^trigger +ssh-blocked +athena, insights, metric-filter, duckdb$/m);
    assert.match(r.out, /^table +mitre +athena, insights, duckdb$/m);
  });

  it("Athena: the table for the log's own column order, partition projection, then the queries", async () => {
    const r = await vpcflow([
      'query',
      '--engine',
      'athena',
      '--from',
      join(FIX, 'custom-v5-service-path.log'),
      '--partitioned',
      's3',
      '--location',
      's3://my-logs/AWSLogs/123456789012/vpcflowlogs/eu-west-1/',
    ]);
    assert.equal(r.code, 0, r.err);
    const header = readFileSync(join(FIX, 'custom-v5-service-path.log'), 'utf8').split('\n')[0]!.split(' ');
    const cols = /CREATE EXTERNAL TABLE IF NOT EXISTS vpc_flow_logs \(\n([\s\S]*?)\n\)/
      .exec(r.out)![1]!
      .split(',\n')
      .map((c) => c.trim().split(' ')[0]!.replace(/`/g, ''));
    assert.deepEqual(
      cols,
      header.map((f) => f.replace(/-/g, '_')),
    );
    assert.match(r.out, /'projection\.day\.format' = 'yyyy\/MM\/dd'/);
    assert.match(r.out, /FROM vpc_flow_logs/);
  });

  it("DuckDB over a folder (plain, gzip, Hive sub-folders): one row per hit, the analyzer's count per trigger", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpcflow-query-cli-'));
    try {
      // The demo log split in three files, as S3 delivers them: each with the header line, one gzip-compressed, in
      // Hive-style sub-folders; the analyzer reads the same records in the same (file name) order.
      const lines = readFileSync(join(ROOT, 'demo', 'busy-vpc.log'), 'utf8')
        .trimEnd()
        .split('\n');
      const header =
        'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
      const third = Math.ceil(lines.length / 3);
      const parts = [lines.slice(0, third), lines.slice(third, 2 * third), lines.slice(2 * third)];
      const names = ['year=2024/month=06/a.log', 'year=2024/month=06/b.log.gz', 'year=2024/month=07/c.log'];
      parts.forEach((p, i) => {
        const file = join(dir, names[i]!);
        mkdirSync(join(file, '..'), { recursive: true });
        const text = `${header}\n${p.join('\n')}\n`;
        writeFileSync(file, file.endsWith('.gz') ? gzipSync(text) : text);
      });
      copyFileSync(join(FIX, 'README.md'), join(dir, 'README.md')); // not an input: ignored
      const summary = analyzeText(lines.join('\n') + '\n');
      const db = await DuckDBInstance.create(':memory:');
      const c = await db.connect();
      for (const def of TRIGGERS) {
        const r = await vpcflow([
          'query',
          '--engine',
          'duckdb',
          '--from',
          dir,
          '--partitioned',
          'hive',
          '--trigger',
          def.id,
        ]);
        assert.equal(r.code, 0, r.err);
        assert.match(r.out, /hive_partitioning = true/);
        const got = await c.runAndReadAll(r.out);
        assert.equal(got.currentRowCount, summary.triggers.find((t) => t.id === def.id)!.count, def.id);
      }
      c.closeSync();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
