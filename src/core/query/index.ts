// Query compiler: the trigger declarations and the dashboard tables as Athena (Trino) SQL, CloudWatch Logs
// Insights, CloudWatch metric filters (CloudFormation or Terraform) and DuckDB SQL, for one log format.
// PURE: no vscode, no DOM, no Node built-ins. One intermediate form (plan.ts) is printed per dialect.

import type { AnalysisConfig } from '../analysis/config';
import { TRIGGERS, triggerDef, type TriggerDef } from '../analysis/triggers';
import type { FlowFormat } from '../types';
import { singleRecord, tableDef, TABLES, type TableDef } from './plan';
import { QueryError } from './quote';
import { athenaSource, athenaTable, duckdbSource } from './sources';
import { tableSql, triggerHitsSql, type SqlSource } from './sql';
import { insightsTable, insightsTrigger } from './insights';
import { metricFilterDocument, metricFilterTriggers } from './metricFilter';

export { QueryError } from './quote';

export type QueryEngine = 'athena' | 'insights' | 'metric-filter' | 'duckdb';

export const QUERY_ENGINES: readonly { id: QueryEngine; label: string; language: string; extension: string }[] =
  Object.freeze([
    { id: 'athena', label: 'Amazon Athena (SQL)', language: 'sql', extension: '.sql' },
    { id: 'insights', label: 'CloudWatch Logs Insights', language: 'plaintext', extension: '.txt' },
    { id: 'metric-filter', label: 'CloudWatch metric filters and alarms', language: 'yaml', extension: '.yaml' },
    { id: 'duckdb', label: 'DuckDB (SQL)', language: 'sql', extension: '.sql' },
  ]);

export interface QueryRequest {
  engine: QueryEngine;
  format: FlowFormat;
  config: AnalysisConfig;
  trigger?: string;
  /** Dashboard table id, e.g. 'talkers', 'blockedPorts', 'mitre' (queryTargets lists them). */
  table?: string;
  /** Athena: the S3 location (s3://bucket/prefix/). */
  location?: string;
  partitioned?: 's3' | 'hive';
  /** Athena table name (default vpc_flow_logs). */
  tableName?: string;
  /** DuckDB input: a file, folder glob, or glob (default: a placeholder path). */
  from?: string;
  /** DuckDB: several inputs (instead of `from`). */
  fromList?: readonly string[];
  parquet?: boolean;
  /** DuckDB text input: each file starts with a header line (default: when the format came from a header). */
  header?: boolean;
  metricFilterFlavor?: 'cloudformation' | 'terraform';
  /** Metric filters: the log group name (default: a placeholder). */
  logGroup?: string;
}

/** The trigger or table a request names (a QueryError for an unknown id). */
function target(req: QueryRequest): { trigger?: TriggerDef; table?: TableDef } {
  if (req.trigger !== undefined && req.table !== undefined) throw new QueryError('give a trigger or a table, not both');
  if (req.trigger !== undefined) {
    const def = triggerDef(req.trigger);
    if (def === undefined)
      throw new QueryError(`unknown trigger '${req.trigger}'; known: ${TRIGGERS.map((t) => t.id).join(', ')}`);
    return { trigger: def };
  }
  if (req.table !== undefined) {
    const t = tableDef(req.table);
    if (t === undefined)
      throw new QueryError(`unknown table '${req.table}'; known: ${TABLES.map((x) => x.id).join(', ')}`);
    return { table: t };
  }
  return {};
}

function sqlSource(req: QueryRequest): SqlSource {
  if (req.engine === 'athena') return athenaSource(req.format, req.tableName);
  return duckdbSource({
    format: req.format,
    from: req.fromList ?? req.from ?? (req.parquet ? 'flow-logs/**/*.parquet' : 'flow-logs/**/*.log*'),
    parquet: req.parquet,
    header: req.header ?? req.format.source === 'header',
    hive: req.partitioned === 'hive',
  });
}

function header(req: QueryRequest, title: string, notes: readonly string[] = []): string {
  const c = req.engine === 'insights' ? '#' : '--';
  return [`${c} ${title}`, `${c} Log format: ${req.format.fields.join(' ')}`, ...notes.map((n) => `${c} ${n}`)].join(
    '\n',
  );
}

/** One query (or document) for the request's trigger or table; without either, every query of the engine. */
export function compileQuery(req: QueryRequest): string {
  const { trigger, table } = target(req);
  if (trigger === undefined && table === undefined) {
    return exportQueries(req)
      .map((d) => d.text)
      .join('\n\n');
  }
  switch (req.engine) {
    case 'athena':
    case 'duckdb': {
      const dialect = req.engine === 'athena' ? 'trino' : 'duckdb';
      const src = sqlSource(req);
      if (trigger !== undefined) {
        return `${header(req, `${trigger.name}: one row per hit`, notesFor(req.engine, trigger.id))}\n${triggerHitsSql(dialect, src, trigger, req.config)}`;
      }
      const t = table as TableDef;
      return `${header(req, t.name, notesFor(req.engine, t.id))}\n${tableSql(dialect, src, t, req.config)}`;
    }
    case 'insights': {
      const title = trigger !== undefined ? `${trigger.name}: hits` : (table as TableDef).name;
      const id = trigger?.id ?? (table as TableDef).id;
      const body =
        trigger !== undefined
          ? insightsTrigger(req.format, trigger, req.config)
          : insightsTable(req.format, table as TableDef, req.config);
      return `${header(req, title, notesFor('insights', id))}\n${body}`;
    }
    case 'metric-filter':
      if (trigger === undefined)
        throw new QueryError('metric filters exist for triggers only, not for dashboard tables');
      return metricFilterDocument(req.format, req.config, req.metricFilterFlavor ?? 'cloudformation', trigger);
  }
}

/** Every query of one engine for this format: one document per trigger and table (Athena: the table first). */
export function exportQueries(
  req: Omit<QueryRequest, 'trigger' | 'table'>,
): { engine: QueryEngine; title: string; language: string; text: string }[] {
  const e = QUERY_ENGINES.find((x) => x.id === req.engine);
  if (e === undefined) throw new QueryError(`unknown engine '${String(req.engine)}'`);
  const out: { engine: QueryEngine; title: string; language: string; text: string }[] = [];
  if (req.engine === 'metric-filter') {
    const flavor = req.metricFilterFlavor ?? 'cloudformation';
    return [
      {
        engine: 'metric-filter',
        title:
          flavor === 'terraform'
            ? 'Metric filters and alarms (Terraform)'
            : 'Metric filters and alarms (CloudFormation)',
        language: flavor === 'terraform' ? 'terraform' : 'yaml',
        text: metricFilterDocument(req.format, req.config, flavor),
      },
    ];
  }
  if (req.engine === 'athena') {
    out.push({
      engine: 'athena',
      title: 'Athena table',
      language: e.language,
      text: athenaTable({ ...req }),
    });
  }
  for (const t of queryTargets()) {
    if (!t.engines.includes(req.engine)) continue;
    const text = compileQuery({ ...req, ...(t.kind === 'trigger' ? { trigger: t.id } : { table: t.id }) });
    out.push({ engine: req.engine, title: t.name, language: e.language, text });
  }
  return out;
}

/** What an engine cannot express exactly, per target id. */
function notesFor(engine: QueryEngine, id: string): string[] {
  return queryTargets().find((t) => t.id === id)?.notes?.[engine] ?? [];
}

export interface QueryTarget {
  kind: 'trigger' | 'table';
  id: string;
  name: string;
  engines: QueryEngine[];
  /** Per engine, what the query cannot express exactly (also printed as comments in the query). */
  notes?: Partial<Record<QueryEngine, string[]>>;
}

const SCAN_ATHENA =
  'APPROXIMATE: Athena has no record order, so the port-scan window is a sliding window over flow start times; the analyzer detects once per window in record order and then stays quiet for the window.';
const SCAN_DUCKDB =
  "Exact while every (source, target) pair fits the analyzer's tracker (portScan.maxTracked pairs); records are taken in file order (folders: by file name).";

const SCAN_INSIGHTS =
  'APPROXIMATE: Insights has no record order or sliding window: fixed bins of @timestamp and count_distinct (an estimate) stand in for the port-scan window.';
const SERIES_INSIGHTS =
  'APPROXIMATE: Insights bins @timestamp (ingestion time) with a fixed bin size; the analyzer buckets flow start times.';

/** Every trigger and dashboard table, with the engines that have a query for it. */
export function queryTargets(): QueryTarget[] {
  const out: QueryTarget[] = [];
  const filtered = metricFilterTriggers();
  for (const t of TRIGGERS) {
    const engines: QueryEngine[] = ['athena', 'insights', 'duckdb'];
    if (filtered.includes(t)) engines.splice(2, 0, 'metric-filter');
    const notes: Partial<Record<QueryEngine, string[]>> = {};
    if (!singleRecord(t)) {
      notes.athena = [SCAN_ATHENA];
      notes.duckdb = [SCAN_DUCKDB];
      notes.insights = [SCAN_INSIGHTS];
    }
    out.push({ kind: 'trigger', id: t.id, name: t.name, engines, ...(Object.keys(notes).length ? { notes } : {}) });
  }
  for (const t of TABLES) {
    const engines: QueryEngine[] = ['athena', 'insights', 'duckdb'];
    const notes: Partial<Record<QueryEngine, string[]>> = {};
    if (t.kind === 'mitre' || t.kind === 'scans') {
      notes.athena = [SCAN_ATHENA];
      notes.duckdb = [SCAN_DUCKDB];
      notes.insights = [SCAN_INSIGHTS];
    }
    if (t.kind === 'series') notes.insights = [SERIES_INSIGHTS];
    out.push({ kind: 'table', id: t.id, name: t.name, engines, ...(Object.keys(notes).length ? { notes } : {}) });
  }
  return out;
}
