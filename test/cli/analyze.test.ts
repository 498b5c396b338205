import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalysisSummary } from '../../src/shared/summary';
import { runAnalyze } from '../../src/cli/analyze';
import { line, lines } from '../core/analysis/helpers';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const FIXTURES = join(ROOT, 'test', 'fixtures');

function run(args: string[], input?: string | Buffer): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('vpcflow analyze (real CLI)', function () {
  this.timeout(60_000);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vpcflow-analyze-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--json prints the summary with the required fields', () => {
    const r = run(['analyze', join(FIXTURES, 'aws-examples-default.log'), '--json']);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout) as AnalysisSummary;
    assert.deepEqual(
      [
        s.totals.records,
        s.totals.accepted,
        s.totals.rejected,
        s.totals.noData,
        s.totals.skipData,
        s.totals.unparsedLines,
      ],
      [7, 3, 2, 1, 1, 0],
    );
    const rdp = s.triggers.find((t) => t.id === 'rdp-blocked');
    assert.deepEqual(
      rdp && {
        name: rdp.name,
        actionable: rdp.actionable,
        mitre: rdp.mitre?.technique,
        tactic: rdp.mitre?.tactic,
        count: rdp.count,
        line: rdp.hits[0]?.line,
      },
      {
        name: 'AWS VPC: RDP Blocked (3389)',
        actionable: true,
        mitre: 'T1110',
        tactic: 'Credential Access',
        count: 1,
        line: 2,
      },
    );
    assert.equal(s.triggers.find((t) => t.id === 'traffic-rejected')?.mitre, null);
  });

  it('--fail-on actionable exits 3 when an actionable trigger fired, 0 otherwise', () => {
    const file = join(FIXTURES, 'aws-examples-default.log');
    assert.equal(run(['analyze', file, '--json', '--fail-on', 'actionable']).status, 3);
    assert.equal(run(['analyze', file, '--json']).status, 0);
    // only an ICMP reject: traffic-rejected is not actionable
    const quiet = join(dir, 'quiet.log');
    writeFileSync(quiet, lines(line({ proto: 1, sport: 0, dport: 0 }), line({ action: 'ACCEPT', dport: 22 })));
    const r = run(['analyze', quiet, '--fail-on', 'actionable']);
    assert.equal(r.status, 0, r.stderr);
  });

  it('reads gzip files and stdin', () => {
    const gz = join(FIXTURES, '123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0420Z_fe123456.log.gz');
    const a = run(['analyze', gz, '--json']);
    assert.equal(a.status, 0, a.stderr);
    assert.ok((JSON.parse(a.stdout) as AnalysisSummary).totals.records > 0);
    const b = run(['analyze', '-', '--json'], readFileSync(join(FIXTURES, 'cloudwatch-filter-log-events.json')));
    assert.equal(b.status, 0, b.stderr);
    const s = JSON.parse(b.stdout) as AnalysisSummary;
    assert.ok(s.totals.records > 0);
    assert.ok(s.envelopes.some((e) => e.kind === 'filter-log-events'));
  });

  it('prints a readable report without --json', () => {
    const r = run(['analyze', join(FIXTURES, 'aws-examples-default.log')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /3 accepted, 2 rejected, 1 NODATA, 1 SKIPDATA/);
    assert.match(r.stdout, /AWS VPC: RDP Blocked \(3389\)\s+1/);
    assert.match(r.stdout, /line 2: RDP blocked: 172\.31\.9\.69 → 172\.31\.9\.12:3389/);
    assert.match(r.stdout, /Top blocked sources/);
    assert.equal(r.stderr, '');
  });

  it('config flags change the analysis', () => {
    const file = join(dir, 'scan.log');
    const ls = Array.from({ length: 6 }, (_, i) =>
      line({ src: '203.0.113.5', dst: '10.0.0.1', dport: 2000 + i, start: 1_700_000_000 + i }),
    );
    ls.push(line({ dport: 2222 }));
    writeFileSync(file, lines(...ls));
    const base = JSON.parse(run(['analyze', file, '--json']).stdout) as AnalysisSummary;
    assert.equal(base.triggers.find((t) => t.id === 'port-scan')?.count, 0);
    assert.equal(base.triggers.find((t) => t.id === 'ssh-blocked')?.count, 0);
    const r = run(['analyze', file, '--json', '--scan-ports', '5', '--ports', 'ssh-blocked=22,2222']);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout) as AnalysisSummary;
    assert.equal(s.triggers.find((t) => t.id === 'port-scan')?.count, 1);
    assert.equal(s.triggers.find((t) => t.id === 'ssh-blocked')?.count, 1);
  });

  it('usage and I/O errors exit 1 with a clear message', () => {
    const missing = run(['analyze']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /missing input/);
    const badScan = run(['analyze', '-', '--scan-ports', '1']);
    assert.equal(badScan.status, 1);
    assert.match(badScan.stderr, /--scan-ports: 1 is out of range \(2 to 65536\)/);
    const badPorts = run(['analyze', '-', '--ports', 'ssh-blockd=22']);
    assert.equal(badPorts.status, 1);
    assert.match(badPorts.stderr, /did you mean 'ssh-blocked'/);
    const badFail = run(['analyze', '-', '--fail-on', 'everything']);
    assert.equal(badFail.status, 1);
    assert.match(badFail.stderr, /--fail-on: expects 'actionable'/);
    const nofile = run(['analyze', join(dir, 'does-not-exist.log')]);
    assert.equal(nofile.status, 1);
    assert.match(nofile.stderr, /does-not-exist\.log/);
  });
});

describe('vpcflow analyze progress line', () => {
  const slowStdin = (chunks: string[], delayMs: number): AsyncIterable<string> => ({
    async *[Symbol.asyncIterator]() {
      for (const c of chunks) {
        await new Promise((r) => setTimeout(r, delayMs));
        yield c;
      }
    },
  });
  const chunks = Array.from({ length: 8 }, (_, i) => lines(line({ dport: 22, start: 1_700_000_000 + i })));

  it('draws on a TTY stderr while reading, then clears it', async () => {
    let out = '';
    let err = '';
    const io = {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s), isTTY: true },
      stdin: slowStdin(chunks, 120),
    };
    const code = await runAnalyze(['-', '--json'], io);
    assert.equal(code, 0);
    assert.ok(err.includes('\r\u001b[Kanalyzing… '), JSON.stringify(err.slice(0, 40)));
    assert.match(err, /analyzing… \d+ B, /);
    assert.ok(err.endsWith('\r\u001b[K'), JSON.stringify(err.slice(-20)));
    assert.equal((JSON.parse(out) as AnalysisSummary).totals.rejected, 8);
  });

  it('stays silent when stderr is not a terminal, or with --no-progress', async () => {
    for (const [tty, args] of [
      [false, ['-']],
      [true, ['-', '--no-progress']],
    ] as const) {
      let err = '';
      const io = {
        stdout: { write: () => true },
        stderr: { write: (s: string) => (err += s), isTTY: tty },
        stdin: slowStdin(chunks, 100),
      };
      assert.equal(await runAnalyze([...args], io), 0);
      assert.equal(err, '');
    }
  });
});
