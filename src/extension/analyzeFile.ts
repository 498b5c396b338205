// "VPC Flow: Analyze File…": streams a flow-log file (plain or gzip) from disk through the core parser and analyzer.
// VS Code does not hand documents over 50 MB to extensions, and a .log.gz is bytes to the editor: this path serves
// both. Local files stream through the host's `localFiles` (Node: node:fs + node:zlib, see nodeHost.ts); everything
// else (the browser, remote schemes) is read through workspace.fs.readFile and inflated with fflate.
import * as vscode from 'vscode';
import { Gunzip } from 'fflate';
import { FlowAnalyzer } from '../core/analysis/analyzer';
import { ALPHABETICAL_29_FIELDS, DEFAULT_V2_FIELDS } from '../core/format';
import { FlowParser } from '../core/parser';
import type { FlowFormat, ParseOptions, ParseSink, ParseStats } from '../core/types';
import type { AnalysisSummary } from '../shared/summary';
import type { Host, Services } from './services';

/** VS Code does not synchronise documents above this size with extensions. */
export const EXTENSION_SYNC_LIMIT_BYTES = 50 * 1024 * 1024;
export const CHUNK_BYTES = 1 << 20;

export interface StreamInfo {
  /** Bytes on disk. */
  readonly size: number;
  readonly compressed: boolean;
}

export interface FileAnalysis extends StreamInfo {
  readonly summary: AnalysisSummary;
  /** The format of most records. */
  readonly format: FlowFormat | undefined;
  readonly ms: number;
}

/** Reports bytes read from disk (compressed bytes for a .gz). */
export type ProgressFn = (bytesRead: number, size: number) => void;

const yieldNow = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The user's `vpcFlow.format` for this file as parse options ('' = auto). */
export function parseOptionsFor(services: Services, uri: vscode.Uri): ParseOptions {
  const spec = services.config.formatFor(uri);
  if (!spec) return {};
  if (spec === 'default') return { format: DEFAULT_V2_FIELDS };
  if (spec === 'alphabetical') return { format: ALPHABETICAL_29_FIELDS };
  return { format: spec };
}

export interface StreamOptions {
  /** Throws vscode.CancellationError once cancelled. */
  readonly token?: vscode.CancellationToken;
  readonly onProgress?: ProgressFn;
  /** Stops reading (without error) once this turns true. */
  readonly stop?: () => boolean;
  /** Awaited after each chunk before the next is read (back-pressure for exports). */
  readonly between?: () => Promise<void>;
}

/** Streams the (decompressed) bytes of a file to `onChunk`. */
export async function streamFile(
  host: Host,
  uri: vscode.Uri,
  onChunk: (chunk: Uint8Array) => void,
  options: StreamOptions = {},
): Promise<StreamInfo> {
  if (host.localFiles && uri.scheme === 'file') return host.localFiles.stream(uri.fsPath, onChunk, options);
  return streamWithWorkspaceFs(uri, onChunk, options);
}

async function streamWithWorkspaceFs(
  uri: vscode.Uri,
  onChunk: (chunk: Uint8Array) => void,
  { token, onProgress, stop, between }: StreamOptions,
): Promise<StreamInfo> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  const size = bytes.length;
  const compressed = isGzip(bytes);
  let stopped = false;
  const gunzip = compressed
    ? new Gunzip((chunk) => {
        if (!stopped) onChunk(chunk);
      })
    : undefined;
  for (let offset = 0; offset < size && !stopped; offset += CHUNK_BYTES) {
    if (token?.isCancellationRequested) throw new vscode.CancellationError();
    const end = Math.min(size, offset + CHUNK_BYTES);
    const slice = bytes.subarray(offset, end);
    if (gunzip) gunzip.push(slice, end === size);
    else onChunk(slice);
    onProgress?.(end, size);
    stopped = stop?.() ?? false;
    await (between ? between() : yieldNow());
  }
  return { size, compressed };
}

/** Streams a file through a FlowParser into `sink` (re-reading the file from disk); no stats when stopped early. */
export async function scanFile(
  services: Services,
  uri: vscode.Uri,
  sink: ParseSink,
  options: StreamOptions = {},
): Promise<StreamInfo & { readonly stats: ParseStats | undefined }> {
  const parser = new FlowParser(sink, parseOptionsFor(services, uri));
  const info = await streamFile(services.host, uri, (chunk) => parser.push(chunk), options);
  const stats = options.stop?.() ? undefined : parser.end();
  return { ...info, stats };
}

/** Analyses a file from disk with the user's trigger settings. */
export async function analyzeFile(
  services: Services,
  uri: vscode.Uri,
  token?: vscode.CancellationToken,
  onProgress?: ProgressFn,
): Promise<FileAnalysis> {
  const t0 = Date.now();
  const analyzer = new FlowAnalyzer(services.config.current.analysis);
  const parser = new FlowParser(analyzer, parseOptionsFor(services, uri));
  const info = await streamFile(services.host, uri, (chunk) => parser.push(chunk), { token, onProgress });
  const stats = parser.end();
  const summary = analyzer.finish(stats);
  let best: { format: FlowFormat; records: number } | undefined;
  for (const f of stats.formats) if (!best || f.records > best.records) best = f;
  return { ...info, summary, format: best?.format, ms: Date.now() - t0 };
}

/** Why the editor features are off for a file analysed from disk, in the user's words. */
export function diskNote(info: StreamInfo): string {
  if (info.compressed)
    return 'Analyzed from disk: this file is gzip-compressed, so the editor sees bytes, not lines. Hovers, field labels and diagnostics are off for it; clicking a hit names its line.';
  if (info.size > EXTENSION_SYNC_LIMIT_BYTES)
    return `Analyzed from disk: VS Code does not pass files over 50 MB to extensions (this one is ${(info.size / 1048576).toFixed(1)} MB), so hovers, field labels and diagnostics are off for it. Clicking a hit still opens its line.`;
  return 'Analyzed from disk. Open the file in the editor for hovers, field labels and diagnostics, and a dashboard that follows edits.';
}
