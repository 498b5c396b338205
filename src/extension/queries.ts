// "VPC Flow: Copy Query for…" and "VPC Flow: Export Queries…": the triggers and dashboard tables as queries for the
// engines where flow logs live at scale (Athena, CloudWatch Logs Insights, metric filters, DuckDB). The queries come
// from the core's compiler (src/core/query) for the analysed log's own format and the configured ports and
// thresholds; this file only asks what the compiler needs (target, engine, optional values validated by the
// compiler itself) and hands the text to the clipboard or to untitled documents.
import * as vscode from 'vscode';
import {
  compileQuery,
  queryTargets,
  QUERY_ENGINES,
  QueryError,
  type QueryEngine,
  type QueryRequest,
} from '../core/query';
import type { FlowFormat } from '../core/types';
import type { AnalysisSummary } from '../shared/summary';
import { Command } from './commands';
import {
  engineChoices,
  exportDocuments,
  exportValueProblem,
  summaryFormat,
  type EngineChoice,
  type ExportValues,
} from './queryDocuments';
import type { Services } from './services';
import { StoredState } from './state';
import { errorText } from '../core/text';

/** What "Copy Query for…" compiles: a trigger (its declaration id) or a dashboard table (its card id). */
export interface QueryTarget {
  readonly kind: 'trigger' | 'table';
  readonly id: string;
}

/** The compiled query, or undefined when the compiler refuses a value of the request (its QueryError). */
function compiled(request: QueryRequest): string | undefined {
  try {
    return compileQuery(request);
  } catch (err) {
    if (err instanceof QueryError) return undefined;
    throw err;
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Arguments of vpcFlow.copyQuery (the hover's link, the dashboard, a keybinding): anything else is ignored. */
interface CopyArgs {
  readonly target?: QueryTarget;
  readonly uri?: vscode.Uri;
  readonly engine?: string;
}

function parseUri(x: unknown): vscode.Uri | undefined {
  if (x instanceof vscode.Uri) return x;
  if (typeof x !== 'string' || x.length === 0 || x.length > 4096) return undefined;
  try {
    return vscode.Uri.parse(x, true);
  } catch {
    return undefined;
  }
}

function copyArgs(arg: unknown): CopyArgs {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (!isRecord(arg)) return {};
  const kind = arg.kind === 'trigger' || arg.kind === 'table' ? arg.kind : undefined;
  const target: QueryTarget | undefined = kind && typeof arg.id === 'string' ? { kind, id: arg.id } : undefined;
  return {
    target,
    uri: parseUri(arg.uri),
    engine: typeof arg.engine === 'string' ? arg.engine : undefined,
  };
}

function exportArgs(arg: unknown): { uri?: vscode.Uri; values?: ExportValues } {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (!isRecord(arg)) return {};
  const text = (x: unknown): string | undefined => (typeof x === 'string' && x.length > 0 ? x : undefined);
  const given = arg.values;
  let values: ExportValues | undefined;
  if (isRecord(given)) {
    const partitioned = given.partitioned === 's3' || given.partitioned === 'hive' ? given.partitioned : undefined;
    values = { tableName: text(given.tableName), location: text(given.location), partitioned };
  }
  return { uri: parseUri(arg.uri), values };
}

/** Where a document with a language id VS Code does not know (Terraform without its extension) opens instead. */
const LANGUAGE_FALLBACKS: Readonly<Record<string, readonly string[]>> = {
  terraform: ['terraform', 'hcl', 'plaintext'],
};

/** Runs a command's work, reporting a failure in the log and a notification. */
async function reported<T>(services: Services, what: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    services.log.error(`${what}: ${errorText(err)}`);
    void vscode.window.showErrorMessage(`VPC Flow: ${what} failed: ${errorText(err)}`);
    return undefined;
  }
}

/** A language id VS Code knows: the compiler's, else its fallbacks, else plain text. */
async function knownLanguage(wanted: string | undefined): Promise<string> {
  if (!wanted) return 'plaintext';
  const known = new Set(await vscode.languages.getLanguages());
  return (LANGUAGE_FALLBACKS[wanted] ?? [wanted]).find((l) => known.has(l)) ?? 'plaintext';
}

async function pickTarget(): Promise<QueryTarget | undefined> {
  const items = queryTargets().map((t) => ({
    label: t.name,
    description: t.id,
    detail: t.kind === 'trigger' ? 'Trigger: every hit' : 'Dashboard table',
    target: { kind: t.kind, id: t.id } satisfies QueryTarget,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'VPC Flow: Copy Query for…',
    placeHolder: 'The trigger or dashboard table to query',
    matchOnDescription: true,
  });
  return picked?.target;
}

/** The engine: the remembered choice first; `preset` (a command argument, e.g. from a keybinding) skips the question. */
async function pickEngine(
  state: StoredState,
  engines: readonly QueryEngine[],
  what: string,
  preset: string | undefined,
): Promise<EngineChoice | undefined> {
  const choices = engineChoices(engines);
  const given = preset ? choices.find((c) => c.id === preset || c.engine === preset) : undefined;
  if (given) return given;
  const last = state.get('queryEngine');
  const ordered = [...choices.filter((c) => c.id === last), ...choices.filter((c) => c.id !== last)];
  const picked = await vscode.window.showQuickPick(
    ordered.map((c) => ({ label: c.label, description: c.id === last ? 'last used' : undefined, choice: c })),
    { title: `VPC Flow: Copy Query for ${what}`, placeHolder: 'The engine to write the query for' },
  );
  if (!picked) return undefined;
  await state.update('queryEngine', picked.choice.id);
  return picked.choice;
}

/**
 * Compiles the query of `target` for `format` and the configured ports and thresholds, for the engine the user picks
 * (or `preset`), and puts it on the clipboard. Resolves with the text copied (undefined when cancelled).
 */
export async function copyQuery(
  services: Services,
  target: QueryTarget,
  format: FlowFormat,
  source: { readonly name: string; readonly uri?: vscode.Uri },
  preset?: string,
): Promise<string | undefined> {
  const { name } = source;
  const known = queryTargets().find((t) => t.kind === target.kind && t.id === target.id);
  if (!known || known.engines.length === 0) {
    void vscode.window.showInformationMessage(
      `VPC Flow: there is no query for the ${target.kind} "${target.id}" in any engine.`,
    );
    return undefined;
  }
  const choice = await pickEngine(new StoredState(services.context), known.engines, known.name, preset);
  if (!choice) return undefined;
  const request: QueryRequest = {
    engine: choice.engine,
    format,
    config: services.config.current.analysis,
    ...(target.kind === 'trigger' ? { trigger: target.id } : { table: target.id }),
    ...(choice.flavor ? { metricFilterFlavor: choice.flavor } : {}),
  };
  // DuckDB reads the log itself when it is a local file (a path the compiler accepts), else its example folder.
  const local = source.uri?.scheme === 'file' ? source.uri.fsPath : undefined;
  const text = (choice.engine === 'duckdb' && local && compiled({ ...request, from: local })) || compileQuery(request);
  await vscode.env.clipboard.writeText(text);
  services.log.info(`copied the ${choice.label} query for ${known.id} (${format.label}) of ${name}`);
  void vscode.window
    .showInformationMessage(
      `VPC Flow: copied the ${choice.label} query for "${known.name}" (${format.label}, as in ${name}) to the clipboard.`,
      'Open in Editor',
    )
    .then(async (action) => {
      if (!action) return;
      const language = await knownLanguage(QUERY_ENGINES.find((e) => e.id === choice.engine)?.language);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language, content: text }));
    });
  return text;
}

/** "Query…" on a dashboard: the format of the summary it shows (a file from disk has no document analysis). */
export async function copyDashboardQuery(
  services: Services,
  target: QueryTarget,
  summary: AnalysisSummary | undefined,
  source: { readonly name: string; readonly uri: vscode.Uri },
): Promise<void> {
  const { name } = source;
  const format = summary && summaryFormat(summary);
  if (!format) {
    void vscode.window.showInformationMessage(
      `VPC Flow: ${name} has no flow record yet, so its format (field order) is unknown.`,
    );
    return;
  }
  await reported(services, 'Copy Query', () => copyQuery(services, target, format, source));
}

/** The flow log a palette command works on: the given URI's document, else the active (or a visible) flow log. */
async function flowDocument(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (uri) {
    const key = uri.toString();
    return (
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === key) ??
      (await vscode.workspace.openTextDocument(uri))
    );
  }
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'vpcflow') return active;
  return vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'vpcflow')?.document;
}

/** The format of a document's analysis (analysed now when needed), and its file name for messages. */
async function documentFormat(
  services: Services,
  uri: vscode.Uri | undefined,
): Promise<{ format: FlowFormat; name: string; uri: vscode.Uri } | undefined> {
  const document = await flowDocument(uri);
  if (!document) {
    void vscode.window.showInformationMessage(
      'VPC Flow: open a flow log in the editor first: the queries follow its format (field order).',
    );
    return undefined;
  }
  const analysis = services.analyses.get(document.uri) ?? (await services.analyses.analyze(document));
  const name = document.uri.path.split('/').pop() || document.uri.toString();
  return { format: analysis.format, name, uri: document.uri };
}

/** vpcFlow.copyQuery: from the palette (asks the target), the hover's link (a trigger) or a keybinding. */
async function copyCommand(services: Services, arg: unknown): Promise<string | undefined> {
  const args = copyArgs(arg);
  const doc = await documentFormat(services, args.uri);
  if (!doc) return undefined;
  const target = args.target ?? (await pickTarget());
  if (!target) return undefined;
  return copyQuery(services, target, doc.format, doc, args.engine);
}

/** The optional values, each checked by the compiler as it is typed (its QueryError shown inline). */
async function askExportValues(base: Parameters<typeof exportDocuments>[0]): Promise<ExportValues | undefined> {
  const check = (values: ExportValues): string | undefined => exportValueProblem(base, values);
  const tableName = await vscode.window.showInputBox({
    title: 'VPC Flow: Export Queries (1/3)',
    prompt: 'Table name for Athena (empty: the default, vpc_flow_logs)',
    placeHolder: 'vpc_flow_logs',
    validateInput: (v) => check({ tableName: v || undefined }),
  });
  if (tableName === undefined) return undefined;
  const location = await vscode.window.showInputBox({
    title: 'VPC Flow: Export Queries (2/3)',
    prompt: 'S3 location of the flow logs, for the Athena table (empty: an example to replace)',
    placeHolder: 's3://my-bucket/AWSLogs/123456789012/vpcflowlogs/us-east-1/',
    validateInput: (v) => check({ tableName: tableName || undefined, location: v || undefined }),
  });
  if (location === undefined) return undefined;
  const layouts = [
    { label: 'Not partitioned', partitioned: undefined },
    {
      label: 'AWS layout',
      description: 'AWSLogs/<account>/vpcflowlogs/<region>/yyyy/mm/dd/',
      partitioned: 's3' as const,
    },
    { label: 'Hive-style', description: '…/year=yyyy/month=mm/day=dd/', partitioned: 'hive' as const },
  ];
  const layout = await vscode.window.showQuickPick(layouts, {
    title: 'VPC Flow: Export Queries (3/3)',
    placeHolder: 'How the flow logs are laid out in S3 (partition projection for Athena)',
  });
  if (!layout) return undefined;
  return { tableName: tableName || undefined, location: location || undefined, partitioned: layout.partitioned };
}

/** vpcFlow.exportQueries: one untitled document per engine for the flow log's format; resolves with them. */
async function exportCommand(services: Services, arg: unknown): Promise<vscode.TextDocument[] | undefined> {
  const args = exportArgs(arg);
  const doc = await documentFormat(services, args.uri);
  if (!doc) return undefined;
  const base = { format: doc.format, config: services.config.current.analysis };
  const asked = args.values ?? (await askExportValues(base));
  if (!asked) return undefined;
  // DuckDB reads the log itself when it is a local file (a path the compiler accepts).
  const from = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
  const problem = exportValueProblem(base, asked);
  if (problem) throw new Error(problem);
  const withFrom = from ? exportDocuments(base, { ...asked, from }) : undefined;
  const { documents: texts, refused } =
    withFrom && !withFrom.refused.some((r) => r.choice.engine === 'duckdb') ? withFrom : exportDocuments(base, asked);
  const documents: vscode.TextDocument[] = [];
  for (const q of texts) {
    const language = await knownLanguage(q.language);
    const document = await vscode.workspace.openTextDocument({ language, content: q.text });
    await vscode.window.showTextDocument(document, { preview: false });
    documents.push(document);
  }
  services.log.info(`exported ${documents.length} query documents (${doc.format.label}) for ${doc.name}`);
  if (refused.length > 0) {
    const why = refused.map((r) => `${r.choice.label}: ${r.message}`).join('; ');
    services.log.warn(`Export Queries for ${doc.name}: ${why}`);
    void vscode.window.showWarningMessage(`VPC Flow: no queries for ${why}`);
  }
  return documents;
}

/** Registers "Copy Query for…" and "Export Queries…". */
export function registerQueries(services: Services): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Command.copyQuery, (arg?: unknown) =>
      reported(services, 'Copy Query', () => copyCommand(services, arg)),
    ),
    vscode.commands.registerCommand(Command.exportQueries, (arg?: unknown) =>
      reported(services, 'Export Queries', () => exportCommand(services, arg)),
    ),
  );
}
