// The document worker (dist/documentWorker.js, a Node worker thread started by the Node host, nodeHost.ts): analyses
// the documents of the editor off the extension host's thread, on the byte path the CLI takes (FlowParser on UTF-8
// bytes, the WebAssembly scanner, FlowAnalyzer.recordValues), and sends back the per-line facts as typed arrays.
// It keeps the text of each document it was sent (the bytes as they came, or the text once edits arrived), so an edit
// costs the extension host only the edit. Protocol: documentWorkerProtocol.ts. No `vscode` here.
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { LineAnalysis, type FinishedFacts } from './lineFacts';
import { editChunks } from './heldText';
import type { DoneFacts, FileSource, FromWorker, PartialFacts, TextChange, ToWorker } from './documentWorkerProtocol';
import { errorText } from '../core/text';

/** A first analysis reports partial facts after its first chunk, then every this many lines. */
const PROGRESS_LINES = 50_000;
/** Characters of a held text encoded and parsed between two looks at the message queue. */
const SLICE_CHARS = 1 << 20;
/** Bytes of a file read at a time (the first read is small: the first screenful's facts come back after it). */
const FILE_CHUNK = 1 << 20;
const FILE_FIRST_CHUNK = 64 * 1024;

interface Doc {
  version: number;
  /**
   * The text as bytes: as the extension host sent it (UTF-8, line-aligned chunks) or as read from the file, and
   * kept as bytes through edits while it and they are ASCII (see editChunks).
   */
  chunks: Uint8Array[] | null;
  /** Every byte of `chunks` is ASCII: a UTF-16 offset in the document is a byte offset. */
  ascii: boolean;
  /** The text once an edit could not be applied to the bytes. */
  text: string | null;
  /** The streaming job still sending this document's text (the text is incomplete until its `end`). */
  streamJob: number | undefined;
}

interface Job {
  readonly id: number;
  readonly doc: number;
  readonly analysis: LineAnalysis;
  readonly progress: boolean;
  readonly lineCount: number;
  linesFed: number;
  reported: number;
  cancelled: boolean;
  /** performance.now() when the job started. */
  readonly started: number;
}

const port = parentPort;
if (!port) throw new Error('documentWorker.js runs as a worker thread');
const docs = new Map<number, Doc>();
const jobs = new Map<number, Job>();

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

function startJob(m: Extract<ToWorker, { type: 'analyze' }>): Job {
  const job: Job = {
    id: m.job,
    doc: m.doc,
    analysis: LineAnalysis.forRequested(m.lineCount, m.config, m.format),
    progress: m.progress,
    lineCount: m.lineCount,
    linesFed: 0,
    reported: 0,
    cancelled: false,
    started: performance.now(),
  };
  jobs.set(job.id, job);
  return job;
}

/** Feeds one chunk of the job's text; reports progress on a first analysis. */
function feed(job: Job, bytes: Uint8Array, lines: number): void {
  job.analysis.parser.push(bytes);
  job.linesFed = Math.min(job.lineCount, job.linesFed + lines);
  if (
    job.progress &&
    job.linesFed < job.lineCount &&
    (job.reported === 0 || job.linesFed - job.reported >= PROGRESS_LINES)
  ) {
    job.reported = job.linesFed;
    postPartial(job);
  }
}

/** The facts of lines 1 … linesFed so far (copies: the collector keeps writing into its arrays). */
function postPartial(job: Job): void {
  const c = job.analysis.collector;
  const to = job.linesFed + 1;
  const flags = c.flags.slice(0, to);
  const formatIds = c.formatIds.slice(0, to);
  const offsets = c.offsets ? c.offsets.slice(0, to) : null;
  const triggerMasks = c.triggerMasks ? c.triggerMasks.slice(0, to) : null;
  const message: PartialFacts = {
    type: 'partial',
    job: job.id,
    from: 1,
    to,
    flags,
    formatIds,
    offsets,
    triggerMasks,
    formats: c.formats,
    unparsed: [...c.unparsedReasons],
    flagged: [...c.flaggedValues],
  };
  const transfer: ArrayBuffer[] = [flags.buffer, formatIds.buffer];
  if (offsets) transfer.push(offsets.buffer);
  if (triggerMasks) transfer.push(triggerMasks.buffer);
  post(message, transfer);
}

function finishJob(job: Job): void {
  jobs.delete(job.id);
  let facts: FinishedFacts;
  try {
    facts = job.analysis.finish();
  } catch (e) {
    post({ type: 'failed', job: job.id, reason: 'error', message: errorText(e) });
    return;
  }
  const message: DoneFacts = {
    type: 'done',
    job: job.id,
    flags: facts.flags,
    formatIds: facts.formatIds,
    offsets: facts.offsets,
    triggerMasks: facts.triggerMasks,
    formats: facts.formats,
    unparsedReasons: facts.unparsedReasons,
    flaggedValues: facts.flaggedValues,
    alertLines: facts.alertLines,
    summary: facts.summary,
    stats: facts.stats,
    mainFormat: facts.mainFormat,
    workerMs: Math.round(performance.now() - job.started),
  };
  const arrays = [facts.flags, facts.formatIds, facts.alertLines, facts.offsets, facts.triggerMasks];
  post(
    message,
    arrays.flatMap((a) => (a && a.buffer instanceof ArrayBuffer ? [a.buffer] : [])),
  );
}

const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Analyses the text the worker holds, in slices, looking at the message queue (cancel, edits) between them. */
async function analyzeHeld(job: Job, doc: Doc): Promise<void> {
  const chunks = doc.chunks;
  const text = doc.text;
  const encoder = new TextEncoder();
  if (chunks !== null) {
    let since = 0;
    for (const chunk of chunks) {
      job.analysis.parser.push(chunk);
      since += chunk.length;
      if (since >= SLICE_CHARS) {
        since = 0;
        await pause();
        if (job.cancelled) return;
      }
    }
  } else if (text !== null) {
    for (let at = 0; at < text.length;) {
      let to = at + SLICE_CHARS >= text.length ? text.length : text.indexOf('\n', at + SLICE_CHARS) + 1;
      if (to <= 0) to = text.length;
      job.analysis.parser.push(encoder.encode(text.slice(at, to)));
      at = to;
      if (at < text.length) {
        await pause();
        if (job.cancelled) return;
      }
    }
  }
  if (job.cancelled) return;
  job.linesFed = job.lineCount;
  finishJob(job);
}

function asciiEquals(bytes: Uint8Array, text: string): boolean {
  if (bytes.length !== text.length) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The last `n` bytes of the text held in `chunks` (fewer when it is shorter). */
function tailOf(chunks: readonly Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let at = n;
  for (let i = chunks.length - 1; i >= 0 && at > 0; i--) {
    const c = chunks[i]!;
    const take = Math.min(at, c.length);
    out.set(c.subarray(c.length - take), at - take);
    at -= take;
  }
  return out.subarray(at);
}

/** The text's first line (without its line break) is `line`: `head` holds the text's first bytes. */
function startsWithLine(head: Uint8Array, line: string, whole: boolean): boolean {
  let end = head.indexOf(10);
  if (end < 0) {
    if (!whole) return head.length < line.length && asciiEquals(head, line.slice(0, head.length));
    end = head.length;
  }
  if (end > 0 && head[end - 1] === 13) end--;
  return asciiEquals(head.subarray(0, end), line);
}

/**
 * Reads the document's text from its saved file (see FileSource) and analyses it as it reads, in the chunks it
 * keeps as the document's text. Replies `unsynced` when the file is not the document's text as ASCII.
 */
async function analyzeFile(job: Job, doc: Doc, file: FileSource): Promise<void> {
  const unsynced = (why: string): void => {
    if (job.cancelled) return;
    jobs.delete(job.id);
    if (docs.get(job.doc) === doc) docs.delete(job.doc);
    post({ type: 'failed', job: job.id, reason: 'unsynced', message: `the file is not the document's text: ${why}` });
  };
  const chunks = doc.chunks!;
  const fd = await fs.promises.open(file.path, 'r');
  let length = 0;
  let breaks = 0;
  try {
    for (;;) {
      const want = length === 0 ? FILE_FIRST_CHUNK : FILE_CHUNK;
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await fd.read(buf, 0, want, length);
      if (job.cancelled) return;
      if (bytesRead === 0) break;
      const bytes = new Uint8Array(buf.buffer, buf.byteOffset, bytesRead);
      if (!isAscii(bytes)) return unsynced('not plain ASCII');
      if (length === 0 && !startsWithLine(bytes, file.firstLine, bytesRead < want)) return unsynced('first line');
      length += bytesRead;
      if (length > file.length) return unsynced('longer');
      let lines = 0;
      for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) lines++;
      breaks += lines;
      chunks.push(bytes);
      feed(job, bytes, lines);
      await pause();
      if (job.cancelled) return;
    }
  } finally {
    await fd.close();
  }
  if (length !== file.length) return unsynced('shorter');
  if (breaks + 1 !== job.lineCount) return unsynced('line count');
  if (!asciiEquals(tailOf(chunks, file.lastLine.length), file.lastLine)) return unsynced('last line');
  if (doc.streamJob === job.id) doc.streamJob = undefined;
  job.linesFed = job.lineCount;
  finishJob(job);
}

/** The text of a document as one string (decoding the bytes it came as, once). */
function textOf(doc: Doc): string {
  if (doc.text === null) {
    const decoder = new TextDecoder();
    doc.text = (doc.chunks ?? []).map((c) => decoder.decode(c)).join('');
    doc.chunks = null;
  }
  return doc.text;
}

function applyEdits(text: string, changes: readonly TextChange[]): string {
  let out = text;
  for (const c of changes) out = out.slice(0, c.offset) + c.text + out.slice(c.offset + c.length);
  return out;
}

function onMessage(m: ToWorker): void {
  switch (m.type) {
    case 'analyze': {
      if (m.file) {
        const doc: Doc = { version: m.version, chunks: [], ascii: true, text: null, streamJob: m.job };
        docs.set(m.doc, doc);
        const job = startJob(m);
        analyzeFile(job, doc, m.file).catch((e: unknown) => {
          jobs.delete(job.id);
          if (docs.get(job.doc) === doc) docs.delete(job.doc);
          // An unreadable file (moved, permissions): the extension host streams the text instead.
          post({
            type: 'failed',
            job: job.id,
            reason: 'unsynced',
            message: errorText(e),
          });
        });
        return;
      }
      if (m.stream) {
        docs.set(m.doc, { version: m.version, chunks: [], ascii: true, text: null, streamJob: m.job });
        startJob(m);
        return;
      }
      const doc = docs.get(m.doc);
      if (!doc || doc.version !== m.version || doc.streamJob !== undefined) {
        post({ type: 'failed', job: m.job, reason: 'unsynced', message: 'the worker does not hold this version' });
        return;
      }
      const job = startJob(m);
      analyzeHeld(job, doc).catch((e: unknown) => {
        jobs.delete(job.id);
        post({ type: 'failed', job: job.id, reason: 'error', message: errorText(e) });
      });
      return;
    }
    case 'chunk': {
      const job = jobs.get(m.job);
      if (!job) return;
      const doc = docs.get(job.doc);
      if (doc?.streamJob === job.id) {
        doc.chunks?.push(m.bytes);
        if (doc.ascii && !isAscii(m.bytes)) doc.ascii = false;
      }
      feed(job, m.bytes, m.lines);
      return;
    }
    case 'end': {
      const job = jobs.get(m.job);
      if (!job) return;
      const doc = docs.get(job.doc);
      if (doc?.streamJob === job.id) doc.streamJob = undefined;
      job.linesFed = job.lineCount;
      finishJob(job);
      return;
    }
    case 'cancel': {
      const job = jobs.get(m.job);
      if (!job) return;
      job.cancelled = true;
      jobs.delete(m.job);
      // A text cut short is no text to analyse again.
      const doc = docs.get(job.doc);
      if (doc?.streamJob === job.id) docs.delete(job.doc);
      return;
    }
    case 'edit': {
      const doc = docs.get(m.doc);
      if (!doc) return;
      let text: string | undefined;
      const edited =
        doc.streamJob === undefined && doc.chunks !== null && doc.ascii ? editChunks(doc.chunks, m.changes) : null;
      if (edited) {
        if (edited.reduce((n, c) => n + c.length, 0) === m.length) {
          doc.chunks = edited;
          doc.version = m.version;
          return;
        }
        // An edit that does not fit: the text is sent again.
      } else if (doc.streamJob === undefined) {
        text = applyEdits(textOf(doc), m.changes);
        if (text.length !== m.length) text = undefined;
      }
      if (text === undefined) {
        docs.delete(m.doc);
        post({ type: 'desync', doc: m.doc });
        return;
      }
      doc.text = text;
      doc.version = m.version;
      return;
    }
    case 'close':
      docs.delete(m.doc);
      return;
  }
}

port.on('message', (m: ToWorker) => {
  try {
    onMessage(m);
  } catch (e) {
    if (m.type === 'analyze' || m.type === 'chunk' || m.type === 'end') {
      jobs.delete(m.job);
      post({ type: 'failed', job: m.job, reason: 'error', message: errorText(e) });
    }
  }
});
