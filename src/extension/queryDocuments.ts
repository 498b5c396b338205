// What "Copy Query for…" and "Export Queries…" ask the compiler for, without VS Code: the engine choices (a metric
// filter comes as CloudFormation or Terraform), the documents Export Queries… opens (one per engine) and the format of
// a dashboard's summary. No `vscode` import: plain Node tests read this file.
import { makeFormat } from '../core/format';
import {
  exportQueries,
  QUERY_ENGINES,
  QueryError,
  queryTargets,
  type QueryEngine,
  type QueryRequest,
} from '../core/query';
import { tableDef } from '../core/query/plan';
import type { FlowFormat, FormatSource } from '../core/types';
import type { FilterDimension, QueryTargets } from '../shared/protocol';
import { mostRecords, type AnalysisSummary } from '../shared/summary';

type Flavor = NonNullable<QueryRequest['metricFilterFlavor']>;

/** An engine as the user picks it. */
export interface EngineChoice {
  /** 'athena', 'insights', 'duckdb', 'metric-filter:cloudformation' or 'metric-filter:terraform' (remembered). */
  readonly id: string;
  readonly engine: QueryEngine;
  readonly flavor?: Flavor;
  readonly label: string;
}

const FLAVORS: readonly { flavor: Flavor; label: string }[] = [
  { flavor: 'cloudformation', label: 'CloudFormation' },
  { flavor: 'terraform', label: 'Terraform' },
];

/** The choices for a target's engines, in the compiler's order. */
export function engineChoices(engines: readonly QueryEngine[]): EngineChoice[] {
  const out: EngineChoice[] = [];
  for (const e of QUERY_ENGINES) {
    if (!engines.includes(e.id)) continue;
    if (e.id === 'metric-filter')
      for (const f of FLAVORS)
        out.push({ id: `${e.id}:${f.flavor}`, engine: e.id, flavor: f.flavor, label: `${e.label} (${f.label})` });
    else out.push({ id: e.id, engine: e.id, label: e.label });
  }
  return out;
}

/** Optional values of Export Queries…, as the user typed them (the compiler validates them). */
export interface ExportValues {
  readonly tableName?: string;
  readonly location?: string;
  readonly partitioned?: 's3' | 'hive';
  /** DuckDB: the file or folder the queries read. */
  readonly from?: string;
}

export interface QueryDocument {
  readonly choice: EngineChoice;
  readonly title: string;
  /** The compiler's VS Code language id ('sql', 'plaintext', 'yaml', 'terraform'). */
  readonly language: string;
  readonly text: string;
}

/** A value the user typed for Export Queries…, checked by the compiler: its QueryError message, or undefined. */
export function exportValueProblem(
  base: { readonly format: FlowFormat; readonly config: QueryRequest['config'] },
  values: ExportValues,
): string | undefined {
  try {
    // The Athena export reads the table name, the S3 location and the layout.
    exportQueries({ ...base, ...values, engine: 'athena' });
    return undefined;
  } catch (err) {
    if (err instanceof QueryError) return err.message;
    throw err;
  }
}

/**
 * The documents of Export Queries…: one per engine (metric filters once as CloudFormation, once as Terraform), each
 * every query of that engine for the format, in the compiler's words. An engine the compiler refuses for this format
 * (its QueryError) is listed in `refused` instead, so the others still open.
 */
export function exportDocuments(
  base: { readonly format: FlowFormat; readonly config: QueryRequest['config'] },
  values: ExportValues,
): { documents: QueryDocument[]; refused: { choice: EngineChoice; message: string }[] } {
  const documents: QueryDocument[] = [];
  const refused: { choice: EngineChoice; message: string }[] = [];
  for (const choice of engineChoices(QUERY_ENGINES.map((e) => e.id))) {
    let parts: ReturnType<typeof exportQueries>;
    try {
      parts = exportQueries({
        ...base,
        ...values,
        engine: choice.engine,
        ...(choice.flavor ? { metricFilterFlavor: choice.flavor } : {}),
      });
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      refused.push({ choice, message: err.message });
      continue;
    }
    const language = parts[0]?.language ?? QUERY_ENGINES.find((e) => e.id === choice.engine)?.language ?? 'plaintext';
    const text = `${parts.map((p) => p.text.trimEnd()).join('\n\n')}\n`;
    documents.push({ choice, title: choice.label, language, text });
  }
  return { documents, refused };
}

/** What the dashboard offers a "Query…" button for: the triggers, and the tables of its cards (by row dimension). */
export function dashboardQueryTargets(): QueryTargets {
  const targets = queryTargets().filter((t) => t.engines.length > 0);
  const tables: { dimension: FilterDimension; id: string }[] = [];
  for (const t of targets) {
    const dimension = t.kind === 'table' ? tableDef(t.id)?.dimension : undefined;
    if (dimension) tables.push({ dimension, id: t.id });
  }
  return { triggers: targets.filter((t) => t.kind === 'trigger').map((t) => t.id), tables };
}

const FORMAT_SOURCES: readonly string[] = ['header', 'user', 'default', 'alphabetical', 'inferred'];

/**
 * The format most records of a summary had (a dashboard of a file from disk, or of several files, has no document
 * analysis to ask). Undefined when no record was read.
 */
export function summaryFormat(summary: AnalysisSummary): FlowFormat | undefined {
  const best = mostRecords(summary.formats);
  if (!best) return undefined;
  const source = (FORMAT_SOURCES.includes(best.source) ? best.source : 'inferred') as FormatSource;
  return makeFormat(best.fields, { source, label: best.label, confidence: best.confidence, notes: best.notes });
}
