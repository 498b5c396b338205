// The extension host's side of the document worker (documentWorker.ts): sends a document's text once, as UTF-8 bytes
// in line-aligned chunks read a slice at a time (the extension host never holds a copy of the whole text nor stalls),
// then its edits as they happen, and asks for analyses; the per-line facts come back as typed arrays. The worker
// itself comes from the Host (services.ts): a Node worker thread in the desktop extension host, none in the browser.
import * as vscode from 'vscode';
import type { AnalysisConfig } from '../core/analysis/config';
import type { DoneFacts, FileSource, FromWorker, PartialFacts, ToWorker } from './documentWorkerProtocol';
import { Cancelled, type LineFacts } from './lineFacts';
import type { Host, WorkerChannel } from './services';

/** Lines in the first chunk: the first screenful's facts come back after it. */
const FIRST_LINES = 500;
/**
 * Lines read with one getText call: small enough for the string to stay in V8's young generation (a string over
 * 128 KiB goes straight to the old one, and old-generation growth brings the extension host's long major GCs).
 */
const LINES_PER_CHUNK = 500;
/** Longest stretch of reading and encoding before yielding to the event loop. */
const SLICE_MS = 8;

export interface WorkerAnalysisOptions {
  /** The requested format ('' = auto). */
  readonly format: string;
  readonly config: AnalysisConfig;
  /** Report partial facts while the analysis runs (a document's first analysis). */
  readonly progress: boolean;
}

/** The facts of the first `linesDone` lines of a running analysis. */
export interface WorkerPartial extends LineFacts {
  readonly linesDone: number;
}

interface DocState {
  readonly id: number;
  /** The version whose text the worker holds (undefined: none, or not all of it). */
  synced: number | undefined;
  /** A stream of this document's text is being sent. */
  streaming: boolean;
}

interface JobState {
  readonly resolve: (facts: DoneFacts | 'unsynced') => void;
  readonly reject: (e: Error) => void;
  readonly onPartial: ((partial: WorkerPartial) => void) | undefined;
}

/** The length of a document's text (UTF-16 units, line breaks included), without building the text. */
function textLength(document: vscode.TextDocument): number {
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

/**
 * Where the worker can read the text of `document` itself: the saved file of an unmodified local document (the
 * worker checks it is the document's text; see FileSource). Undefined for other documents (untitled, edited,
 * decompressed views, remote file systems).
 */
function fileSource(document: vscode.TextDocument): FileSource | undefined {
  if (document.uri.scheme !== 'file' || document.isDirty || document.isUntitled) return undefined;
  const last = document.lineCount - 1;
  return {
    path: document.uri.fsPath,
    length: textLength(document),
    firstLine: document.lineAt(0).text,
    lastLine: document.lineAt(last).text,
  };
}

export class DocumentWorkerClient implements vscode.Disposable {
  private channel: WorkerChannel | undefined;
  private failed = false;
  private nextId = 1;
  private readonly docs = new Map<vscode.TextDocument, DocState>();
  private readonly jobs = new Map<number, JobState>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly start: () => WorkerChannel,
    private readonly host: Pick<Host, 'yieldToEventLoop'>,
    private readonly log: vscode.LogOutputChannel,
    private readonly work: { note(what: string, ms: number): void },
    /** A close to ignore: the close that a language change to vpcflow reports (the same document opens again). */
    private readonly switching: (document: vscode.TextDocument) => boolean = () => false,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => this.changed(e)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (!this.switching(d)) this.forget(d);
      }),
    ];
  }

  /** False once the worker failed: the caller then analyses in the extension host. */
  get available(): boolean {
    return !this.failed;
  }

  /** Starts the worker ahead of the first analysis (it loads while the extension host reads the first lines). */
  warm(): void {
    if (!this.failed) this.ensureChannel();
  }

  /** Analyses `document` at its current version in the worker. Rejects with Cancelled when `token` fires. */
  async analyze(
    document: vscode.TextDocument,
    options: WorkerAnalysisOptions,
    token: vscode.CancellationToken,
    onPartial?: (partial: WorkerPartial) => void,
  ): Promise<DoneFacts> {
    let state = this.docs.get(document);
    if (!state) {
      state = { id: this.nextId++, synced: undefined, streaming: false };
      this.docs.set(document, state);
    }
    const version = document.version;
    if (state.synced === version && !state.streaming) {
      const facts = await this.ask(document, state, options, token, onPartial);
      if (facts !== 'unsynced') return facts;
      state.synced = undefined;
    }
    const file = fileSource(document);
    if (file) {
      const facts = await this.fromFile(document, state, file, options, token, onPartial);
      if (facts !== 'unsynced') return facts;
      this.log.debug(`${document.uri.toString()}: the saved file is not the document's text; sending the text`);
    }
    return this.stream(document, state, options, token, onPartial);
  }

  /**
   * Has the worker read the text of `document` from its saved file (no text crosses from the extension host):
   * 'unsynced' when the worker found the file is not the document's text.
   */
  private async fromFile(
    document: vscode.TextDocument,
    state: DocState,
    file: FileSource,
    options: WorkerAnalysisOptions,
    token: vscode.CancellationToken,
    onPartial: ((partial: WorkerPartial) => void) | undefined,
  ): Promise<DoneFacts | 'unsynced'> {
    const version = document.version;
    state.synced = undefined;
    state.streaming = true;
    const done = this.ask(document, state, options, token, onPartial, file);
    try {
      const facts = await done;
      // Edits that came meanwhile were not sent (the worker's copy was incomplete): it holds this version only.
      if (facts !== 'unsynced' && document.version === version) state.synced = version;
      return facts;
    } finally {
      state.streaming = false;
    }
  }

  /**
   * Asks the worker to analyse the text it holds of `document` at its current version ('unsynced': it holds another
   * or none), or with `file`, to read that text from the saved file.
   */
  private ask(
    document: vscode.TextDocument,
    state: DocState,
    options: WorkerAnalysisOptions,
    token: vscode.CancellationToken,
    onPartial: ((partial: WorkerPartial) => void) | undefined,
    file?: FileSource,
  ): Promise<DoneFacts | 'unsynced'> {
    const job = this.nextId++;
    const done = this.wait(job, token, onPartial);
    this.post({
      type: 'analyze',
      job,
      doc: state.id,
      version: document.version,
      lineCount: document.lineCount,
      stream: false,
      ...(file ? { file } : {}),
      ...options,
    });
    return done;
  }

  /** Sends the text of `document` to the worker a slice at a time while the worker analyses it. */
  private async stream(
    document: vscode.TextDocument,
    state: DocState,
    options: WorkerAnalysisOptions,
    token: vscode.CancellationToken,
    onPartial: ((partial: WorkerPartial) => void) | undefined,
  ): Promise<DoneFacts> {
    const version = document.version;
    const lineCount = document.lineCount;
    const job = this.nextId++;
    const done = this.wait(job, token, onPartial);
    done.catch(() => undefined); // awaited below, once the text is sent; it may reject before
    state.synced = undefined;
    state.streaming = true;
    this.post({ type: 'analyze', job, doc: state.id, version, lineCount, stream: true, ...options });
    const stale = (): boolean => token.isCancellationRequested || document.isClosed || document.version !== version;
    try {
      let line = 0;
      while (line < lineCount) {
        const sliceStart = performance.now();
        while (line < lineCount) {
          const end = Math.min(lineCount, line + (line === 0 ? FIRST_LINES : LINES_PER_CHUNK));
          const to = end < lineCount ? new vscode.Position(end, 0) : document.lineAt(lineCount - 1).range.end;
          const bytes = this.encoder.encode(document.getText(new vscode.Range(line, 0, to.line, to.character)));
          const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
          this.post({ type: 'chunk', job, bytes, lines: end - line }, whole ? [bytes.buffer] : []);
          line = end;
          if (performance.now() - sliceStart > SLICE_MS) break;
        }
        this.work.note('text sent to the worker', performance.now() - sliceStart);
        if (line < lineCount) {
          await this.host.yieldToEventLoop();
          if (stale()) throw new Cancelled();
        }
      }
      this.post({ type: 'end', job });
      state.synced = version;
    } catch (e) {
      this.post({ type: 'cancel', job });
      this.jobs.get(job)?.reject(e instanceof Error ? e : new Error(String(e)));
      this.jobs.delete(job);
    } finally {
      state.streaming = false;
    }
    const facts = await done;
    if (facts === 'unsynced') throw new Error('the document worker lost the text it was sent');
    return facts;
  }

  /** The result of `job`, or Cancelled when `token` fires first (the worker is told to stop). */
  private wait(
    job: number,
    token: vscode.CancellationToken,
    onPartial: ((partial: WorkerPartial) => void) | undefined,
  ): Promise<DoneFacts | 'unsynced'> {
    return new Promise<DoneFacts | 'unsynced'>((resolve, reject) => {
      if (token.isCancellationRequested) {
        reject(new Cancelled());
        return;
      }
      const sub = token.onCancellationRequested(() => {
        if (!this.jobs.delete(job)) return;
        this.post({ type: 'cancel', job });
        sub.dispose();
        reject(new Cancelled());
      });
      this.jobs.set(job, {
        resolve: (v) => {
          sub.dispose();
          resolve(v);
        },
        reject: (e) => {
          sub.dispose();
          reject(e);
        },
        onPartial,
      });
    });
  }

  private changed(e: vscode.TextDocumentChangeEvent): void {
    const state = this.docs.get(e.document);
    if (!state || e.contentChanges.length === 0) return;
    if (state.synced === undefined || state.streaming) {
      state.synced = undefined;
      return;
    }
    const t0 = performance.now();
    const changes = e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text }));
    this.post({ type: 'edit', doc: state.id, version: e.document.version, changes, length: textLength(e.document) });
    state.synced = e.document.version;
    this.work.note('edit sent to the worker', performance.now() - t0);
  }

  private forget(document: vscode.TextDocument): void {
    const state = this.docs.get(document);
    if (!state) return;
    this.docs.delete(document);
    this.post({ type: 'close', doc: state.id });
  }

  private ensureChannel(): WorkerChannel {
    if (this.channel) return this.channel;
    const channel = this.start();
    channel.onMessage((m) => this.received(m as FromWorker));
    channel.onExit((error) => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.failed = true;
      this.log.error(`the document worker stopped: ${error?.message ?? 'exited'}; analysing in the extension host`);
      for (const s of this.docs.values()) s.synced = undefined;
      const jobs = [...this.jobs.values()];
      this.jobs.clear();
      for (const j of jobs) j.reject(new WorkerFailed(error?.message ?? 'the document worker exited'));
    });
    this.channel = channel;
    return channel;
  }

  private post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    if (this.failed) {
      if (message.type === 'analyze')
        this.jobs.get(message.job)?.reject(new WorkerFailed('the document worker failed'));
      return;
    }
    this.ensureChannel().postMessage(message, transfer);
  }

  private received(m: FromWorker): void {
    switch (m.type) {
      case 'partial':
        this.jobs.get(m.job)?.onPartial?.(partialOf(m));
        return;
      case 'done': {
        const job = this.jobs.get(m.job);
        this.jobs.delete(m.job);
        job?.resolve(m);
        return;
      }
      case 'failed': {
        const job = this.jobs.get(m.job);
        this.jobs.delete(m.job);
        if (m.reason === 'unsynced') job?.resolve('unsynced');
        else if (m.reason === 'cancelled') job?.reject(new Cancelled());
        else job?.reject(new Error(`document worker: ${m.message}`));
        return;
      }
      case 'desync':
        for (const s of this.docs.values()) if (s.id === m.doc) s.synced = undefined;
        return;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    const channel = this.channel;
    this.channel = undefined;
    this.failed = true;
    for (const j of this.jobs.values()) j.reject(new Cancelled());
    this.jobs.clear();
    channel?.terminate();
  }
}

/** The worker failed (not a cancellation): the analysis is to be run in the extension host instead. */
export class WorkerFailed extends Error {}

function partialOf(m: PartialFacts): WorkerPartial {
  return {
    linesDone: m.to - 1,
    flags: m.flags,
    formatIds: m.formatIds,
    offsets: m.offsets,
    triggerMasks: m.triggerMasks,
    formats: m.formats,
    unparsedReasons: new Map(m.unparsed),
    flaggedValues: new Map(m.flagged),
  };
}
