// Dashboard exports through a save dialog: the summary as JSON, the trigger hits as CSV, the records as CSV, each of
// the records the dashboard's filters select (the whole input without filters). Records are re-read (document text
// or file from disk) and streamed into the CSV; every cell is CSV-escaped and guarded against formula injection
// (src/core/csv.ts).
import * as vscode from 'vscode';
import { csvRow } from '../core/csv';
import { recordInRows, type RowContext } from '../core/analysis/rows';
import { fieldRaw } from '../core/record';
import type { FlowRecord, ParseSink, ParseStats, UnparsedLine } from '../core/types';
import type { ExportKind, Filter } from '../shared/protocol';
import type { AnalysisSummary } from '../shared/summary';
import type { ScanOptions } from './dashboardSources';
import type { Host, Services, TextWriter } from './services';
import { errorText } from '../core/text';

/** What an export needs from a dashboard. */
export interface ExportSource {
  readonly uri: vscode.Uri;
  readonly name: string;
  /**
   * The summary of the records `filters` select (of the whole input when empty) and the membership context of
   * that analysis; undefined while the analysis of the input runs.
   */
  view(
    filters: readonly Filter[],
    token?: vscode.CancellationToken,
  ): Promise<{ readonly summary: AnalysisSummary; readonly context: RowContext } | undefined>;
  /** Streams every record again; `between` is awaited after each input chunk (back-pressure). */
  scan(sink: ParseSink, options: ScanOptions): Promise<ParseStats | undefined>;
}

/** A local file through the host (Node: a write stream). Elsewhere (web, remote schemes): collected, written once. */
async function openWriter(host: Host, target: vscode.Uri): Promise<TextWriter> {
  if (host.localFiles && target.scheme === 'file') return host.localFiles.openTextWriter(target.fsPath);
  const parts: string[] = [];
  return {
    write: (text) => void parts.push(text),
    drain: () => Promise.resolve(),
    close: () => Promise.resolve(vscode.workspace.fs.writeFile(target, new TextEncoder().encode(parts.join('')))),
    abort: () => Promise.resolve(),
  };
}

function stem(name: string): string {
  return name.replace(/\.gz$/i, '').replace(/\.(log|txt|json|vpcflow)$/i, '') || 'vpc-flow';
}

function defaultTarget(source: ExportSource, suffix: string): vscode.Uri | undefined {
  const file = `${stem(source.name)}.${suffix}`;
  if (source.uri.scheme === 'file' || source.uri.scheme === 'vscode-remote')
    return vscode.Uri.joinPath(source.uri, '..', file);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, file) : undefined;
}

const FILTERS: Record<ExportKind, { suffix: string; filters: Record<string, string[]>; title: string }> = {
  'summary-json': { suffix: 'summary.json', filters: { JSON: ['json'] }, title: 'Export the analysis summary (JSON)' },
  'hits-csv': { suffix: 'hits.csv', filters: { CSV: ['csv'] }, title: 'Export the trigger hits (CSV)' },
  'records-csv': { suffix: 'records.csv', filters: { CSV: ['csv'] }, title: 'Export the records (CSV)' },
};

export const HITS_CSV_COLUMNS = [
  'trigger_id',
  'trigger',
  'actionable',
  'mitre_technique',
  'mitre_tactic',
  'line',
  'srcaddr',
  'dstaddr',
  'dstport',
  'description',
] as const;

/** The path of file `index` of a folder analysis ('' for none). */
function filePath(files: AnalysisSummary['files'], index: number | undefined): string {
  return index === undefined ? '' : (files?.[index]?.path ?? '');
}

/** The trigger hits of a summary as CSV rows (header first); a folder's hits name their file before the line. */
export function hitsCsv(summary: AnalysisSummary): string[] {
  const files = summary.files;
  const header: string[] = [...HITS_CSV_COLUMNS];
  if (files) header.splice(header.indexOf('line'), 0, 'file');
  const rows = [csvRow(header)];
  for (const t of summary.triggers) {
    for (const h of t.hits) {
      rows.push(
        csvRow([
          t.id,
          t.name,
          t.actionable,
          t.mitre?.technique ?? '',
          t.mitre?.tactic ?? '',
          ...(files ? [filePath(files, h.file)] : []),
          h.line,
          h.srcaddr ?? '',
          h.dstaddr ?? '',
          h.dstport ?? '',
          h.description,
        ]),
      );
    }
  }
  return rows;
}

/** Every field name of the summary's formats, in order of first appearance. */
export function recordColumns(summary: AnalysisSummary): string[] {
  const seen = new Set<string>();
  for (const f of summary.formats) for (const name of f.fields) seen.add(name);
  return [...seen];
}

/**
 * A ParseSink writing the records `filters` select as CSV rows with the given columns (plus `line`, and `file` first
 * for a folder analysis: `files`, with `file(index)` told before each file's records).
 */
export class RecordsCsvSink implements ParseSink {
  count = 0;
  private path = '';
  constructor(
    private readonly writer: { write(text: string): void },
    private readonly columns: readonly string[],
    private readonly filters: readonly Filter[],
    private readonly ctx: RowContext,
    private readonly files?: AnalysisSummary['files'],
  ) {
    writer.write(csvRow([...(files ? ['file'] : []), 'line', ...columns]));
  }
  /** The records that follow are in file `index` of the folder analysis. */
  file(index: number): void {
    this.path = filePath(this.files, index);
    this.ctx.portScanLines.file?.(index);
  }
  record(rec: FlowRecord): void {
    if (!recordInRows(rec, this.filters, this.ctx)) return;
    this.count++;
    const cells: (string | number)[] = this.files ? [this.path, rec.line] : [rec.line];
    for (const name of this.columns) {
      const i = rec.format.index.get(name);
      cells.push(i === undefined ? '' : fieldRaw(rec, i));
    }
    this.writer.write(csvRow(cells));
  }
  unparsed(_entry: UnparsedLine): void {
    // not a record
  }
}

/** Runs one export: save dialog, then write with a cancellable progress notification. */
export async function runExport(
  source: ExportSource,
  kind: ExportKind,
  filters: readonly Filter[],
  services: Pick<Services, 'log' | 'host'>,
): Promise<vscode.Uri | undefined> {
  const { log, host } = services;
  if (!(await source.view([]))) {
    void vscode.window.showWarningMessage('VPC Flow: nothing to export yet; the analysis is still running.');
    return undefined;
  }
  const spec = FILTERS[kind];
  const target = await vscode.window.showSaveDialog({
    title: spec.title,
    defaultUri: defaultTarget(source, spec.suffix),
    filters: spec.filters,
    saveLabel: 'Export',
  });
  if (!target) return undefined;
  const where = target.scheme === 'file' ? target.fsPath : target.toString();
  let truncated = false;
  try {
    const written = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `VPC Flow: exporting to ${where}`, cancellable: true },
      async (_progress, token) => {
        const view = await source.view(filters, token);
        if (!view) throw new Error('the analysis is not available');
        if (token.isCancellationRequested) throw new vscode.CancellationError();
        const { summary } = view;
        const writer = await openWriter(host, target);
        try {
          const n = await writeExport(source, view, kind, filters, writer, token);
          if (kind === 'hits-csv' && summary.triggers.some((t) => t.hitsTruncated)) truncated = true;
          await writer.close();
          return n;
        } catch (err) {
          await writer.abort();
          throw err;
        }
      },
    );
    log.info(`exported ${kind} (${written}) to ${where}`);
    void vscode.window.showInformationMessage(
      `VPC Flow: exported ${written} to ${where}.${truncated ? ' Hits are capped per trigger; the counts in the summary are exact.' : ''}`,
    );
    return target;
  } catch (err) {
    if (err instanceof vscode.CancellationError) {
      log.info(`export ${kind} cancelled`);
      return undefined;
    }
    const message = errorText(err);
    log.error(`export ${kind} failed: ${message}`);
    void vscode.window.showErrorMessage(`VPC Flow: export failed: ${message}`);
    return undefined;
  }
}

async function writeExport(
  source: ExportSource,
  { summary, context }: { readonly summary: AnalysisSummary; readonly context: RowContext },
  kind: ExportKind,
  filters: readonly Filter[],
  writer: TextWriter,
  token: vscode.CancellationToken,
): Promise<string> {
  switch (kind) {
    case 'summary-json':
      writer.write(`${JSON.stringify(summary, null, 2)}\n`);
      return filters.length > 0 ? 'the summary of the filtered records' : 'the summary';
    case 'hits-csv': {
      // The summary of the filtered records holds only the hits on those records.
      const rows = hitsCsv(summary);
      for (const row of rows) writer.write(row);
      return `${rows.length - 1} trigger hit${rows.length === 2 ? '' : 's'}`;
    }
    case 'records-csv': {
      const sink = new RecordsCsvSink(writer, recordColumns(summary), filters, context, summary.files);
      await source.scan(sink, { token, between: () => writer.drain(), onFile: (i) => sink.file(i) });
      return `${sink.count} record${sink.count === 1 ? '' : 's'}`;
    }
  }
}
