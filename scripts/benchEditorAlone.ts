// The document worker's analysis of the bench:editor document without VS Code on the machine (benchEditor.mjs
// bundles and runs it before the workbench starts): the same LineAnalysis (parser on UTF-8 bytes, WebAssembly
// scanner, analyzer, per-line facts) over the saved file read in the chunks the worker reads (64 KiB, then 1 MiB),
// in a fresh process. Printed as JSON: { readMs, analysisMs, lines, records }. What the in-workbench figure adds is the
// other programs on the same cores (the extension host, code-server, Chromium drawing the workbench).
//
//   node out/bench/alone.js <file>
import * as fs from 'node:fs';
import { DEFAULT_ANALYSIS_CONFIG } from '../src/core/analysis/config';
import { LineAnalysis } from '../src/extension/lineFacts';

const file = process.argv[2];
if (!file) throw new Error('usage: alone.js <file>');
const t0 = performance.now();
const size = fs.statSync(file).size;
const fd = fs.openSync(file, 'r');
// The line count the extension host sends with the job (TextDocument.lineCount): newlines + 1.
let lineCount = 1;
const chunks: Uint8Array[] = [];
for (let pos = 0, n = 64 * 1024; pos < size; pos += n, n = 1 << 20) {
  const buf = new Uint8Array(Math.min(n, size - pos));
  fs.readSync(fd, buf, 0, buf.length, pos);
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) lineCount++;
  chunks.push(buf);
}
fs.closeSync(fd);
const t1 = performance.now();
const analysis = LineAnalysis.forRequested(lineCount, DEFAULT_ANALYSIS_CONFIG, '');
for (const c of chunks) analysis.parser.push(c);
const facts = analysis.finish();
const t2 = performance.now();
process.stdout.write(
  JSON.stringify({
    readMs: t1 - t0,
    analysisMs: t2 - t1,
    lines: lineCount,
    records: facts.summary.totals.records,
  }),
);
