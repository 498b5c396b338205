// Many inputs on every core (issue 12): wall time of the shipped CLI (dist/cli.js, worker pool) side by side with
// the one-liners a user would otherwise run, and peak RSS by number of files.
//
//   npx tsx scripts/benchInputs.ts             everything, 3 runs each (ranges are printed)
//   npx tsx scripts/benchInputs.ts --runs 1    one run each
//   npx tsx scripts/benchInputs.ts --only plain|gzip|parquet|rss
//
// Rows:
//   1. one plain file, 1,000,000 default-format lines: vpcflow analyze --jobs 1, 2, N vs mawk on the same file, and
//      the machine's own parallel scaling (two independent analyses of 500,000 lines at once against one alone)
//   2. a folder of 288 .log.gz objects (the same lines): vpcflow analyze <dir> (all cores) vs
//      `zcat … | mawk` and vs DuckDB computing the dashboard tables with read_csv over the folder
//   3. the same records as Parquet, one object per interval: rows/s on all cores and on one, and the machine's
//      parallel scaling on them (two halves of the folder at once against one alone)
//   4. peak RSS (whole process, workers included) with 288 vs 2,880 .log.gz objects, and with the 288 named 12
//      times (12,000,000 lines: flat in the total size)
// Each timed run is a fresh process; wall time is what a user waits for, so on a shared machine the
// neighbours are measured too: run it on a quiet one for figures to publish.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { generateBenchFiles, generateGzipFolder, generateParquetFolder } from './benchData';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const DATA = join(ROOT, 'bench-data');
const MAWK = '/usr/bin/mawk';
const TIME = '/usr/bin/time';
const MAWK_PROGRAM = '$13=="REJECT"{c[$7]++} END{for(p in c) print p, c[p]}';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? '3') || 3;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const N = availableParallelism();

interface Timed {
  seconds: number;
  maxRssMB: number;
  status: number | null;
}

/** Wall time and peak RSS (GNU time's %M: the whole process, threads included) of one command, or of a bash pipeline. */
function timed(cmd: string, argv: string[], shell = false): Timed {
  const rssFile = join(DATA, 'bench-rss.txt');
  const command = shell ? ['bash', '-c', cmd] : [cmd, ...argv];
  const withTime = existsSync(TIME) ? [TIME, '-f', '%M', '-o', rssFile, ...command] : command;
  const t0 = process.hrtime.bigint();
  // stdout is piped and dropped: an 'ignore'd stdout is /dev/null opened read-write, which the CLI takes for a
  // closed stdout (see stdoutWasClosed in src/cli/main.ts).
  const r = spawnSync(withTime[0]!, withTime.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let kb = NaN;
  try {
    kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  } catch {
    // no GNU time
  }
  return { seconds, maxRssMB: kb / 1024, status: r.status };
}

function runs(f: () => Timed): Timed[] {
  const out: Timed[] = [];
  for (let i = 0; i < RUNS; i++) out.push(f());
  return out;
}

function range(xs: number[], digits = 2): string {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo.toFixed(digits) === hi.toFixed(digits) ? lo.toFixed(digits) : `${lo.toFixed(digits)}–${hi.toFixed(digits)}`;
}

const table: string[][] = [['bench', 'wall s (runs)', 'vs', 'ratio', 'target', 'peak RSS MB']];
/** Each row as it is measured (the aligned table comes at the end). */
function said(r: string[]): void {
  if (table[table.length - 1] !== r) table.push(r);
  console.log(`  ${r.filter((c) => c !== '').join(' | ')}`);
}
function row(name: string, ours: Timed[], base: Timed[] | undefined, baseName: string, target: string): void {
  const w = ours.map((r) => r.seconds);
  const ratios = base ? ours.map((r, i) => r.seconds / base[Math.min(i, base.length - 1)]!.seconds) : [];
  const r = [
    name,
    range(w),
    base ? `${baseName} ${range(base.map((r) => r.seconds))} s` : '',
    ratios.length ? `${range(ratios)}×` : '',
    target,
    range(
      ours.map((r) => r.maxRssMB),
      0,
    ),
  ];
  table.push(r);
  said(r);
}

/** A scaling row: two independent runs at once (`both`) against one of them alone, as the work done per second. */
function scalingRow(name: string, both: Timed[], alone: Timed[]): void {
  said([
    name,
    range(both.map((r) => r.seconds)),
    `one alone ${range(alone.map((r) => r.seconds))} s`,
    `${range(both.map((t, i) => (2 * alone[Math.min(i, alone.length - 1)]!.seconds) / t.seconds))}× the work per second`,
    '',
    '',
  ]);
}

function cli(...argv: string[]): Timed {
  const r = timed(process.execPath, [CLI, 'analyze', '--json', '--no-progress', ...argv]);
  if (r.status !== 0 && r.status !== 3 && r.status !== 2)
    throw new Error(`vpcflow analyze ${argv.join(' ')}: exit ${r.status}`);
  return r;
}

/** The files under `dir` whose names end in `suffix`, in name order, folder by folder. */
function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith(suffix)) out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

/** The DuckDB side: a bundled script that computes the dashboard tables with read_csv over the folder. */
function duckdbScript(): string {
  const out = join(DATA, 'bench-duckdb.cjs');
  buildSync({
    entryPoints: [join(__dirname, 'benchDuckdb.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    outfile: out,
    logLevel: 'warning',
    external: ['@duckdb/node-api'],
    nodePaths: [join(ROOT, 'node_modules')],
  });
  return out;
}

async function main(): Promise<void> {
  spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'ignore' });
  const files = await generateBenchFiles();
  console.log(
    `Many-input bench: node ${process.version}, ${N} cores, dist/cli.js, ${RUNS} run(s) each, wall time (a shared machine measures its neighbours too)`,
  );

  if (!only || only === 'plain') {
    const size = statSync(files.default).size;
    console.log(`one plain file: ${files.default} (${(size / 1e6).toFixed(1)} MB, 1,000,000 lines)`);
    const mawk = existsSync(MAWK) ? runs(() => timed(MAWK, [MAWK_PROGRAM, files.default])) : undefined;
    for (const jobs of [...new Set([1, 2, N])]) {
      row(
        `plain 1M lines, --jobs ${jobs}`,
        runs(() => cli('--jobs', String(jobs), files.default)),
        mawk,
        'mawk',
        jobs === N ? '≤ 2.0× mawk' : '',
      );
    }
    row(
      'plain 1M lines, one pass (no --jobs)',
      runs(() => cli(files.default)),
      mawk,
      'mawk',
      '',
    );
    // What the machine gives in parallel at all: two independent one-pass analyses of half the file at once, against
    // one alone. With N cores that scale, two take as long as one (2.0×); the all-cores rows cannot beat this.
    const half = join(DATA, 'default-500000-v1.log');
    if (!existsSync(half)) spawnSync('bash', ['-c', `head -n 500000 '${files.default}' > '${half}'`]);
    const one = runs(() => cli(half));
    const q = `'${process.execPath}' '${CLI}' analyze --json --no-progress '${half}' >/dev/null`;
    scalingRow(
      'parallel scaling: 2 × 500k lines at once',
      runs(() => timed(`${q} & ${q} & wait`, [], true)),
      one,
    );
  }

  if (!only || only === 'gzip') {
    const dir = await generateGzipFolder(288);
    const list = join(DATA, 'gz-288.list');
    writeFileSync(list, filesUnder(dir, '.gz').join('\n') + '\n');
    console.log(`288 .log.gz objects: ${dir}`);
    const zcat = runs(() => timed(`xargs zcat < '${list}' | ${MAWK} '${MAWK_PROGRAM}'`, [], true));
    const ours = runs(() => cli(dir));
    row('288 .log.gz, all cores', ours, zcat, 'zcat|mawk', '≤ 1.5× zcat|mawk');
    const duck = duckdbScript();
    const duckdb = runs(() => timed(process.execPath, [duck, dir]));
    const faster = duckdb.map((d, i) => d.seconds / ours[Math.min(i, ours.length - 1)]!.seconds);
    said([
      'DuckDB read_csv, same tables',
      range(duckdb.map((d) => d.seconds)),
      '',
      `vpcflow ${range(faster)}× faster`,
      '≥ 1.5× faster',
      range(
        duckdb.map((d) => d.maxRssMB),
        0,
      ),
    ]);
  }

  if (!only || only === 'parquet') {
    const dir = await generateParquetFolder(288);
    console.log(`288 .parquet objects: ${dir}`);
    const rowsPerSecond = (xs: Timed[]): string =>
      `${range(
        xs.map((r) => 1e6 / r.seconds / 1e3),
        0,
      )} k rows/s`;
    const rss = (xs: Timed[]): string =>
      range(
        xs.map((r) => r.maxRssMB),
        0,
      );
    const ours = runs(() => cli(dir));
    said([
      '288 .parquet, all cores',
      range(ours.map((r) => r.seconds)),
      '',
      rowsPerSecond(ours),
      '≥ 1 M rows/s',
      rss(ours),
    ]);
    const one = runs(() => cli('--jobs', '1', dir));
    said(['288 .parquet, --jobs 1', range(one.map((r) => r.seconds)), '', rowsPerSecond(one), '', rss(one)]);
    // What the machine gives in parallel on this input: the two halves of the folder (144 objects each) analysed by
    // two independent one-thread processes at once, against the first half alone.
    const objects = filesUnder(dir, '.parquet');
    const halves = [objects.slice(0, objects.length >> 1), objects.slice(objects.length >> 1)].map((h, i) => {
      const list = join(DATA, `parquet-half-${i}.list`);
      writeFileSync(list, h.join('\n') + '\n');
      return `xargs '${process.execPath}' '${CLI}' analyze --json --no-progress --jobs 1 < '${list}' >/dev/null`;
    });
    const alone = runs(() => timed(halves[0]!, [], true));
    scalingRow(
      'parallel scaling: 2 × 144 .parquet at once',
      runs(() => timed(`${halves[0]} & ${halves[1]} & wait`, [], true)),
      alone,
    );
  }

  if (!only || only === 'rss') {
    for (const count of [288, 2880]) {
      const dir = await generateGzipFolder(count);
      row(
        `peak RSS, ${count} .log.gz (1M lines)`,
        runs(() => cli(dir)),
        undefined,
        '',
        'flat',
      );
    }
    // Total size: the same folder named 12 times is 12,000,000 lines (every part's port scans decided as it comes).
    const dir = await generateGzipFolder(288);
    row(
      'peak RSS, 288 .log.gz named 12 times (12M lines)',
      runs(() => cli(...Array<string>(12).fill(dir))),
      undefined,
      '',
      'flat',
    );
  }

  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  for (const r of table)
    console.log(
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
