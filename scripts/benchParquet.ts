// Times reading and analysing a 1,000,000-row flow-log Parquet file (AWS's schema, gzip, row groups of 100,000),
// on one thread: decoding the columns alone (to cells, no text: the floor of any Parquet path), the Parquet -> text
// round trip alone, and the whole analysis as `vpcflow analyze x.parquet` does it (text to the parser as UTF-8
// bytes), next to the analysis of the same records as a text file.
//
//   npx tsx scripts/benchParquet.ts [--runs N] [--row-group N]
//
// The Parquet file is made once from bench-data/default-1000000-v1.log (generated if missing) into bench-data/.
// Each run is a fresh child process running this script bundled by esbuild (as the CLI ships the core).
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FlowAnalyzer } from '../src/core/analysis/analyzer';
import { parquetBytes, parquetText, rowGroups } from '../src/core/input/parquet';
import { FlowParser } from '../src/core/parser';
import { fileBuffer, NODE_PARQUET } from '../src/node/parquetFile';
import { bundleChild } from './benchChild';
import { generateBenchFiles } from './benchData';
import { writeFlowParquetStream } from './parquetWriter';

type Mode = 'decode-only' | 'text-round-trip' | 'analyze-parquet' | 'analyze-text';

interface Run {
  seconds: number;
  /** CPU seconds (user + system): what a busy machine's wall time hides. */
  cpu: number;
  rows: number;
  records: number;
  maxRssMB: number;
}

async function one(mode: Mode, path: string): Promise<Run> {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let rows = 0;
  let records = 0;
  if (mode === 'analyze-text') {
    const analyzer = new FlowAnalyzer();
    const parser = new FlowParser(analyzer);
    await new Promise<void>((resolve, reject) => {
      const rs = createReadStream(path, { highWaterMark: 1 << 20 });
      rs.on('data', (chunk) => parser.push(chunk as Buffer));
      rs.on('end', resolve);
      rs.on('error', reject);
    });
    const s = analyzer.finish(parser.end());
    rows = s.totals.records;
    records = s.totals.records;
  } else if (mode === 'decode-only') {
    const file = await fileBuffer(path);
    for await (const g of rowGroups(file, undefined, NODE_PARQUET)) rows += g.cols.length > 0 ? g.rows : 0;
    await file.close();
  } else {
    const file = await fileBuffer(path);
    const analyzer = mode === 'text-round-trip' ? undefined : new FlowAnalyzer();
    const parser = analyzer ? new FlowParser(analyzer) : undefined;
    // The analysis reads bytes as the CLI does (parquetBytes); the round trip makes the text (parquetText).
    if (parser) for await (const bytes of parquetBytes(file, undefined, NODE_PARQUET)) parser.push(bytes);
    else
      for await (const text of parquetText(file, undefined, NODE_PARQUET))
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) rows++;
    await file.close();
    if (parser && analyzer) {
      const s = analyzer.finish(parser.end());
      rows = s.totals.records;
      records = s.totals.records;
    } else rows--; // the header line
  }
  return {
    seconds: Number(process.hrtime.bigint() - t0) / 1e9,
    cpu: ((u) => (u.user + u.system) / 1e6)(process.cpuUsage(c0)),
    rows,
    records,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--one') {
    process.stdout.write(JSON.stringify(await one(process.argv[3] as Mode, process.argv[4]!)));
    return;
  }
  const runs = arg('--runs', 3);
  const rowGroup = arg('--row-group', 100_000);
  const files = await generateBenchFiles();
  const textPath = files.default;
  const pqPath = join(__dirname, '..', 'bench-data', `default-1000000-rg${rowGroup}.parquet`);
  if (!existsSync(pqPath)) {
    process.stderr.write(`writing ${pqPath} ...\n`);
    const lines = readFileSync(textPath, 'utf8').split('\n');
    const fields =
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'.split(
        ' ',
      );
    writeFlowParquetStream(
      pqPath,
      fields,
      (function* () {
        for (const l of lines) if (l !== '') yield l.split(' ');
      })(),
      { rowGroupSize: rowGroup },
    );
  }
  const script = bundleChild(__filename, 'bench-parquet-child.cjs');
  const pqMB = statSync(pqPath).size / 1e6;
  const textMB = statSync(textPath).size / 1e6;
  console.log(
    `Parquet: ${pqPath} (${pqMB.toFixed(1)} MB, gzip, row groups of ${rowGroup}); text: ${textMB.toFixed(1)} MB`,
  );
  for (const mode of ['decode-only', 'text-round-trip', 'analyze-parquet', 'analyze-text'] as Mode[]) {
    const path = mode === 'analyze-text' ? textPath : pqPath;
    const results: Run[] = [];
    for (let r = 0; r < runs; r++) {
      const c = spawnSync(process.execPath, [script, '--one', mode, path], { encoding: 'utf8' });
      if (c.status !== 0) throw new Error(`bench child failed: ${c.stderr}`);
      results.push(JSON.parse(c.stdout) as Run);
    }
    const rate = results.map((x) => x.rows / x.seconds);
    const mbs = results.map((x) => (mode === 'analyze-text' ? textMB : pqMB) / x.seconds);
    const rss = results.map((x) => x.maxRssMB);
    const range = (v: number[], f: (n: number) => string): string => `${f(Math.min(...v))}–${f(Math.max(...v))}`;
    console.log(
      `${mode.padEnd(16)} ${range(
        results.map((x) => x.seconds),
        (n) => n.toFixed(2),
      )} s (${range(
        results.map((x) => x.cpu),
        (n) => n.toFixed(2),
      )} s CPU)  ${range(rate, (n) => `${Math.round(n / 1000)}k`)} rows/s  ${range(mbs, (n) => n.toFixed(1))} MB/s (input)  peak RSS ${range(rss, (n) => n.toFixed(0))} MB  (${results[0]!.rows} rows)`,
    );
  }
}

void main();
