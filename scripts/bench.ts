// Parser throughput: `npm run bench`. Generates 1,000,000 default-format lines and the same records in the
// alphabetical 29-field layout (bench-data/, cached), then streams each file through FlowParser in 1 MiB byte
// chunks (UTF-8 decoding, line splitting, tokenising into field spans, validation) in a fresh child process,
// and prints lines/s and MB/s by elapsed time and by CPU time, and the child's peak RSS. Best of 3 runs.
// The child runs the parser bundled by esbuild, as the CLI (dist/cli.js) and the extension ship it.
import { createReadStream, statSync } from 'node:fs';
import { FlowParser } from '../src/core/parser';
import { bundleChild, runChild } from './benchChild';
import { generateBenchFiles } from './benchData';

const RUNS = 3;

interface RunResult {
  seconds: number;
  /** CPU time (user + system) of the parse: the fair figure on a machine shared with other work. */
  cpuSeconds: number;
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
  const c0 = process.cpuUsage();
  await new Promise<void>((resolve, reject) => {
    const rs = createReadStream(path, { highWaterMark: 1 << 20 });
    rs.on('data', (chunk) => parser.push(chunk as Buffer));
    rs.on('end', resolve);
    rs.on('error', reject);
  });
  const stats = parser.end();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const f = stats.formats[0]?.format;
  const result: RunResult = {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
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

const num = (x: number) => Math.round(x).toLocaleString('en-US').padStart(10);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const one = args.indexOf('--one');
  if (one >= 0) {
    await runOne(args[one + 1]!);
    return;
  }
  const t0 = Date.now();
  const files = await generateBenchFiles();
  const script = bundleChild(__filename, 'bench-child.cjs');
  console.log(
    `Parser bench: ${files.lines.toLocaleString('en-US')} lines per file (inputs ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  console.log(
    `node ${process.version}, esbuild bundle, streaming 1 MiB byte chunks, one core, best of ${RUNS}, a fresh process per run`,
  );
  console.log('wall = elapsed time; cpu = user+system time of the parsing process (the fair figure on a busy machine)');
  for (const [name, path] of [
    ['default v2 (14 fields)', files.default],
    ['alphabetical (29 fields)', files.alphabetical],
  ] as const) {
    let best: RunResult | undefined;
    let bestCpu: RunResult | undefined;
    let peak = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = runChild<RunResult>(script, path);
      peak = Math.max(peak, r.maxRssMB);
      if (!best || r.seconds < best.seconds) best = r;
      if (!bestCpu || r.cpuSeconds < bestCpu.cpuSeconds) bestCpu = r;
    }
    if (!best || !bestCpu) continue;
    const mb = best.bytes / 1e6;
    console.log(
      `  ${name}: ${mb.toFixed(1)} MB, ${best.records.toLocaleString('en-US')} records, ${best.unparsed} unparsed; ${best.format}`,
    );
    console.log(
      `    wall ${best.seconds.toFixed(3).padStart(6)} s ${num(best.lines / best.seconds)} lines/s ${(mb / best.seconds).toFixed(1).padStart(6)} MB/s`,
    );
    console.log(
      `    cpu  ${bestCpu.cpuSeconds.toFixed(3).padStart(6)} s ${num(bestCpu.lines / bestCpu.cpuSeconds)} lines/s ${(mb / bestCpu.cpuSeconds).toFixed(1).padStart(6)} MB/s   peak RSS ${peak.toFixed(0)} MB`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
