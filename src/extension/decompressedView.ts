// The read-only decompressed view of a `.log.gz` or `.parquet` flow log: a virtual file of its own scheme
// (vpcflow-view:) whose text is the decompressed log (Parquet: a header line of field names, then one line per row,
// as an S3 text object has). The virtual path ends in `.vpcflow`, so the document opens in the vpcflow language and
// every editor feature works on it: grammar, hovers, labels, diagnostics, "Analyze VPC Flow". VS Code passes no
// document over 50 MB to extensions, so a log that decompresses past that says so and offers Analyze File… instead.
//
// It is offered three ways: the command "VPC Flow: Open Decompressed View" (Explorer context menu on .gz and
// .parquet files, editor title of the binary file, palette), a notification when a .gz or .parquet file is opened
// in the (binary) editor, and from the dashboard (a hit or unparsed line of such a file opens the view at its line).
import * as vscode from 'vscode';
import { detectFlowLog } from '../core/detect';
import { inputKind, type GzipDamage, type InputKind } from '../core/input/inflate';
import { ParquetError, parquetText } from '../core/input/parquet';
import { EXTENSION_SYNC_LIMIT_BYTES, readFlowText } from './analyzeFile';
import { Command, isOpenViewOptions } from './commands';
import { baseName } from './dashboardSources';
import type { Host, Services } from './services';
import { errorText } from '../core/text';

export const VIEW_SCHEME = 'vpcflow-view';
/** Appended to the source's path: the view opens in the vpcflow language (package.json maps `.vpcflow`). */
const VIEW_SUFFIX = '.vpcflow';
/** Decompressed views kept in memory (the most recent ones). */
const CACHE_ENTRIES = 4;
/** Names that are a compressed or columnar file (what the Explorer menu and the command look for). */
export const COMPRESSED_NAME = /\.(gz|parquet)$/i;
/** Names worth a notification when opened: compressed text logs and Parquet (not a .tar.gz or a .svgz). */
const OFFERED_NAME = /\.(log|txt|json|ndjson)\.gz$|_vpcflowlogs_.*\.gz$|\.parquet$/i;

/** The view of a compressed file: same authority and path (plus `.vpcflow`), the source's scheme in the query. */
export function viewUri(source: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({
    scheme: VIEW_SCHEME,
    authority: source.authority,
    path: source.path + VIEW_SUFFIX,
    query: source.scheme,
  });
}

/** The compressed file a view shows, or undefined for a URI that is not a view. */
export function sourceOfView(view: vscode.Uri): vscode.Uri | undefined {
  if (view.scheme !== VIEW_SCHEME || !view.path.endsWith(VIEW_SUFFIX)) return undefined;
  return vscode.Uri.from({
    scheme: view.query || 'file',
    authority: view.authority,
    path: view.path.slice(0, -VIEW_SUFFIX.length),
  });
}

/** The decompressed text would pass the limit VS Code sets for documents handed to extensions. */
export class ViewTooLargeError extends Error {
  constructor(
    readonly source: vscode.Uri,
    readonly limit: number,
  ) {
    super(
      `${baseName(source)} decompresses to more than ${Math.round(limit / 1048576)} MB, which VS Code does not pass to extensions (no hovers, labels or diagnostics)`,
    );
  }
}

export interface Decompressed {
  readonly kind: InputKind;
  /** The decompressed text, UTF-8. */
  readonly bytes: Uint8Array;
  /** What was wrong with a damaged input (what decoded before it is shown). */
  readonly damage?: string;
}

/**
 * The decompressed text of a gzip or Parquet file (a plain file's bytes as they are). Throws ViewTooLargeError past
 * `limit` bytes of text, and the Parquet reader's one-line error for a Parquet file that is not a flow log.
 */
export async function decompress(
  host: Host,
  uri: vscode.Uri,
  limit = EXTENSION_SYNC_LIMIT_BYTES,
): Promise<Decompressed> {
  const parts: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const keep = (bytes: Uint8Array): void => {
    if (over) return;
    total += bytes.length;
    if (total > limit) over = true;
    else parts.push(bytes.slice());
  };
  let damage: string | undefined;
  let kind: InputKind = 'plain';
  let gunzip: ReturnType<Host['inflater']['gunzipStream']> | undefined;
  await readFlowText(host, uri, {
    first: (head) => {
      kind = inputKind(head);
      if (kind === 'gzip')
        gunzip = host.inflater.gunzipStream({
          data: keep,
          damaged: (d: GzipDamage) => {
            damage = d.truncated
              ? 'the gzip data ends early (truncated)'
              : `the gzip data is corrupt, or followed by bytes that are not gzip (${d.detail})`;
          },
        });
    },
    bytes: async (chunk) => {
      if (gunzip) await gunzip.push(chunk);
      else keep(chunk);
    },
    parquet: async (file, options) => {
      const encoder = new TextEncoder();
      try {
        for await (const text of parquetText(file, undefined, options)) {
          keep(encoder.encode(text));
          if (over) return;
        }
      } catch (err) {
        // A damaged file shows what was read before the damage; one that is not a flow log says so.
        if (!(err instanceof ParquetError) || err.kind !== 'damaged' || total === 0) throw err;
        damage = err.message;
      }
    },
    stop: () => over,
  });
  if (gunzip && !over) await gunzip.end();
  if (over) throw new ViewTooLargeError(uri, limit);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  return { kind, bytes, damage };
}

interface CacheEntry {
  readonly mtime: number;
  readonly size: number;
  readonly result: Decompressed;
}

/** The read-only file system of the views, and the commands and notification that open them. */
export class DecompressedViews implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly loading = new Map<string, Promise<CacheEntry>>();
  private readonly offered = new Set<string>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly services: Services) {
    this.subscriptions = [
      this.changed,
      vscode.workspace.registerFileSystemProvider(VIEW_SCHEME, this, { isCaseSensitive: true, isReadonly: true }),
      vscode.commands.registerCommand(Command.openDecompressed, (arg?: unknown, options?: unknown) =>
        this.openCommand(arg, options).then(undefined, (err: unknown) => {
          services.log.error(`Open Decompressed View: ${errorText(err)}`);
          void vscode.window.showErrorMessage(`VPC Flow: Open Decompressed View failed: ${errorText(err)}`);
        }),
      ),
      // A tab opened, or one that became active (a preview tab reused, or the file opened before activation).
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of [...e.opened, ...e.changed]) if (tab.isActive) this.offer(tab);
      }),
    ];
    const active = vscode.window.tabGroups.activeTabGroup.activeTab;
    if (active) this.offer(active);
  }

  // -- opening ------------------------------------------------------------------------------------------------

  /** Opens the view of `source` (at a 1-based line); says so and offers Analyze File… when it is too large. */
  async open(
    source: vscode.Uri,
    options: { line?: number; viewColumn?: vscode.ViewColumn; preview?: boolean } = {},
  ): Promise<vscode.TextEditor | undefined> {
    const view = viewUri(source);
    let entry: CacheEntry;
    try {
      entry = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Decompressing ${baseName(source)}` },
        () => this.load(view),
      );
    } catch (err) {
      if (!(err instanceof ViewTooLargeError)) throw err;
      this.services.log.info(err.message);
      const choice = await vscode.window.showWarningMessage(
        `VPC Flow: ${err.message}. Analyze File… reads it from disk instead (the dashboard, without the editor features).`,
        'Analyze File…',
      );
      if (choice) await vscode.commands.executeCommand(Command.analyzeFile, source);
      return undefined;
    }
    if (entry.result.kind === 'plain') {
      // Not compressed after all: the file itself is the text.
      await vscode.commands.executeCommand('vscode.open', source, { viewColumn: options.viewColumn });
      return undefined;
    }
    if (entry.result.damage)
      void vscode.window.showWarningMessage(
        `VPC Flow: ${baseName(source)}: ${entry.result.damage}. The view shows what decoded before it.`,
      );
    const doc = await vscode.workspace.openTextDocument(view);
    await this.checkLanguage(doc);
    const line = options.line;
    const selection =
      line !== undefined && doc.lineCount > 0
        ? doc.lineAt(Math.min(Math.max(line - 1, 0), doc.lineCount - 1)).range
        : undefined;
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: options.viewColumn,
      preview: options.preview ?? true,
      selection,
    });
    if (selection) editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return editor;
  }

  /** A decompressed gzip text that is not a flow log (a web server's .log.gz) is shown as a plain log. */
  private async checkLanguage(doc: vscode.TextDocument): Promise<void> {
    if (doc.languageId !== 'vpcflow' || sourceOfView(doc.uri)?.path.toLowerCase().endsWith('.parquet')) return;
    const sample = doc.getText(new vscode.Range(0, 0, Math.min(doc.lineCount, 50), 0));
    if (sample.trim() !== '' && !detectFlowLog(sample)) await vscode.languages.setTextDocumentLanguage(doc, 'log');
  }

  private async openCommand(arg?: unknown, options?: unknown): Promise<void> {
    let source = arg instanceof vscode.Uri ? arg : undefined;
    if (!source) {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      if (input instanceof vscode.TabInputText && COMPRESSED_NAME.test(input.uri.path)) source = input.uri;
    }
    if (!source) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Open a compressed or Parquet flow log as text',
        openLabel: 'Open Decompressed View',
        canSelectMany: false,
        filters: { 'Compressed and Parquet flow logs': ['gz', 'parquet'], 'All files': ['*'] },
      });
      source = picked?.[0];
    }
    if (!source) return;
    if (source.scheme === VIEW_SCHEME) source = sourceOfView(source) ?? source;
    await this.open(source, isOpenViewOptions(options) ? options : {});
  }

  /** A .gz or .parquet file opened in VS Code's (binary) editor: offer the decompressed view, once per file. */
  private offer(tab: vscode.Tab): void {
    const input = tab.input;
    if (!(input instanceof vscode.TabInputText) || input.uri.scheme === VIEW_SCHEME) return;
    if (!OFFERED_NAME.test(input.uri.path)) return;
    const key = input.uri.toString();
    if (this.offered.has(key)) return;
    this.offered.add(key);
    this.services.log.info(`${key}: a compressed or Parquet file opened in the editor; offering the decompressed view`);
    const what = /\.parquet$/i.test(input.uri.path) ? 'an Apache Parquet file' : 'gzip-compressed';
    void vscode.window
      .showInformationMessage(
        `VPC Flow: ${baseName(input.uri)} is ${what}. Open a read-only decompressed view as flow-log text?`,
        'Open Decompressed View',
        'Analyze File…',
      )
      .then(async (choice) => {
        if (choice === 'Analyze File…') await vscode.commands.executeCommand(Command.analyzeFile, input.uri);
        else if (choice) {
          const editor = await this.open(input.uri, { viewColumn: tab.group.viewColumn, preview: false });
          // The binary editor has nothing to show: the view takes its place.
          const still = tab.group.tabs.find(
            (t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key,
          );
          if (editor && still) await vscode.window.tabGroups.close(still, true);
        }
      })
      .then(undefined, (err: unknown) => this.services.log.error(`decompressed view: ${errorText(err)}`));
  }

  // -- the file system ----------------------------------------------------------------------------------------

  /** The decompressed text of a view (cached while the source's size and time are unchanged). */
  private async load(view: vscode.Uri): Promise<CacheEntry> {
    const source = sourceOfView(view);
    if (!source) throw vscode.FileSystemError.FileNotFound(view);
    const key = view.toString();
    const stat = await vscode.workspace.fs.stat(source);
    const cached = this.cache.get(key);
    if (cached && cached.mtime === stat.mtime && cached.size === stat.size) {
      this.cache.delete(key); // most recent last
      this.cache.set(key, cached);
      return cached;
    }
    const running = this.loading.get(key);
    if (running) return running;
    const started = decompress(this.services.host, source).then((result) => {
      const entry = { mtime: stat.mtime, size: stat.size, result };
      this.cache.delete(key);
      this.cache.set(key, entry);
      while (this.cache.size > CACHE_ENTRIES) {
        const oldest = this.cache.keys().next().value;
        if (oldest === undefined) break;
        this.cache.delete(oldest);
      }
      if (cached) this.changed.fire([{ type: vscode.FileChangeType.Changed, uri: view }]);
      return entry;
    });
    this.loading.set(key, started);
    try {
      return await started;
    } finally {
      this.loading.delete(key);
    }
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const source = sourceOfView(uri);
    if (!source) throw vscode.FileSystemError.FileNotFound(uri);
    const stat = await vscode.workspace.fs.stat(source);
    const cached = this.cache.get(uri.toString());
    return {
      type: vscode.FileType.File,
      ctime: stat.ctime,
      mtime: stat.mtime,
      size: cached && cached.mtime === stat.mtime ? cached.result.bytes.length : stat.size,
      permissions: vscode.FilePermission.Readonly,
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    try {
      return (await this.load(uri)).result.bytes;
    } catch (err) {
      if (err instanceof vscode.FileSystemError) throw err;
      throw vscode.FileSystemError.Unavailable(`${errorText(err)}`);
    }
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.cache.clear();
    for (const d of this.subscriptions) d.dispose();
  }
}

/** The view's source when `uri` is a view, else `uri`: what reading "this file" from disk means. */
export function diskUri(uri: vscode.Uri): vscode.Uri {
  return sourceOfView(uri) ?? uri;
}
