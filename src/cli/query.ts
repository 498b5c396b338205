// `vpcflow query --engine athena|insights|metric-filter|duckdb [--format …|--from <file|folder>] [--trigger id]
// [--table name] [--location s3://…] [--partitioned s3|hive] ...`: the triggers' and dashboard tables' queries for
// another engine, on stdout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { validateAnalysisConfig, type AnalysisConfig } from '../core/analysis/config';
import { makeFormat, parseFormat } from '../core/format';
import { FlowParser } from '../core/parser';
import {
  compileQuery,
  QUERY_ENGINES,
  QueryError,
  queryTargets,
  type QueryEngine,
  type QueryRequest,
} from '../core/query/index';
import type { FlowFormat } from '../core/types';
import { ArgReader, refuseArgs, type ArgsRefused } from './args';
import { INFLATER, type CliIo } from './io';
import { terminalText } from './text';

export const QUERY_USAGE = `Usage: vpcflow query --engine <engine> [options]

Prints the queries that compute the extension's triggers and dashboard tables in another engine, for one log
format: Amazon Athena (CREATE EXTERNAL TABLE and Trino SQL), CloudWatch Logs Insights, CloudWatch metric
filters and alarms (CloudFormation or Terraform), or DuckDB SQL over local files.

Options:
  --engine <engine>       ${QUERY_ENGINES.map((e) => e.id).join(' | ')} (required)
  --format <spec>         the log format: default, alphabetical, or a format string such as
                          '\${version} \${srcaddr} ...' (default: the default format)
  --from <file|folder>    read the format from this input (its header line, or inference as analyze does);
                          with --engine duckdb the query reads this input (a folder: every .log, .log.gz,
                          .txt, .gz or .parquet file under it)
  --trigger <id>          one trigger's hits (one row per hit, with the total)
  --table <id>            one dashboard table
  --location <s3://…>     Athena: the table's S3 location (default: an example to replace)
  --partitioned s3|hive   Athena: partition projection for AWSLogs/<account>/vpcflowlogs/<region>/yyyy/mm/dd
                          (s3) or Hive-style year=/month=/day=/hour= prefixes; DuckDB: hive_partitioning
  --table-name <name>     Athena table name (default vpc_flow_logs)
  --parquet               the data is Parquet (AWS's underscore column names)
  --terraform             metric filters as Terraform (default: CloudFormation YAML)
  --scan-ports <n>, --scan-hosts <n>, --scan-window <s>, --top <n>   as vpcflow analyze
  --list                  list the triggers and tables, with the engines that have a query for each
  -h, --help              this help

Without --trigger or --table, every query of the engine is printed.

Exit status: 0 done, 1 usage error (a clear message on stderr) or an unreadable input.`;

interface Options {
  engine: QueryEngine;
  format?: string;
  from?: string;
  trigger?: string;
  table?: string;
  location?: string;
  partitioned?: 's3' | 'hive';
  tableName?: string;
  parquet: boolean;
  terraform: boolean;
  list: boolean;
  config: AnalysisConfig;
}

type Parsed = { ok: true; options: Options } | ArgsRefused;

export function parseQueryArgs(argv: readonly string[]): Parsed {
  const errors: string[] = [];
  const o: Partial<Options> & { parquet: boolean; terraform: boolean; list: boolean } = {
    parquet: false,
    terraform: false,
    list: false,
  };
  const scan: Record<string, number> = {};
  let top: number | undefined;
  const args = new ArgReader(argv);
  // A missing value is an error, and so is an option where the value should be (it is read as that option).
  const value = (): string | undefined => {
    const v = args.value(true);
    if (v === undefined) errors.push(`${args.flag}: expects a value`);
    return v;
  };
  while (args.next()) {
    const { raw, flag } = args;
    switch (flag) {
      case '--engine': {
        const v = value();
        if (v === undefined) break;
        if (!QUERY_ENGINES.some((e) => e.id === v))
          errors.push(`--engine: '${v}' is not an engine (${QUERY_ENGINES.map((e) => e.id).join(', ')})`);
        else o.engine = v as QueryEngine;
        break;
      }
      case '--format':
      case '--from':
      case '--trigger':
      case '--table':
      case '--location':
      case '--table-name': {
        const v = value();
        if (v === undefined) break;
        const key = (
          {
            '--format': 'format',
            '--from': 'from',
            '--trigger': 'trigger',
            '--table': 'table',
            '--location': 'location',
            '--table-name': 'tableName',
          } as const
        )[flag];
        o[key] = v;
        break;
      }
      case '--partitioned': {
        const v = value();
        if (v === undefined) break;
        if (v !== 's3' && v !== 'hive') errors.push(`--partitioned: expects s3 or hive, got '${v}'`);
        else o.partitioned = v;
        break;
      }
      case '--parquet':
        o.parquet = true;
        break;
      case '--terraform':
        o.terraform = true;
        break;
      case '--list':
        o.list = true;
        break;
      case '--scan-ports':
      case '--scan-hosts':
      case '--scan-window':
      case '--top': {
        const v = value();
        if (v === undefined) break;
        if (!/^\d{1,9}$/.test(v)) {
          errors.push(`${flag}: expects a number, got '${v}'`);
          break;
        }
        if (flag === '--top') top = Number(v);
        else
          scan[
            flag === '--scan-ports' ? 'distinctPorts' : flag === '--scan-hosts' ? 'distinctHosts' : 'windowSeconds'
          ] = Number(v);
        break;
      }
      default:
        errors.push(`unknown option '${raw}' (see vpcflow query --help)`);
    }
  }
  if (args.help) return { ok: false, errors: [], help: true };
  if (o.engine === undefined && !o.list)
    errors.push(`--engine is required (${QUERY_ENGINES.map((e) => e.id).join(', ')})`);
  if (o.format !== undefined && o.format !== 'auto') {
    const f = parseFormat(o.format);
    if (!f.ok) errors.push(`--format: ${f.error}`);
  }
  const input: Record<string, unknown> = {};
  if (Object.keys(scan).length) input.portScan = scan;
  if (top !== undefined) input.topN = top;
  const checked = validateAnalysisConfig(input);
  if (!checked.ok) errors.push(...checked.errors);
  if (errors.length || !checked.ok) return { ok: false, errors };
  return { ok: true, options: { ...(o as Options), config: checked.config } };
}

const INPUT_EXT = /\.(log|txt|gz|parquet)$/i;

/** The input files of a folder, recursively, sorted (the order DuckDB reads a glob in). */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile() && INPUT_EXT.test(e.name)) out.push(p);
  }
  return out.sort();
}

/**
 * The format of the first MiB of a file as the analyzer resolves it (header, requested format, layouts,
 * inference), read through the parser's one input path (gzip sniffed by the core, inflated by the CLI's inflater).
 */
async function sampleFormat(
  file: string,
  requested: string | undefined,
): Promise<{ format: FlowFormat; header: boolean } | null> {
  const fd = fs.openSync(file, 'r');
  let bytes: Buffer;
  try {
    const buf = Buffer.alloc(1 << 20);
    bytes = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0));
  } finally {
    fs.closeSync(fd);
  }
  // Only the formats matter: the records are not kept (a cut last line or gzip member is harmless here).
  const parser = new FlowParser(
    { record: () => undefined, unparsed: () => undefined },
    { format: requested, inflater: INFLATER },
  );
  await parser.write(bytes);
  const stats = await parser.finish();
  const first = stats.formats[0]?.format;
  if (first === undefined) return null;
  return { format: first, header: first.source === 'header' };
}

function parquetFormat(file: string): FlowFormat {
  const bytes = fs.readFileSync(file);
  const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const names = meta.schema.slice(1).map((s) => s.name);
  const f = parseFormat(names);
  if (!f.ok) throw new QueryError(`${file}: not a flow-log Parquet file (${f.error})`);
  return makeFormat(f.format.fields, { source: 'header', label: `Parquet (${names.length} columns)` });
}

async function request(o: Options): Promise<QueryRequest> {
  let format: FlowFormat | undefined;
  let header: boolean | undefined;
  let parquet = o.parquet;
  let fromList: string[] | undefined;
  const requested = o.format === undefined || o.format === 'auto' ? undefined : o.format;
  if (o.from !== undefined) {
    let st: fs.Stats;
    try {
      st = fs.statSync(o.from);
    } catch {
      throw new QueryError(`--from: cannot read '${o.from}'`);
    }
    const files = st.isDirectory() ? walk(o.from) : [o.from];
    if (files.length === 0) throw new QueryError(`--from: no .log, .txt, .gz or .parquet file in '${o.from}'`);
    const pq = files.filter((f) => /\.parquet$/i.test(f));
    if (pq.length > 0) {
      parquet = true;
      format = parquetFormat(pq[0]!);
    } else {
      const r = await sampleFormat(files[0]!, requested);
      if (r === null)
        throw new QueryError(`--from: no flow-log record in the first MiB of '${files[0]!}'; give --format`);
      format = r.format;
      header = r.header;
    }
    if (st.isDirectory()) {
      // Globs per extension present (DuckDB reads each glob's files in name order).
      const exts = [
        ...new Set((pq.length > 0 ? pq : files).map((f) => /(\.log\.gz|\.txt\.gz|\.[a-z]+)$/i.exec(f)?.[1] ?? '')),
      ];
      fromList = exts.map((e) => path.join(o.from as string, '**', `*${e}`));
    }
  }
  if (format === undefined) {
    const f = parseFormat(requested ?? 'default');
    if (!f.ok) throw new QueryError(`--format: ${f.error}`);
    format = f.format;
  }
  return {
    engine: o.engine,
    format,
    config: o.config,
    trigger: o.trigger,
    table: o.table,
    location: o.location,
    partitioned: o.partitioned,
    tableName: o.tableName,
    from: o.from,
    fromList,
    parquet,
    header,
    metricFilterFlavor: o.terraform ? 'terraform' : 'cloudformation',
  };
}

export async function runQuery(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseQueryArgs(argv);
  if (!parsed.ok) return refuseArgs(io, 'query', QUERY_USAGE, parsed);
  const o = parsed.options;
  if (o.list) {
    for (const t of queryTargets()) io.stdout.write(`${t.kind.padEnd(8)}${t.id.padEnd(22)}${t.engines.join(', ')}\n`);
    return 0;
  }
  try {
    const text = compileQuery(await request(o));
    io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    io.stderr.write(`vpcflow query: ${terminalText(err.message)}\n`);
    return 1;
  }
}
