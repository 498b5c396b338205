// `vpcflow parse <path...> [--format "<fields>"] [--ndjson]`: parse flow logs and print their records, either
// as an aligned table or as one JSON object per input line of interest, with a summary on stderr. Several
// inputs and folders (walked recursively, in time order: src/node/analyzeInputs.ts listInputs) are read one
// after the other, each with its own format; every record then says which file it came from.
import { formatString, parseFormat } from '../core/format';
import { listInputs } from '../node/analyzeInputs';
import { FlowParser, type FullParseStats } from '../core/parser';
import { fieldRaw } from '../core/record';
import type { FlowFormat, FlowRecord, UnparsedLine } from '../core/types';
import { ArgReader, inputsError, refuseArgs, type ArgsRefused } from './args';
import { damageText, EXIT_DAMAGED, INFLATER, isFolder, Output, readInput, type CliIo } from './io';
import { writeRecord, writeUnparsed } from './ndjson';
import { terminalText } from './text';
import { errorText } from '../core/text';

export const PARSE_USAGE = `Usage: vpcflow parse <path...> [--format "<fields>"] [--ndjson]

Parses VPC or Transit Gateway flow logs (plain text, gzip or Parquet; S3 files with header lines,
CloudWatch Logs exports and JSON output, subscription payloads, Firehose request bodies, NDJSON) from
files, folders (read recursively, S3 objects in time order) or stdin (-) and prints every record.
With several inputs, the table shows each file under a "==> path <==" line and --ndjson adds
"file" to every object.

Options:
  --format <spec>   format of header-less input: default, alphabetical, tgw, or field names such as
                    '\${version} \${vpc-id} \${srcaddr} ...' (a header line in the input still wins)
  --ndjson          one JSON object per record or unparsed line:
                    {"line": N, "fields": {...}, "tags": {...}} or {"line": N, "error": "..."}
  -h, --help        this help

A summary (lines, records, headers, unparsed lines, and the format with its source and confidence)
goes to stderr. Log text is shown with control characters escaped.

Exit status: 0 when the input was read, 1 on a usage or I/O error (including a closed stdout),
2 when the input is damaged (truncated or corrupt gzip, or junk after it): the records decoded
before the damage are printed, and a line on stderr says what was wrong.`;

interface ParseArgs {
  inputs: string[];
  format?: string;
  ndjson: boolean;
}

function parseArgs(argv: readonly string[]): { ok: true; args: ParseArgs } | ArgsRefused {
  const inputs: string[] = [];
  let format: string | undefined;
  let ndjson = false;
  // Only --format takes `=value`: --ndjson=… and --help=… are unknown options.
  const args = new ArgReader(argv, ['--format']);
  while (args.next()) {
    const a = args.raw;
    if (a === '--ndjson') ndjson = true;
    else if (args.flag === '--format') {
      const v = args.value();
      if (v === undefined) return { ok: false, errors: ['--format needs a value'] };
      format = v;
    } else if (a.startsWith('-') && a !== '-') return { ok: false, errors: [`unknown option '${a}'`] };
    else inputs.push(a);
  }
  if (args.help) return { ok: false, errors: [], help: true };
  const badInputs = inputsError(inputs);
  if (badInputs !== undefined) return { ok: false, errors: [badInputs] };
  return { ok: true, args: { inputs, format, ndjson } };
}

/** Lines into an Output (one newline each). */
class Out {
  constructor(private readonly o: Output) {}
  line(s: string): void {
    this.o.add(`${s}\n`);
  }
}

const BLOCK = 500;

/** Prints records as aligned columns, in blocks (widths are measured per block, so memory stays flat). */
class TableWriter {
  private block: ({ rec: FlowRecord } | { bad: UnparsedLine })[] = [];
  private printedFormat: FlowFormat | undefined;
  constructor(private readonly out: Out) {}

  record(rec: FlowRecord): void {
    const first = this.block.find((r): r is { rec: FlowRecord } => 'rec' in r);
    if (first && first.rec.format !== rec.format) this.flush();
    this.block.push({ rec });
    if (this.block.length >= BLOCK) this.flush();
  }

  unparsed(u: UnparsedLine): void {
    this.block.push({ bad: u });
    if (this.block.length >= BLOCK) this.flush();
  }

  flush(): void {
    const rows = this.block;
    this.block = [];
    if (rows.length === 0) return;
    const recs = rows.filter((r): r is { rec: FlowRecord } => 'rec' in r).map((r) => r.rec);
    const format = recs[0]?.format;
    const lineW = Math.max(4, ...rows.map((r) => String('rec' in r ? r.rec.line : r.bad.line).length));
    let widths: number[] = [];
    if (format) {
      widths = format.fields.map((name, i) =>
        Math.max(name.length, ...recs.map((r) => terminalText(fieldRaw(r, i)).length)),
      );
      if (format !== this.printedFormat) {
        this.printedFormat = format;
        this.out.line(
          ['LINE'.padStart(lineW), ...format.fields.map((n, i) => n.toUpperCase().padEnd(widths[i]!))]
            .join('  ')
            .trimEnd(),
        );
      }
    }
    for (const r of rows) {
      if ('rec' in r) {
        const cells = r.rec.format.fields.map((_, i) => terminalText(fieldRaw(r.rec, i)).padEnd(widths[i] ?? 0));
        this.out.line([String(r.rec.line).padStart(lineW), ...cells].join('  ').trimEnd());
      } else {
        this.out.line(
          `${String(r.bad.line).padStart(lineW)}  ! ${terminalText(r.bad.reason)}: ${terminalText(r.bad.text.slice(0, 80))}`,
        );
      }
    }
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The stderr summary. */
export function summaryText(stats: FullParseStats): string {
  const out: string[] = [];
  const parts = [
    plural(stats.lines, 'line'),
    plural(stats.records, 'record'),
    plural(stats.headers, 'header'),
    `${stats.unparsed} unparsed`,
    `${stats.blank} blank`,
  ];
  if (stats.envelopeLines) parts.push(`${stats.envelopeLines} envelope lines`);
  if (stats.messageLines)
    parts.push(`${stats.messageLines} message lines (${plural(stats.envelopeMessages, 'message')})`);
  if (stats.noFlowMessages) parts.push(`${stats.noFlowMessages} no-flow messages (CONTROL_MESSAGE)`);
  if (stats.flaggedRecords)
    parts.push(`${stats.flaggedRecords} record(s) with a metadata value that fails its check (kept, flagged)`);
  out.push(`vpcflow parse: ${parts.join(', ')}`);
  const formats = stats.formats.slice().sort((a, b) => b.records - a.records);
  for (const { format, records } of formats) {
    out.push(
      `format: ${format.label} (source: ${format.source}, confidence ${format.confidence.toFixed(2)}${format.ambiguous ? ', AMBIGUOUS' : ''}) for ${plural(records, 'record')}`,
    );
    out.push(`  ${formatString(format)}`);
    for (const n of format.notes) out.push(`  note: ${n}`);
  }
  const env = stats.envelopes.filter((e) => e.kind !== 'plain' || stats.envelopes.length === 1);
  if (env.length && !(env.length === 1 && env[0]!.kind === 'plain'))
    out.push(`envelope: ${env.map((e) => `${e.kind} (${plural(e.records, 'record')})`).join(', ')}`);
  return out.map(terminalText).join('\n') + '\n';
}

/** Runs `vpcflow parse`. Resolves to the exit status. */
export async function runParse(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) return refuseArgs(io, 'parse', PARSE_USAGE, parsed);
  const { inputs, format, ndjson } = parsed.args;
  if (format !== undefined) {
    const f = parseFormat(format);
    if (!f.ok) {
      io.stderr.write(`vpcflow parse: --format: ${terminalText(f.error)}\n`);
      return 1;
    }
  }
  const first = inputs[0]!;
  if (inputs.length > 1 || (first !== '-' && isFolder(first))) return parseMany(inputs, format, ndjson, io);
  const output = new Output(io.stdout);
  const table = ndjson ? undefined : new TableWriter(new Out(output));
  const stats = await parseInput(first, format, output, table, io);
  if (stats === undefined) return 1;
  await output.flush();
  io.stderr.write(summaryText(stats));
  const damage = damageText(first, stats.damage);
  if (damage !== undefined) {
    io.stderr.write(`vpcflow parse: ${terminalText(damage)}\n`);
    return EXIT_DAMAGED;
  }
  return 0;
}

/**
 * Parses one input into `table`, or without one as NDJSON lines (each naming `file` when given), and resolves
 * to its stats; after an input error, which it writes to stderr, to undefined. Output waits for a slow reader:
 * no more input is read until stdout has drained.
 */
async function parseInput(
  input: string,
  format: string | undefined,
  output: Output,
  table: TableWriter | undefined,
  io: CliIo,
  file?: string,
): Promise<FullParseStats | undefined> {
  const parser = new FlowParser(
    {
      record(rec) {
        if (table) table.record(rec);
        else writeRecord(output, rec, file);
      },
      unparsed(u) {
        if (table) table.unparsed(u);
        else writeUnparsed(output, u, file);
      },
    },
    { format, inflater: INFLATER },
  );
  try {
    await readInput(
      input,
      io,
      async (chunk) => {
        await parser.write(chunk);
        await output.flush();
      },
      undefined,
      parser,
    );
  } catch (err) {
    await output.flush();
    io.stderr.write(`vpcflow parse: ${terminalText(errorText(err))}\n`);
    return undefined;
  }
  const stats = await parser.finish();
  table?.flush();
  return stats;
}

/** Several inputs or a folder: each file in turn, with its own parser (and format). */
async function parseMany(inputs: string[], format: string | undefined, ndjson: boolean, io: CliIo): Promise<number> {
  let entries;
  try {
    entries = await listInputs(inputs);
  } catch (err) {
    io.stderr.write(`vpcflow parse: ${terminalText(errorText(err))}\n`);
    return 1;
  }
  const output = new Output(io.stdout);
  const out = new Out(output);
  let damaged = false;
  let failed = false;
  for (const e of entries) {
    if (e.skipped !== undefined) {
      io.stderr.write(`vpcflow parse: skipped '${terminalText(e.display)}': ${terminalText(e.skipped)}\n`);
      continue;
    }
    const name = e.path === '-' ? '(stdin)' : e.display;
    const table = ndjson ? undefined : new TableWriter(out);
    if (table) out.line(`==> ${terminalText(name)} <==`);
    const stats = await parseInput(e.path, format, output, table, io, name);
    if (stats === undefined) {
      failed = true;
      continue;
    }
    if (table) out.line('');
    await output.flush();
    io.stderr.write(`==> ${terminalText(name)} <==\n${summaryText(stats)}`);
    const damage = damageText(e.path, stats.damage);
    if (damage !== undefined) {
      io.stderr.write(`vpcflow parse: ${terminalText(damage)}\n`);
      damaged = true;
    }
  }
  await output.flush();
  return failed ? 1 : damaged ? EXIT_DAMAGED : 0;
}
