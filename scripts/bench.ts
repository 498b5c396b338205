// Parser throughput: `npm run bench`. Generates 1,000,000 default-format lines and the same records in the
// alphabetical 29-field layout (bench-data/, cached), then streams each file through FlowParser in 1 MiB byte
// chunks (UTF-8 decoding, line splitting, tokenising into field spans, validation) in a fresh child process,
// and prints lines/s, MB/s and the child's peak RSS. Best of 3 runs per file.
import { spawnSync } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { FlowParser } from '../src/core/parser';
import { generateBenchFiles } from './benchData';

const RUNS = 3;

interface RunResult {
  seconds: number;
  lines: number;
  records: number;
  unparsed: number;
  bytes: number;
  maxRssMB: number;
  format: string;
}

/** Child mode: parse one file, print a JSON RunResult. */
async function runOne(path: string): Promise<void> {
  const bytes = statSync(path).size;
  let records = 0;
  let spanSum = 0;
  const parser = new FlowParser({
    record(rec) {
      records++;
      spanSum += rec.spans[rec.spans.length - 1]!; // touch the spans so nothing is optimised away
    },
    unparsed() {},
  });
  const t0 = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    const rs = createReadStream(path, { highWaterMark: 1 << 20 });
    rs.on('data', (chunk) => parser.push(chunk as Buffer));
    rs.on('end', resolve);
    rs.on('error', reject);
  });
  const stats = parser.end();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const f = stats.formats[0]?.format;
  const result: RunResult = {
    seconds,
    lines: stats.lines,
    records,
    unparsed: stats.unparsed,
    bytes,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    format: f ? `${f.label} [${f.source}, confidence ${f.confidence}]` : '?',
  };
  if (spanSum < 0) console.error('impossible');
  process.stdout.write(JSON.stringify(result));
}

function child(path: string): RunResult {
  const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--one', path], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as RunResult;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const one = args.indexOf('--one');
  if (one >= 0) {
    await runOne(args[one + 1]!);
    return;
  }
  const t0 = Date.now();
  const files = await generateBenchFiles();
  console.log(
    `Parser bench (${files.lines.toLocaleString('en-US')} lines per file; inputs ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  console.log(
    `node ${process.version}, streaming 1 MiB chunks, one core, best of ${RUNS}; peak RSS of a fresh process per run`,
  );
  for (const [name, path] of [
    ['default v2 (14 fields)', files.default],
    ['alphabetical (29 fields)', files.alphabetical],
  ] as const) {
    let best: RunResult | undefined;
    let peak = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = child(path);
      peak = Math.max(peak, r.maxRssMB);
      if (!best || r.seconds < best.seconds) best = r;
    }
    if (!best) continue;
    const lps = best.lines / best.seconds;
    const mbps = best.bytes / 1e6 / best.seconds;
    console.log(
      `  ${name.padEnd(26)} ${(best.bytes / 1e6).toFixed(1).padStart(6)} MB  ${best.seconds.toFixed(3)} s  ${Math.round(lps).toLocaleString('en-US').padStart(10)} lines/s  ${mbps.toFixed(1).padStart(6)} MB/s  peak RSS ${peak.toFixed(0)} MB  (${best.records.toLocaleString('en-US')} records, ${best.unparsed} unparsed; ${best.format})`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
