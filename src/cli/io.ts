// Shared CLI input/output: a small io abstraction (so tests can capture output), streaming input from a
// file or stdin (gzip is decompressed by the parser, with node:zlib), and output that waits for a slow reader
// (back-pressure). Node only.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { inputKind, SNIFF_BYTES } from '../core/input/inflate';
import { bytesBuffer, parquetBytes, ParquetError, type AsyncBuffer, type ParquetTextSink } from '../core/input/parquet';
import { fileChunks } from '../node/fileChunks';
import { fileBuffer, NODE_PARQUET } from '../node/parquetFile';
import { zlibInflater } from '../node/zlibInflater';
import { jsonString } from './text';
import { errorText } from '../core/text';

/** The decompressor the commands give the parser (await its pushes, end with `finish()`). */
export const INFLATER = zlibInflater(zlib);

export interface Writer {
  /** Node streams return false when their buffer is full: the caller then waits for 'drain'. */
  write(s: string | Uint8Array): unknown;
  readonly isTTY?: boolean;
  once?(event: 'drain', listener: () => void): unknown;
  /** Node streams: true while a write has filled the buffer and 'drain' has not come yet. */
  readonly writableNeedDrain?: boolean;
}

export interface CliIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** Read when the input is `-`. */
  readonly stdin: AsyncIterable<Uint8Array | string>;
}

/** The process's own streams. */
export function nodeIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

/** An input error with a message fit for the user (`vpcflow: <message>`). */
export class InputError extends Error {}

function describeFsError(path: string, err: unknown): InputError {
  const code = (err as { code?: string } | null)?.code;
  if (code === 'ENOENT') return new InputError(`cannot read '${path}': no such file`);
  if (code === 'EISDIR') return new InputError(`cannot read '${path}': it is a directory`);
  if (code === 'EACCES' || code === 'EPERM') return new InputError(`cannot read '${path}': permission denied`);
  return new InputError(`cannot read '${path}': ${errorText(err)}`);
}

function toBytes(c: Uint8Array | string): Uint8Array {
  return typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
}

/** Exit status of a command whose input was damaged (truncated or corrupt gzip): what decoded was used. */
export const EXIT_DAMAGED = 2;

/** Compressed bytes handed to the parser at a time (see readInput). */
const GZIP_PIECE = 64 * 1024;

/** The stderr line about damaged input (FullParseStats.damage), or undefined. */
export function damageText(input: string, damage: string | undefined): string | undefined {
  if (damage === undefined) return undefined;
  return `damaged input '${input === '-' ? '(stdin)' : input}': ${damage}; what decoded before the damage was used`;
}

/** Output bytes gathered before a write (large writes: few syscalls, few promises). */
const FLUSH_AT = 1 << 20;

/**
 * Output gathered into large byte writes. The `add*` methods never wait (they are called from the parser's
 * callbacks); the reading loop awaits `flush()` between input chunks, which resolves once the writer can
 * take more. The NDJSON writer fills the buffer byte by byte (see ndjson.ts).
 */
export class Output {
  private buf = Buffer.allocUnsafe(FLUSH_AT);
  private pos = 0;
  private full = false;
  constructor(private readonly w: Writer) {}

  /** Any text, UTF-8 encoded. */
  add(s: string): void {
    if (this.pos + s.length * 3 > this.buf.length) this.spill(s.length * 3);
    this.pos += this.buf.write(s, this.pos);
  }

  /** Text known to be ASCII (one byte per character). */
  ascii(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.spill(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Bytes (pre-encoded ASCII keys and punctuation). */
  bytes(u8: Uint8Array): void {
    const n = u8.length;
    if (this.pos + n > this.buf.length) this.spill(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = u8[i]!;
    this.pos = p;
  }

  /** A non-negative integer. */
  uint(n: number): void {
    this.ascii(String(n));
  }

  /**
   * The JSON string literal of the characters at [a, b) of `line`, where `bytes` holds the same line as
   * latin1 (one byte per character, see latin1): exactly jsonString(text, a, b), read from the bytes.
   */
  jsonLatin1(text: string, bytes: Uint8Array, a: number, b: number): void {
    this.jsonOf(text, bytes, a, b);
  }

  private scratch = Buffer.allocUnsafe(4096);

  /**
   * `text` as latin1 bytes (a reused buffer: valid until the next call). Characters past U+00FF are cut
   * to their low byte, so callers check for bytes above 0x7e (jsonLatin1 does) and use the text itself.
   */
  latin1(text: string): Uint8Array {
    if (text.length > this.scratch.length) this.scratch = Buffer.allocUnsafe(text.length * 2);
    this.scratch.write(text, 0, 'latin1');
    return this.scratch;
  }

  /** The JSON string literal of text[a, b): exactly jsonString(text, a, b), copied without a slice when it can be. */
  json(text: string, a: number, b: number): void {
    this.jsonOf(text, null, a, b);
  }

  /** json and jsonLatin1: the characters are read from `units` when given, else from the text. */
  private jsonOf(text: string, units: Uint8Array | null, a: number, b: number): void {
    if (this.pos + (b - a) + 2 > this.buf.length) this.spill(b - a + 2);
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    buf[p++] = 34;
    for (let i = a; i < b; i++) {
      const c = units !== null ? units[i]! : text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        // Needs escaping, or is not ASCII: the general route.
        this.pos = start;
        this.add(jsonString(text, a, b));
        return;
      }
      buf[p++] = c;
    }
    buf[p++] = 34;
    this.pos = p;
  }

  private spill(need: number): void {
    this.writeBuffered();
    if (need > this.buf.length) this.buf = Buffer.allocUnsafe(need);
  }

  private writeBuffered(): void {
    if (this.pos === 0) return;
    // The writer may hold on to the bytes until they are written: the next ones go to a new buffer.
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(Math.max(FLUSH_AT, this.buf.length >= FLUSH_AT * 4 ? FLUSH_AT : this.buf.length));
    this.pos = 0;
    if (this.w.write(out) === false) this.full = true;
  }

  /** Writes what is buffered; the promise (if any) resolves when the writer's buffer has drained. */
  flush(): Promise<void> | undefined {
    this.writeBuffered();
    if (!this.full) return undefined;
    this.full = false;
    const w = this.w;
    if (w.once === undefined || w.writableNeedDrain === false) return undefined;
    return new Promise<void>((resolve) => w.once!('drain', resolve));
  }
}

/** Whether `path` is a folder (false when it cannot be read: reading it as a file then says why). */
export function isFolder(path: string): boolean {
  try {
    return fs.statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Most bytes of a Parquet input read from stdin (it is read into memory: Parquet needs random access). */
export const MAX_STDIN_PARQUET = 512 * 1024 * 1024;

/**
 * Stream `input` (a path, or `-` for stdin) to `onChunk` in order, as it is (gzip is the parser's to
 * decompress: src/core/parser.ts, which also reports truncated or corrupt gzip). When onChunk returns a
 * promise, no more input is read until it resolves (back-pressure). Gzip input (magic 1f 8b) is passed on
 * in small pieces, so what one piece decompresses to, and the output it makes, stays bounded.
 * An Apache Parquet input (magic PAR1) is passed on as its flow-log text (header line, then one line per row,
 * UTF-8; see src/core/input/parquet.ts), read row group by row group with positional reads (stdin is read into
 * memory first, up to MAX_STDIN_PARQUET). With `parser` (the FlowParser that onChunk feeds), the columns the
 * Parquet file has beyond flow-log fields become format notes and a damaged file is reported to it (its
 * `damage`, as for damaged gzip) after what was read; without it, a damaged file rejects with an InputError
 * after what was read.
 * `onProgress(doneBytes, totalBytes?)` reports raw bytes read. Rejects with an InputError (missing file,
 * unreadable, a Parquet file that is not a flow log).
 */
export async function readInput(
  input: string,
  io: CliIo,
  onChunk: (chunk: Uint8Array) => void | Promise<void>,
  onProgress?: (done: number, total: number | undefined) => void,
  parser?: Omit<ParquetTextSink, 'write'>,
): Promise<void> {
  let source: AsyncIterable<Uint8Array | string>;
  let total: number | undefined;
  if (input === '-') source = io.stdin;
  else {
    let head: Uint8Array;
    try {
      const st = await fs.promises.stat(input);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      total = st.size;
      const fd = await fs.promises.open(input, 'r');
      try {
        head = new Uint8Array(SNIFF_BYTES);
        head = head.subarray(0, (await fd.read(head, 0, SNIFF_BYTES, 0)).bytesRead);
      } finally {
        await fd.close();
      }
    } catch (err) {
      throw describeFsError(input, err);
    }
    if (inputKind(head) === 'parquet') {
      let file: Awaited<ReturnType<typeof fileBuffer>>;
      try {
        file = await fileBuffer(input);
      } catch (err) {
        throw describeFsError(input, err);
      }
      try {
        await readParquet(input, file, onChunk, onProgress, parser);
      } finally {
        await file.close();
      }
      return;
    }
    source = fileChunks(input);
  }

  const it = source[Symbol.asyncIterator]();
  let done = 0;
  const next = async (): Promise<Uint8Array | undefined> => {
    let r: IteratorResult<Uint8Array | string>;
    try {
      r = await it.next();
    } catch (err) {
      throw describeFsError(input === '-' ? '(stdin)' : input, err);
    }
    if (r.done) return undefined;
    const bytes = toBytes(r.value);
    done += bytes.length;
    onProgress?.(done, total);
    return bytes;
  };

  // Sniff the first bytes (they may come in separate chunks).
  let head: Uint8Array = new Uint8Array(0);
  while (head.length < SNIFF_BYTES) {
    const c = await next();
    if (!c) break;
    head = head.length === 0 ? c : Buffer.concat([head, c]);
  }
  if (head.length === 0) return;
  const kind = inputKind(head);
  if (kind === 'parquet') {
    // Parquet needs random access: stdin is read into memory, up to a limit.
    const parts: Uint8Array[] = [head];
    let size = head.length;
    for (let c = await next(); c; c = await next()) {
      size += c.length;
      if (size > MAX_STDIN_PARQUET)
        throw new InputError(
          `a Parquet file on standard input is read into memory, up to ${MAX_STDIN_PARQUET / (1024 * 1024)} MiB: this one is larger; give its path instead`,
        );
      parts.push(c);
    }
    await readParquet('-', bytesBuffer(Buffer.concat(parts, size)), onChunk, undefined, parser);
    return;
  }
  const piece = kind === 'gzip' ? GZIP_PIECE : Infinity;
  for (let c: Uint8Array | undefined = head; c; c = await next()) {
    for (let at = 0; at < c.length; at += piece) {
      const p = onChunk(piece >= c.length ? c : c.subarray(at, at + piece));
      if (p) await p;
    }
  }
}

/** A Parquet input's flow-log text to onChunk (see readInput). */
async function readParquet(
  input: string,
  file: AsyncBuffer,
  onChunk: (chunk: Uint8Array) => void | Promise<void>,
  onProgress: ((done: number, total: number | undefined) => void) | undefined,
  parser: Omit<ParquetTextSink, 'write'> | undefined,
): Promise<void> {
  let rows = 0;
  let lines = -1;
  const name = input === '-' ? '(stdin)' : input;
  try {
    for await (const bytes of parquetBytes(
      file,
      (layout) => {
        rows = layout.rows;
        if (layout.notes.length) parser?.addHeaderNotes(layout.notes);
      },
      NODE_PARQUET,
    )) {
      const p = onChunk(bytes);
      if (p) await p;
      if (onProgress) {
        for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++;
        onProgress(
          rows > 0 ? Math.round((file.byteLength * Math.max(0, lines)) / rows) : file.byteLength,
          file.byteLength,
        );
      }
    }
  } catch (err) {
    if (!(err instanceof ParquetError)) throw err;
    if (err.kind === 'damaged' && parser) parser.damaged(err.message, err.message);
    else if (err.kind === 'damaged') throw new InputError(`damaged input '${name}': ${err.message}`);
    else throw new InputError(`cannot read '${name}': ${err.message}`);
  }
}
