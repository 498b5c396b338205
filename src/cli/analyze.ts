// `vpcflow analyze <path...> [--jobs N] [--format ...] [--json] [--fail-on actionable] [config flags]`
// Streams a plain or gzip file (any envelope) or stdin through the parser into the analyzer and prints
// a readable report, or the JSON summary. Several inputs, folders or --jobs go to the worker pool
// (src/node/analyzeInputs.ts) and come back as one summary with per-file facts. Exit codes: 0 ok, 1 usage or I/O error, 2 damaged input (what
// decoded was analysed), 3 when --fail-on actionable is given and an actionable trigger fired.

import { FlowAnalyzer } from '../core/analysis/analyzer';
import { validateAnalysisConfig, type AnalysisConfig } from '../core/analysis/config';
import { PORT_TRIGGERS, triggerDef } from '../core/analysis/triggers';
import { parseFormat } from '../core/format';
import { FlowParser } from '../core/parser';
import type { AnalysisSummary, FileFacts, TopTable } from '../shared/summary';
import { ArgReader, inputsError, refuseArgs, wholeNumber, type ArgsRefused } from './args';
import { damageText, EXIT_DAMAGED, INFLATER, isFolder, readInput, type CliIo } from './io';
import { bytesText as sizeText, countText, intText, isoSeconds as iso, SI_BYTES } from '../shared/display';
import { jsonText, terminalText } from './text';
import { analyzeInputs } from '../node/analyzeInputs';
import { errorText } from '../core/text';

export const ANALYZE_USAGE = `Usage: vpcflow analyze <path...> [options]

Reads VPC or Transit Gateway flow logs (plain text, gzip or Parquet; plain records, S3 files with a header,
CloudWatch Logs exports and JSON envelopes, Firehose bodies) from files, folders (read recursively:
an \`aws s3 sync\` of AWSLogs/, S3 or Hive-style layout, objects in the time order their names carry)
and stdin (-), and prints one summary: totals, top tables and the security triggers that fired.
With several inputs, every hit and unparsed line is shown with its file; a file that is not a flow
log (or cannot be read) is skipped with a note on stderr and never stops the rest.

Options:
  --jobs <n>              worker threads (default: every core for several inputs or a folder, one thread
                          under 4 MB in all; one file is read in one pass unless --jobs is given, then
                          a large plain file is split at line ends)
  --format <spec>         log format when the input has no header: default, alphabetical, or a format
                          string such as '\${version} \${srcaddr} ...' (a header in the input still wins)
  --json                  print the analysis summary as JSON
  --fail-on actionable    exit with status 3 when any actionable trigger fired
  --scan-ports <n>        port scan (vertical): distinct destination ports on one host (default 15)
  --scan-hosts <n>        port scan (horizontal): hosts reached on one port (default 20)
  --scan-window <s>       port scan window in seconds of flow start time (default 300)
  --ports <id>=<ports>    destination ports of a trigger, e.g. --ports ssh-blocked=22,2222;
                          prefix a port with tcp/ or udp/ to limit it to that protocol (repeatable)
                          ids: ${PORT_TRIGGERS.map((t) => t.id).join(', ')}
  --top <n>               rows per top table (default 10 in the report, 20 in JSON)
  --max-hits <n>          trigger hits kept per trigger (default 1000; counts stay exact)
  --no-progress           no progress line on a terminal
  -h, --help              this help

Log text in the report is shown with control characters escaped; --json escapes control characters
(C0, DEL, C1) and U+2028/U+2029 as \\uNNNN.

Exit status: 0 done (skipped files included), 1 usage or I/O error (including a closed stdout or a path
that does not exist), 2 damaged input (truncated or corrupt gzip or Parquet, or junk after it: the
records decoded before the damage are analysed, and a line on stderr says what was wrong), 3 --fail-on
actionable and an actionable trigger fired (3 wins over 2).`;

interface Options {
  inputs: string[];
  /** --jobs, when given. */
  jobs?: number;
  format?: string;
  json: boolean;
  failOnActionable: boolean;
  progress: boolean;
  top?: number;
  config: AnalysisConfig;
}

type ParsedArgs = { ok: true; options: Options } | ArgsRefused;

/** Parses the command line (after `analyze`). Never throws. */
export function parseAnalyzeArgs(argv: readonly string[]): ParsedArgs {
  const errors: string[] = [];
  const inputs: string[] = [];
  let format: string | undefined;
  let json = false;
  let failOnActionable = false;
  let progress = true;
  let top: number | undefined;
  const scan: Record<string, number> = {};
  const ports: Record<string, { tcp?: number[]; udp?: number[] } | number[]> = {};
  let maxHits: number | undefined;
  let jobs: number | undefined;

  const args = new ArgReader(argv);
  while (args.next()) {
    const { raw, flag } = args;
    switch (flag) {
      case '--json':
        json = true;
        break;
      case '--no-progress':
        progress = false;
        break;
      case '--format': {
        const v = args.value();
        if (v === undefined || v.trim() === '')
          errors.push('--format: expects a format (default, alphabetical or a format string)');
        else {
          const f = parseFormat(v);
          if (f.ok) format = v;
          else errors.push(`--format: ${f.error}`);
        }
        break;
      }
      case '--fail-on': {
        const v = args.value();
        if (v !== 'actionable')
          errors.push(`--fail-on: expects 'actionable', got ${v === undefined ? 'nothing' : `'${v}'`}`);
        else failOnActionable = true;
        break;
      }
      case '--scan-ports':
      case '--scan-hosts':
      case '--scan-window': {
        const n = wholeNumber(errors, flag, args.value());
        const key =
          flag === '--scan-ports' ? 'distinctPorts' : flag === '--scan-hosts' ? 'distinctHosts' : 'windowSeconds';
        if (n !== undefined) scan[key] = n;
        break;
      }
      case '--top':
        top = wholeNumber(errors, flag, args.value(), 1, 1000) ?? top;
        break;
      case '--jobs':
        jobs = wholeNumber(errors, flag, args.value(), 1, 256) ?? jobs;
        break;
      case '--max-hits':
        maxHits = wholeNumber(errors, flag, args.value()) ?? maxHits;
        break;
      case '--ports': {
        const v = args.value();
        const eq = v?.indexOf('=') ?? -1;
        if (v === undefined || eq <= 0) {
          errors.push(
            `--ports: expects <trigger-id>=<ports>, e.g. ssh-blocked=22,2222 (ids: ${PORT_TRIGGERS.map((t) => t.id).join(', ')})`,
          );
          break;
        }
        const id = v.slice(0, eq).trim();
        const list = v
          .slice(eq + 1)
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        const any: number[] = [];
        const tcp: number[] = [];
        const udp: number[] = [];
        let bad = false;
        for (const tok of list) {
          const m = /^(?:(tcp|udp)\/)?(\d{1,5})$/i.exec(tok);
          if (!m) {
            errors.push(`--ports ${id}: '${tok}' is not a port (use 22, tcp/445 or udp/137)`);
            bad = true;
            continue;
          }
          const port = Number(m[2]);
          const proto = m[1]?.toLowerCase();
          (proto === 'tcp' ? tcp : proto === 'udp' ? udp : any).push(port);
        }
        if (!list.length) {
          errors.push(`--ports ${id}: no ports given`);
          bad = true;
        }
        if (bad) break;
        ports[id] = tcp.length || udp.length ? { tcp: [...tcp, ...any], udp: [...udp, ...any] } : any;
        break;
      }
      default:
        if (raw.startsWith('-') && raw !== '-') errors.push(`unknown option '${raw}' (see vpcflow analyze --help)`);
        else inputs.push(raw);
    }
  }
  if (args.help) return { ok: false, errors: [], help: true };
  const badInputs = inputsError(inputs);
  if (badInputs !== undefined) errors.push(badInputs);

  const input: Record<string, unknown> = {};
  if (Object.keys(scan).length) input.portScan = scan;
  if (Object.keys(ports).length) input.ports = ports;
  if (maxHits !== undefined) input.maxHitsPerTrigger = maxHits;
  if (top !== undefined) input.topN = top;
  const flagOf: Record<string, string> = {
    'portScan.distinctPorts': '--scan-ports',
    'portScan.distinctHosts': '--scan-hosts',
    'portScan.windowSeconds': '--scan-window',
    maxHitsPerTrigger: '--max-hits',
    topN: '--top',
  };
  const checked = validateAnalysisConfig(input);
  if (!checked.ok) {
    for (const e of checked.errors) {
      const path = e.slice(0, e.indexOf(':'));
      const flag =
        flagOf[path] ?? (path.startsWith('ports.') ? `--ports ${path.slice(6).replace(/[.[].*$/, '')}` : path);
      errors.push(`${flag}${e.slice(e.indexOf(':'))}`);
    }
  }
  if (errors.length || !checked.ok) return { ok: false, errors };
  return {
    ok: true,
    options: { inputs, jobs, format, json, failOnActionable, progress, top, config: checked.config },
  };
}

// ---------------------------------------------------------------------------------------------------
// Report

const num = intText;
const bytes = (n: number): string => sizeText(n, SI_BYTES);

function table(title: string, t: TopTable, n: number, by: 'flows' | 'bytes' = 'flows'): string[] {
  if (!t.rows.length) return [];
  const rows = t.rows.slice(0, n);
  const labels = rows.map((r) => terminalText(r.label));
  const w = Math.min(60, Math.max(...labels.map((l) => l.length)));
  const out = [`${title}${t.approximate ? ' (approximate: too many distinct keys to count exactly)' : ''}`];
  rows.forEach((r, i) => {
    const main =
      by === 'bytes'
        ? `${bytes(r.bytes).padStart(10)}  ${num(r.flows).padStart(9)} flows`
        : `${num(r.flows).padStart(9)} flows  ${bytes(r.bytes).padStart(10)}`;
    out.push(`  ${(labels[i] as string).padEnd(w)}  ${main}`);
  });
  if (t.distinct > rows.length) out.push(`  … ${num(t.distinct - rows.length)}${t.approximate ? '+' : ''} more`);
  out.push('');
  return out;
}

/** Where a hit or unparsed line is: `line N`, or `path:N` when the summary covers several inputs. */
function where(s: AnalysisSummary, at: { line: number; file?: number }): string {
  const f = at.file !== undefined ? s.files?.[at.file] : undefined;
  return f ? `${terminalText(f.path)}:${at.line}` : `line ${at.line}`;
}

/** The Files lines: how many, then the skipped and damaged ones, then the largest by records. */
function filesSection(files: readonly FileFacts[], top: number): string[] {
  const skipped = files.filter((f) => f.skipped !== undefined);
  const damaged = files.filter((f) => f.damage !== undefined);
  const out = [
    `Files      ${num(files.length)} (${num(files.length - skipped.length)} analysed, ${num(skipped.length)} skipped, ${num(damaged.length)} damaged; ${bytes(files.reduce((n, f) => n + f.bytes, 0))})`,
  ];
  for (const f of skipped) out.push(`  skipped ${terminalText(f.path)}: ${terminalText(f.skipped!)}`);
  for (const f of damaged) out.push(`  damaged ${terminalText(f.path)}: ${terminalText(f.damage!)}`);
  const shown = files.filter((f) => f.skipped === undefined).slice(0, top);
  if (shown.length > 0) {
    // The columns of known width first and the path last, so that the rows stay aligned however long the paths.
    const cells = shown.map((f) => ({ format: terminalText(f.format ?? '-'), path: terminalText(f.path) }));
    const w = Math.min(40, Math.max(...cells.map((c) => c.format.length)));
    shown.forEach((f, i) => {
      out.push(
        `  ${num(f.records).padStart(11)} ${f.records === 1 ? 'record ' : 'records'}  ${num(f.unparsedLines).padStart(7)} unparsed  ${f.kind.padEnd(7)}  ${cells[i]!.format.padEnd(w)}  ${cells[i]!.path}`,
      );
    });
    const rest = files.length - skipped.length - shown.length;
    if (rest > 0) out.push(`  … ${num(rest)} more`);
  }
  return out;
}

/** The human-readable report. */
export function formatReport(s: AnalysisSummary, inputName: string, top = 10, hitsShown = 5): string {
  const t = s.totals;
  const out: string[] = [];
  out.push(`VPC flow log analysis: ${terminalText(inputName)}`);
  out.push('');
  out.push(
    `Lines      ${num(t.lines)} (${num(t.records)} records, ${num(t.headers)} headers, ${num(t.blankLines)} blank, ${num(t.unparsedLines)} unparsed${t.envelopeLines ? `, ${num(t.envelopeLines)} envelope` : ''})${t.flaggedRecords ? `; ${num(t.flaggedRecords)} records kept with a flagged metadata value` : ''}`,
  );
  out.push(
    `Records    ${num(t.accepted)} accepted, ${num(t.rejected)} rejected, ${num(t.noData)} NODATA, ${num(t.skipData)} SKIPDATA${t.other ? `, ${num(t.other)} without action` : ''}`,
  );
  out.push(
    `Traffic    ${bytes(t.bytes)}${t.bytesExact ? ` (${t.bytesExact} bytes)` : ''}, ${t.packetsExact ?? num(t.packets)} packets`,
  );
  if (t.oversizeValues)
    out.push(
      `  note: ${num(t.oversizeValues)} byte or packet counts of 2^52 or more: summed exactly into these totals, approximately into the tables below`,
    );
  if (s.timeRange) out.push(`Time       ${iso(s.timeRange.start)} – ${iso(s.timeRange.end)}`);
  // A label two layouts share (two headers of 29 fields in different orders) is told apart by the first fields.
  const name = (f: AnalysisSummary['formats'][number]): string =>
    s.formats.some((o) => o !== f && o.label === f.label)
      ? `${terminalText(f.label)} [${terminalText(f.fields.slice(0, 3).join(' '))}${f.fields.length > 3 ? ' …' : ''}]`
      : terminalText(f.label);
  if (s.formats.length)
    out.push(`Formats    ${s.formats.map((f) => `${name(f)} (${countText(f.records, 'record')})`).join('; ')}`);
  const env = s.envelopes.filter((e) => e.kind !== 'plain');
  if (env.length) out.push(`Envelopes  ${env.map((e) => `${e.kind} (${countText(e.records, 'record')})`).join('; ')}`);
  // With several formats, each note says which one it is about.
  for (const f of s.formats) {
    const about = s.formats.length > 1 ? ` (${name(f)})` : '';
    for (const note of f.notes) out.push(`  note${about}: ${terminalText(note)}`);
  }
  if (s.files) out.push(...filesSection(s.files, top));
  if (s.unparsed.length) {
    out.push('');
    out.push(`Unparsed lines (${num(t.unparsedLines)}):`);
    for (const u of s.unparsed.slice(0, hitsShown)) out.push(`  ${where(s, u)}: ${terminalText(u.reason)}`);
    if (t.unparsedLines > hitsShown)
      out.push(`  … ${num(t.unparsedLines - Math.min(hitsShown, s.unparsed.length))} more`);
  }
  out.push('');

  out.push(`Triggers (${num(t.alerts)} ${t.alerts === 1 ? 'record' : 'records'} fired an actionable trigger)`);
  const w = Math.max(...s.triggers.map((x) => (x.name.length > 48 ? 48 : x.name.length)));
  for (const tr of s.triggers) {
    const name = tr.name.length > 48 ? `${tr.name.slice(0, 47)}…` : tr.name;
    const mark = tr.count === 0 ? ' ' : tr.actionable ? '!' : '·';
    const mitre = tr.mitre ? `  ${tr.mitre.technique} ${tr.mitre.techniqueName} (${tr.mitre.tactic})` : '';
    out.push(`${mark} ${name.padEnd(w)} ${num(tr.count).padStart(9)}${mitre}`);
  }
  for (const tr of s.triggers) {
    if (tr.count === 0 || triggerDef(tr.id)?.flags.derived) continue;
    out.push('');
    out.push(`${tr.id} (${num(tr.count)}):`);
    for (const h of tr.hits.slice(0, hitsShown)) out.push(`  ${where(s, h)}: ${terminalText(h.description)}`);
    if (tr.count > hitsShown) out.push(`  … ${num(tr.count - Math.min(hitsShown, tr.hits.length))} more`);
  }
  out.push('');
  if (s.security.mitre.length) {
    out.push('MITRE ATT&CK');
    for (const m of s.security.mitre) {
      out.push(
        `  ${m.technique} ${m.techniqueName} (${m.tacticId} ${m.tactic}): ${num(m.hits)} hits from ${num(m.sources)}${m.sourcesApproximate ? '+' : ''} sources`,
      );
    }
    out.push('');
  }

  const n = s.network;
  out.push(...table('Top blocked sources', s.security.blockedSources, top));
  out.push(...table('Top blocked destination ports', s.security.blockedPorts, top));
  out.push(...table('Accepted traffic by protocol', n.protocols, top));
  out.push(...table('Top destination ports (accepted)', n.dstPorts, top));
  out.push(...table('Top talkers (accepted, by bytes)', n.talkers, top, 'bytes'));
  out.push(...table('Top conversations (accepted, by bytes)', n.conversations, top, 'bytes'));
  out.push(...table('Regions', n.regions, top));
  out.push(...table('Availability zones', n.azs, top));
  out.push(...table('VPCs', n.vpcs, top));
  out.push(...table('Interfaces', n.interfaces, top));
  out.push(...table('Flow direction', n.flowDirection, top));
  out.push(...table('Traffic path', n.trafficPath, top));
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

// ---------------------------------------------------------------------------------------------------
// Command

/** Runs `vpcflow analyze`. Resolves to the exit status. */
export async function runAnalyze(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseAnalyzeArgs(argv);
  if (!parsed.ok) return refuseArgs(io, 'analyze', ANALYZE_USAGE, parsed);
  const o = parsed.options;
  const first = o.inputs[0]!;
  if (o.inputs.length > 1 || o.jobs !== undefined || (first !== '-' && isFolder(first))) return runMany(o, io);
  const analyzer = new FlowAnalyzer(o.config);
  const parser = new FlowParser(analyzer, { format: o.format, inflater: INFLATER });
  const progress = new ProgressLine(o, io);
  try {
    await readInput(
      first,
      io,
      (chunk) => parser.write(chunk),
      (done, total) =>
        progress.draw(done, () => {
          const pct = total ? ` (${Math.floor((done / total) * 100)}%)` : '';
          return `${bytes(done)}${total ? ` of ${bytes(total)}` : ''}${pct}`;
        }),
      parser,
    );
  } catch (err) {
    return failed(progress, io, err);
  }
  progress.clear();
  const stats = await parser.finish();
  const summary = analyzer.finish(stats);
  const damage = damageText(first, stats.damage);
  printSummary(o, io, summary, first === '-' ? '(stdin)' : first);
  if (damage !== undefined) io.stderr.write(`vpcflow analyze: ${terminalText(damage)}\n`);
  return exitStatus(o, summary, damage !== undefined);
}

/** Several inputs, a folder, or --jobs: the worker pool, one summary with per-file facts. */
async function runMany(o: Options, io: CliIo): Promise<number> {
  const progress = new ProgressLine(o, io);
  let result;
  try {
    result = await analyzeInputs(o.inputs, {
      jobs: o.jobs,
      format: o.format,
      config: o.config,
      stdin: io.stdin,
      onProgress: (p) =>
        progress.draw(p.bytes, () => `${num(p.filesDone)} of ${num(p.filesTotal)} files, ${num(p.lines)} lines`),
    });
  } catch (err) {
    return failed(progress, io, err);
  }
  progress.clear();
  const { summary, skipped, damaged } = result;
  const name = o.inputs.map((i) => (i === '-' ? '(stdin)' : i)).join(' ');
  printSummary(o, io, summary, summary.files ? `${name} (${num(summary.files.length)} files)` : name);
  for (const sk of skipped)
    io.stderr.write(`vpcflow analyze: skipped '${terminalText(sk.path)}': ${terminalText(sk.reason)}\n`);
  for (const d of damaged) io.stderr.write(`vpcflow analyze: ${terminalText(damageText(d.path, d.damage)!)}\n`);
  return exitStatus(o, summary, damaged.length > 0);
}

/**
 * The progress line on stderr when it is a terminal (and no --no-progress): redrawn every 200 ms at most, from
 * 500 ms in, so that a quick run draws nothing.
 */
class ProgressLine {
  private readonly shown: boolean;
  private readonly started = Date.now();
  private lastDraw = 0;
  private drew = false;

  constructor(
    o: Options,
    private readonly io: CliIo,
  ) {
    this.shown = o.progress && io.stderr.isTTY === true;
  }

  /** Draws `analyzing… <what()>, <rate>/s` when a redraw is due; `doneBytes` gives the rate. */
  draw(doneBytes: number, what: () => string): void {
    if (!this.shown) return;
    const now = Date.now();
    if (now - this.lastDraw < 200 || now - this.started < 500) return;
    this.lastDraw = now;
    this.drew = true;
    const rate = doneBytes / Math.max(0.001, (now - this.started) / 1000);
    this.io.stderr.write(`\r\u001b[Kanalyzing… ${what()}, ${bytes(rate)}/s`);
  }

  /** Erases the line, if one was drawn. */
  clear(): void {
    if (this.drew) this.io.stderr.write('\r\u001b[K');
  }
}

/** An input error: the progress line erased, the message on stderr, status 1. */
function failed(progress: ProgressLine, io: CliIo, err: unknown): number {
  progress.clear();
  io.stderr.write(`vpcflow analyze: ${terminalText(errorText(err))}\n`);
  return 1;
}

/** The summary on stdout: JSON with --json, else the report (`name` says what was analysed). */
function printSummary(o: Options, io: CliIo, summary: AnalysisSummary, name: string): void {
  if (o.json) io.stdout.write(`${jsonText(summary, 2)}\n`);
  else io.stdout.write(formatReport(summary, name, o.top ?? 10));
}

/** 3 when --fail-on actionable and an actionable trigger fired (it wins over damage), 2 on damaged input, else 0. */
function exitStatus(o: Options, summary: AnalysisSummary, damaged: boolean): number {
  if (o.failOnActionable && summary.triggers.some((tr) => tr.actionable && tr.count > 0)) return 3;
  return damaged ? EXIT_DAMAGED : 0;
}
