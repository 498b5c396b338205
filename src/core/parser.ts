// The streaming parser: chunks (string or bytes, plain or gzip) in, records/unparsed lines/headers out. PURE.
//
// Accounting invariant (tested): every input line is exactly one of blank, header, record, unparsed or
// envelope line, and every message unwrapped from an envelope is exactly one of record, unparsed, header or
// no-flow message. Hence, at the end:
//
//   stats.lines + stats.envelopeMessages
//     === stats.blank + stats.headers + stats.records + stats.unparsed
//       + stats.envelopeLines + stats.messageLines + stats.noFlowMessages
//
// where a line of a JSON envelope is either structure only (`envelopeLines`: braces, keys, tokens) or
// carries one or more messages (`messageLines`); the messages themselves (`envelopeMessages`) are then
// classified like lines. For plain text, envelopeMessages = envelopeLines = messageLines = 0.
import { isoPrefixLength, utf8 } from './envelope';
import { FIELDS } from './fields';
import { makeFormat, parseFormat } from './format';
import { resolveFormat } from './infer';
import { JsonStream, OWN, REREAD } from './jsonStream';
import { clipText, FLAGGED, scanRecord, scanRecordBytes, scanRecordValues } from './record';
import type { EnvelopeKind, FlowFormat, FlowRecord, ParseOptions, ParseSink, ParseStats, UnparsedLine } from './types';
import { compileFormat, type CompiledFormat } from './validate';
import { createWasmScanner, type WasmScanner } from './wasmScan';
import { fflateInflater } from './input/fflate';
import {
  damageReport,
  inputKind,
  SNIFF_BYTES,
  type GunzipStream,
  type GzipDamage,
  type Inflater,
} from './input/inflate';

/** ParseOptions plus parser limits. */
export interface FlowParserOptions extends ParseOptions {
  /**
   * Longest line kept, in bytes or UTF-16 units (default 256 MiB); longer lines are reported as unparsed.
   * A line that starts like JSON is not kept but read as a stream (jsonStream.ts), so it has no such limit.
   */
  maxLineLength?: number;
  /**
   * Scan record lines of byte chunks with the WebAssembly scanner where it can (default true; the fused
   * path only). The results are the same either way; false is for tests and comparisons.
   */
  wasm?: boolean;
  /**
   * The host's decompressor for gzip input and gzip payloads in envelopes (default: the pure-JS fflateInflater).
   * With an asynchronous one (node:zlib), await each `push` and end with `finish()`.
   */
  inflater?: Inflater;
}

/** ParseStats plus the number of messages unwrapped from envelopes (see the invariant above). */
export interface FullParseStats extends ParseStats {
  envelopeMessages: number;
  /** Lines of a JSON envelope that carry at least one message (the other envelope lines are `envelopeLines`). */
  messageLines: number;
  /** The user format was rejected (unknown field ...): why. The parser then resolves the format itself. */
  formatError?: string;
  /**
   * The gzip input was truncated or corrupt (or followed by bytes that are not gzip): why. Everything that
   * decoded before the damage was parsed; the damage itself is also reported as one unparsed line.
   */
  damage?: string;
}

/**
 * A sink that can take records without a FlowRecord being built (the fused fast path, used by the
 * analyzer): for each ASCII record line of a byte chunk, the parser calls `recordValues` instead of
 * `record`. `bytes` is the chunk (never decoded: ASCII, so a byte is a character), `spans` the field spans
 * as offsets in `bytes` (pairs, one per field of `format`), `vals` the value of each validated field (see
 * valueBytes in validate.ts: numbers,
 * IPv4 addresses as unsigned 32-bit numbers, 1/2 for ACCEPT/REJECT, 0/3/4 for OK/NODATA/SKIPDATA, -1 for
 * `-` or no numeric value). `spans` and `vals` are reused for the next record: read them, do not keep them.
 * Records from any other path (text input, envelopes, the inference sample) still go to `record`.
 */
export interface FusedRecordSink extends ParseSink {
  recordValues(bytes: Uint8Array, spans: Int32Array, vals: Float64Array, line: number, format: FlowFormat): void;
}

function isFused(sink: ParseSink): sink is FusedRecordSink {
  return typeof (sink as Partial<FusedRecordSink>).recordValues === 'function';
}

/** The one line an Apache Parquet input gets until Parquet is read. */
export const PARQUET_REASON =
  'an Apache Parquet file: Parquet flow logs are not supported yet (export the records as text, e.g. with Athena or DuckDB, or use the text/gzip log files)';
const DEFAULT_SAMPLE = 200;
/** Int32 slots per span slab (256 KiB). */
const SLAB = 65536;
/** Longest line kept (UTF-16 units or bytes); longer ones are reported unparsed without being held. */
const MAX_LINE = 256 * 1024 * 1024;
/**
 * A partial line that starts like JSON is handed to the JSON reader once it is this long (UTF-16 units or
 * bytes), without waiting for its end: JSON lines are read as a stream, however long, and never held whole.
 */
const JSON_STREAM_AFTER = 64 * 1024;
/**
 * Longest line kept that cannot be (part of) a JSON document: outside a document, a line whose first
 * non-blank character is not `{` or `[` is a record, a header or junk, never this long; past this it is
 * dropped as it streams (a gzip of zeros, one huge line of records) instead of being held to maxLine.
 */
const MAX_PLAIN_LINE = 1024 * 1024;
/** Most bytes copied into the WebAssembly scanner's memory at a time. */
const WASM_WINDOW = 16 * 1024 * 1024;

type Pending =
  | {
      readonly t: 'unit';
      readonly text: string;
      readonly line: number;
      readonly offset: number;
      readonly envelope: EnvelopeKind;
      readonly message: boolean;
    }
  | { readonly t: 'unparsed'; readonly entry: UnparsedLine };

/** Incremental parser. `push` chunks in order, then `end()`. Never throws on any input. */
export class FlowParser {
  private readonly sink: ParseSink;
  private readonly maxLine: number;
  private readonly sampleSize: number;
  private readonly userFormat: FlowFormat | undefined;
  private readonly stats: FullParseStats;

  private format: FlowFormat | undefined;
  private cf: CompiledFormat | undefined;
  private formatRecords = 0;
  private readonly formatCounts = new Map<FlowFormat, number>();
  private readonly envelopeCounts = new Map<EnvelopeKind, number>();

  private slab = new Int32Array(0);
  private slabPos = 0;
  /** The fused sink (or null), with its reused span and value buffers (sized to the current format). */
  private readonly fused: FusedRecordSink | null;
  private fusedSpans = new Int32Array(0);
  private fusedVals = new Float64Array(0);
  /** The WebAssembly scanner of the fused path: made on first use; null until then, or when not available. */
  private wasm: WasmScanner | null = null;
  private wasmWanted: boolean;

  /** Units waiting for the format to be resolved (no header and no user format yet). */
  private sample: Pending[] | null = null;
  private sampleUnits = 0;

  private lineNo = 0;
  private pending = '';
  private started = false;
  private ended = false;
  private bytesHead: Uint8Array | null = null;
  /** The input is an Apache Parquet file (reported once; its bytes are not read as lines). */
  private parquet = false;
  private decoder: InstanceType<typeof TextDecoder> | null = null;
  private readonly inflater: Inflater;
  private gunzip: GunzipStream | null = null;
  private gzipFailed = false;
  private gzipEnded = false;
  /** The asynchronous inflater's work still queued (null with a synchronous one). */
  private inflating: Promise<void> | null = null;
  private inputEnvelope: EnvelopeKind = 'plain';

  /** The JSON documents of the input, read as a stream (see jsonStream.ts). */
  private readonly json: JsonStream;

  constructor(sink: ParseSink, options: FlowParserOptions = {}) {
    this.sink = sink;
    this.fused = isFused(sink) ? sink : null;
    this.wasmWanted = this.fused !== null && options.wasm !== false;
    this.maxLine = Math.max(1, options.maxLineLength ?? MAX_LINE);
    this.sampleSize = Math.max(1, options.inferenceSample ?? DEFAULT_SAMPLE);
    this.inflater = options.inflater ?? fflateInflater;
    this.stats = {
      lines: 0,
      records: 0,
      headers: 0,
      blank: 0,
      unparsed: 0,
      envelopeLines: 0,
      noFlowMessages: 0,
      flaggedRecords: 0,
      formats: [],
      envelopes: [],
      envelopeMessages: 0,
      messageLines: 0,
    };
    if (options.format !== undefined && !(typeof options.format === 'string' && options.format.trim() === '')) {
      const r = parseFormat(options.format);
      if (r.ok) this.userFormat = r.format;
      else this.stats.formatError = r.error;
    }
    if (this.userFormat) this.setFormat(this.userFormat);
    else this.sample = [];
    this.json = new JsonStream(
      {
        message: (text, line, offset, kind) => {
          this.stats.envelopeMessages++;
          this.unit(text, line, offset, kind, true);
        },
        problem: (line, reason, text, kind) => {
          this.stats.envelopeMessages++;
          this.emitUnparsed({ line, reason, text: clipText(text), envelope: kind });
        },
        noFlow: () => {
          this.stats.envelopeMessages++;
          this.stats.noFlowMessages++;
        },
        envelopeLine: (carried) => {
          if (carried) this.stats.messageLines++;
          else this.stats.envelopeLines++;
        },
        unparsedLine: (line, reason, text) =>
          this.emitUnparsed({ line, reason, text: clipText(text), envelope: 'plain' }),
      },
      this.inflater,
    );
  }

  /** The format currently in force (undefined while it is still being resolved). */
  get currentFormat(): FlowFormat | undefined {
    return this.format;
  }

  /** The next chunk of input. With an asynchronous inflater, gzip input is queued: use `write` to wait for it. */
  push(chunk: string | Uint8Array): void {
    if (this.ended) return;
    try {
      if (typeof chunk === 'string') this.pushText(chunk);
      else this.pushBytes(chunk);
    } catch (e) {
      // Defensive: the parser must never throw. Report the failure as an unparsed line and carry on.
      this.internalError(e);
    }
  }

  /** `push`, resolving once the input has been read (an asynchronous inflater's back-pressure). */
  write(chunk: string | Uint8Array): Promise<void> {
    this.push(chunk);
    return this.inflating ?? Promise.resolve();
  }

  /** `end()` after the inflater has finished: the way to end with an asynchronous inflater. */
  async finish(): Promise<FullParseStats> {
    if (!this.ended) {
      this.sniffShortInput();
      if (this.inflating !== null) await this.inflating;
      if (this.gunzip !== null && !this.gzipEnded) {
        this.gzipEnded = true;
        await this.gunzip.end();
      }
    }
    return this.end();
  }

  end(): FullParseStats {
    if (this.ended) return this.snapshot();
    try {
      this.sniffShortInput();
      if (this.gunzip !== null && !this.gzipEnded) {
        this.gzipEnded = true;
        if (this.inflating !== null || this.gunzip.end() !== undefined)
          throw new Error('an asynchronous inflater ends with finish(), not end()');
      }
      this.flushDecoder();
      if (this.skippingText) this.overlongLine();
      else if (this.pendingLen > 0) this.line(this.takeText(''));
      if (this.json.finish()) {
        // The JSON reader counted a last line without a line break.
        this.lineNo++;
        this.stats.lines++;
      }
      if (this.sample) this.resolveSample();
    } catch (e) {
      this.internalError(e);
      if (this.sample) this.resolveSample();
    }
    this.ended = true;
    return this.snapshot();
  }

  // ------------------------------------------------------------------ input

  private pushBytes(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (!this.started) {
      // What the input is, from its first bytes (they may arrive in separate chunks).
      const head = this.bytesHead ? concat(this.bytesHead, chunk) : chunk;
      if (head.length < SNIFF_BYTES) {
        this.bytesHead = head.slice();
        return;
      }
      this.bytesHead = null;
      this.started = true;
      const kind = inputKind(head);
      if (kind === 'gzip') {
        this.inputEnvelope = 'gzip';
        this.gunzip = this.inflater.gunzipStream({
          data: (bytes) => {
            try {
              this.decodeBytes(bytes, false);
            } catch (e) {
              this.internalError(e);
            }
          },
          damaged: (d) => this.gzipError(d),
        });
      } else if (kind === 'parquet') {
        // Not read yet: said once, in one line, and the rest is not decoded.
        this.parquet = true;
        this.lineNo++;
        this.stats.lines++;
        this.emitUnparsed({ line: 1, reason: PARQUET_REASON, text: 'PAR1', envelope: 'plain' });
      }
      chunk = head;
    }
    if (this.parquet) return;
    if (this.gunzip !== null) this.inflate(this.gunzip, chunk);
    else this.decodeBytes(chunk, false);
  }

  /** Compressed bytes to the inflater; an asynchronous one gets them in order, one push after the other. */
  private inflate(gunzip: GunzipStream, chunk: Uint8Array): void {
    if (this.gzipFailed) return;
    if (this.inflating !== null) {
      this.inflating = this.inflating.then(() => gunzip.push(chunk)).catch((e: unknown) => this.internalError(e));
      return;
    }
    const pending = gunzip.push(chunk);
    if (pending !== undefined) this.inflating = pending.catch((e: unknown) => this.internalError(e));
  }

  private gzipError(d: GzipDamage): void {
    this.gzipFailed = true;
    // The partial last line that decoded is a line of its own, before the report of the damage.
    this.flushDecoder();
    if (this.skippingText) this.overlongLine();
    else if (this.pendingLen > 0) this.line(this.takeText(''));
    const { damage, reason } = damageReport(d);
    this.stats.damage = damage;
    this.lineNo++;
    this.stats.lines++;
    this.emitUnparsed({ line: this.lineNo, reason, text: '', envelope: 'gzip' });
  }

  /** An input shorter than SNIFF_BYTES is plain text. */
  private sniffShortInput(): void {
    if (!this.bytesHead) return;
    const head = this.bytesHead;
    this.bytesHead = null;
    this.started = true;
    this.decodeBytes(head, false);
  }

  /** At the end: the bytes after the last newline are the last line. */
  private flushDecoder(): void {
    if (this.skippingBytes) this.overlongLine();
    else if (this.pendLen > 0) this.pushText(this.decode(this.takeBytes(new Uint8Array(0))));
  }

  // A partial line waits in parts (joined once, when its newline arrives: linear, however many chunks it
  // spans). A line longer than MAX_LINE is dropped as it streams and reported as unparsed.
  private pend: Uint8Array[] = [];
  private pendLen = 0;
  private skippingBytes = false;
  private skippingText = false;
  private skipHead = '';
  private pendingText: string[] = [];
  private pendingLen = 0;

  /** The limit the line being skipped went past (for its report). */
  private skipLimit = 0;

  /**
   * Whether the pending line, now `len` long after `added` more, is too long: past maxLine, or past
   * MAX_PLAIN_LINE when it cannot be JSON (checked once, when it crosses that length).
   */
  private tooLong(len: number, added: number, first: () => number): boolean {
    if (len > this.maxLine) {
      this.skipLimit = this.maxLine;
      return true;
    }
    if (len <= MAX_PLAIN_LINE || len - added > MAX_PLAIN_LINE) return false;
    if (this.json.active) return false;
    const c = first();
    if (c === 123 || c === 91) return false;
    this.skipLimit = MAX_PLAIN_LINE;
    return true;
  }

  private addBytes(b: Uint8Array): void {
    if (b.length === 0) return;
    if (this.json.active) {
      this.jsonBytes(b, false);
      return;
    }
    if (this.skippingBytes) return;
    this.pend.push(b.slice());
    this.pendLen += b.length;
    if (this.pendLen > Math.min(JSON_STREAM_AFTER, this.maxLine)) {
      const c = firstNonBlankByte(this.pend);
      if (c === 123 || c === 91) {
        this.jsonBytes(new Uint8Array(0), true);
        return;
      }
    }
    if (this.tooLong(this.pendLen, b.length, () => firstNonBlankOf(this.pend, (p, i) => p[i]!))) {
      this.pend = headParts(this.pend);
      this.skipHead = utf8(this.takeBytes(new Uint8Array(0)).subarray(0, 200));
      this.skippingBytes = true;
      this.pend = [];
      this.pendLen = 0;
    }
  }

  private takeBytes(tail: Uint8Array): Uint8Array {
    const parts = this.pend;
    this.pend = [];
    this.pendLen = 0;
    if (parts.length === 1 && tail.length === 0) return parts[0]!;
    let n = tail.length;
    for (const p of parts) n += p.length;
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    out.set(tail, o);
    return out;
  }

  private addText(t: string): void {
    if (t.length === 0) return;
    if (this.json.active) {
      if (this.json.feed(t, 0, t.length) === REREAD) this.addText(this.json.replay + t);
      return;
    }
    if (this.skippingText) return;
    this.pendingText.push(t);
    this.pendingLen += t.length;
    if (this.pendingLen > Math.min(JSON_STREAM_AFTER, this.maxLine)) {
      const c = firstNonBlank(this.pendingText[0]!);
      if (c === 123 || c === 91) {
        const s = this.takeText('');
        if (this.json.begin(s, this.lineNo + 1) === REREAD) this.addText(this.json.replay + s);
        return;
      }
    }
    if (this.tooLong(this.pendingLen, t.length, () => firstNonBlankOf(this.pendingText, (p, i) => p.charCodeAt(i)))) {
      this.pendingText = headParts(this.pendingText);
      this.skipHead = this.takeText('').slice(0, 200);
      this.skippingText = true;
      this.pendingText = [];
      this.pendingLen = 0;
    }
  }

  /**
   * Bytes of a line the JSON reader owns (`begin`: the pending partial line starts a document). They are
   * decoded up to the last whole UTF-8 sequence; a split sequence waits in `pend` for the next chunk.
   */
  private jsonBytes(b: Uint8Array, begin: boolean): void {
    const bytes = this.pendLen > 0 ? this.takeBytes(b) : b;
    const cut = utf8Cut(bytes);
    if (cut < bytes.length) {
      this.pend.push(bytes.slice(cut));
      this.pendLen = bytes.length - cut;
    }
    const text = this.decode(bytes.subarray(0, cut));
    const r = begin ? this.json.begin(text, this.lineNo + 1) : this.json.feed(text, 0, text.length);
    if (r === REREAD) this.addText(this.json.replay + text);
  }

  private takeText(tail: string): string {
    const parts = this.pendingText;
    this.pendingText = [];
    this.pendingLen = 0;
    return parts.length === 0 ? tail : parts.join('') + tail;
  }

  /** The line that was too long to keep: counted and reported. */
  private overlongLine(): void {
    this.skippingBytes = false;
    this.skippingText = false;
    this.lineNo++;
    this.stats.lines++;
    this.emitUnparsed({
      line: this.lineNo,
      reason: `line longer than ${this.skipLimit >= 1 << 20 ? `${Math.round(this.skipLimit / (1 << 20))} MiB` : `${this.skipLimit} characters`}`,
      text: clipText(this.skipHead),
      envelope: this.inputEnvelope,
    });
    this.skipHead = '';
  }

  private decode(bytes: Uint8Array): string {
    if (!this.decoder) this.decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    return this.decoder.decode(bytes);
  }

  /**
   * Bytes in: complete lines are decoded at once (a newline byte never occurs inside a UTF-8 sequence, so
   * cutting after the last newline never splits a character); the rest waits for the next chunk. When the
   * decoded text is as long as the bytes, the chunk is ASCII: byte offsets equal UTF-16 offsets and records
   * are tokenised on the bytes (the fast path). Otherwise the text goes through the string path.
   */
  private decodeBytes(chunk: Uint8Array, _final: boolean): void {
    chunk = this.loneCrBytes(chunk);
    if (chunk.length === 0) return;
    let buf = chunk;
    if (!this.bomChecked) {
      // A UTF-8 BOM at the very start (its three bytes may arrive in separate chunks) is dropped.
      if (this.pendLen > 0) buf = this.takeBytes(chunk);
      if (this.lineNo === 0 && this.pendingLen === 0) {
        if (buf.length < 3 && buf[0] === 0xef && (buf.length < 2 || buf[1] === 0xbb)) {
          this.addBytes(buf);
          return;
        }
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      }
      this.bomChecked = true;
    } else if (this.pendLen > 0 || this.skippingBytes) {
      // Finish the partial line first, then carry on in the chunk itself.
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.addBytes(chunk);
        return;
      }
      if (this.skippingBytes) this.overlongLine();
      else this.completeLines(this.takeBytes(chunk.subarray(0, nl + 1)));
      buf = chunk.subarray(nl + 1);
    }
    const last = buf.lastIndexOf(10);
    if (last < 0) {
      this.addBytes(buf);
      return;
    }
    // The complete lines first: the tail may go to the JSON reader, which takes text in input order.
    this.completeLines(buf.subarray(0, last + 1));
    if (last + 1 < buf.length) this.addBytes(buf.subarray(last + 1));
  }

  /** The last chunk ended with a CR (made a line end): an LF starting the next one is part of it (CRLF). */
  private crBytes = false;
  private crText = false;

  /**
   * Lone CRs (old Mac line ends) become LFs, so the splitter below, which looks for LF only, sees them as
   * line ends; a CRLF stays (the line loops drop the CR). A chunk without a CR (the usual case) costs one
   * indexOf; only a chunk with a lone CR is copied.
   */
  private loneCrBytes(chunk: Uint8Array): Uint8Array {
    if (this.crBytes) {
      this.crBytes = false;
      if (chunk[0] === 10) chunk = chunk.subarray(1);
    }
    let cr = chunk.indexOf(13);
    if (cr < 0) return chunk;
    const n = chunk.length;
    let out: Uint8Array | null = null;
    while (cr >= 0) {
      if (cr + 1 >= n || chunk[cr + 1] !== 10) {
        out ??= new Uint8Array(chunk);
        out[cr] = 10;
        if (cr + 1 >= n) this.crBytes = true;
      }
      cr = chunk.indexOf(13, cr + 1);
    }
    return out ?? chunk;
  }

  /** loneCrBytes for text chunks. */
  private loneCrText(chunk: string): string {
    if (this.crText) {
      this.crText = false;
      if (chunk.charCodeAt(0) === 10) chunk = chunk.slice(1);
    }
    if (chunk.indexOf('\r') < 0) return chunk;
    this.crText = chunk.charCodeAt(chunk.length - 1) === 13;
    return chunk.replace(/\r(?!\n)/g, '\n');
  }

  /** `complete` ends with a newline. */
  private completeLines(complete: Uint8Array): void {
    if (this.fused !== null && this.pendingLen === 0) {
      // The fused path reads the bytes themselves: nothing is decoded but the lines that take the
      // general path (and any line with a non-ASCII byte, which the scan reports).
      // Lines are found with the caller's own indexOf (a Node Buffer's is a native memchr, twice as fast
      // as Uint8Array's) and read through a plain Uint8Array view (one array kind for the byte loops).
      // With the WebAssembly scanner (when it can scan the current format), the lines are copied into its
      // memory (in windows of at most WASM_WINDOW bytes) and read there; a line longer than a window is read
      // where it is. A header line may change the format on the way: asciiLine checks it for every line.
      let ws = this.cf !== undefined && this.sample === null ? this.wasmScanner() : null;
      if (ws !== null && !ws.ready(this.cf!)) ws = null;
      let view: Uint8Array | null = null;
      let at = 0;
      while (at < complete.length) {
        let to = complete.length;
        if (to - at > WASM_WINDOW) to = complete.lastIndexOf(10, at + WASM_WINDOW - 1) + 1;
        if (ws !== null && to > at) {
          const base = ws.load(complete.subarray(at, to)) - at;
          const u8 = ws.u8;
          while (at < to) {
            const nl = complete.indexOf(10, at);
            this.asciiLine(u8, null, base + at, base + nl);
            at = nl + 1;
          }
          continue;
        }
        if (to <= at) to = complete.indexOf(10, at + WASM_WINDOW) + 1; // one line longer than a window
        view ??=
          Object.getPrototypeOf(complete) === Uint8Array.prototype
            ? complete
            : new Uint8Array(complete.buffer, complete.byteOffset, complete.byteLength);
        while (at < to) {
          const nl = complete.indexOf(10, at);
          this.asciiLine(view, null, at, nl);
          at = nl + 1;
        }
      }
      return;
    }
    const text = this.decode(complete);
    if (text.length !== complete.length || this.pendingLen > 0) {
      this.pushText(text);
      return;
    }
    let from = 0;
    while (from < complete.length) {
      const nl = complete.indexOf(10, from);
      this.asciiLine(complete, text, from, nl);
      from = nl + 1;
    }
  }

  private bomChecked = false;

  /** The WebAssembly scanner, made on first use (null when not wanted or not available). */
  private wasmScanner(): WasmScanner | null {
    if (this.wasm === null && this.wasmWanted) {
      this.wasmWanted = false;
      this.wasm = createWasmScanner();
    }
    return this.wasm;
  }

  /**
   * One line of an ASCII chunk: [a, b) in both `u8` and `text`; or, with `text` null (the fused path), one
   * line of a byte chunk that may hold non-ASCII bytes: such a line is decoded and takes the general path.
   */
  private asciiLine(u8: Uint8Array, text: string | null, a: number, b: number): void {
    if (b > a && u8[b - 1] === 13) b--;
    if (this.json.active || this.sample) {
      this.line(text !== null ? text.slice(a, b) : this.decode(u8.subarray(a, b)));
      return;
    }
    let i = a;
    let c = 0;
    while (i < b && ((c = u8[i]!) === 32 || c === 9)) i++;
    if (
      i >= b ||
      c === 123 ||
      c === 91 ||
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 57 && b - i > 20 && u8[i + 4] === 45 && u8[i + 7] === 45)
    ) {
      // Blank, JSON, a possible header, or a possible CloudWatch export line: the general path.
      this.line(text !== null ? text.slice(a, b) : this.decode(u8.subarray(a, b)));
      return;
    }
    const cf = this.cf!;
    const format = this.format!;
    const fused = this.fused;
    if (fused !== null) {
      let spans: Int32Array = this.fusedSpans;
      let vals: Float64Array = this.fusedVals;
      const ws = this.wasm;
      let reason: string | undefined | null;
      if (ws !== null && u8 === ws.u8 && ws.ready(cf) && ws.scan(a, b)) {
        spans = ws.spans;
        vals = ws.vals;
      } else reason = scanRecordValues(u8, a, b, cf, format.fields, spans, vals);
      if (reason === null) {
        // A non-ASCII byte: the line is decoded and parsed as text (byte and character offsets differ).
        this.line(this.decode(u8.subarray(a, b)));
        return;
      }
      const lineNo = ++this.lineNo;
      this.stats.lines++;
      if (reason !== undefined) {
        if (reason === FLAGGED) this.stats.flaggedRecords++;
        else {
          const lineText = text !== null ? text.slice(a, b) : this.decode(u8.subarray(a, b));
          this.emitUnparsed({ line: lineNo, reason, text: clipText(lineText), envelope: this.inputEnvelope });
          return;
        }
      }
      this.stats.records++;
      this.formatRecords++;
      const envelope = this.inputEnvelope;
      if (envelope !== 'plain') this.envelopeCounts.set(envelope, (this.envelopeCounts.get(envelope) ?? 0) + 1);
      fused.recordValues(u8, spans, vals, lineNo, format);
      return;
    }
    const lineNo = ++this.lineNo;
    this.stats.lines++;
    const width = cf.n << 1;
    if (this.slabPos + width > this.slab.length) {
      this.slab = new Int32Array(Math.max(SLAB, width));
      this.slabPos = 0;
    }
    const pos = this.slabPos;
    const lineText = (text as string).slice(a, b); // text is null only on the fused path
    const reason = scanRecordBytes(u8, a, b, cf, format.fields, this.slab, pos, lineText);
    if (reason === FLAGGED) this.stats.flaggedRecords++;
    else if (reason !== undefined) {
      this.emitUnparsed({ line: lineNo, reason, text: clipText(lineText), envelope: this.inputEnvelope });
      return;
    }
    this.slabPos = pos + width;
    this.stats.records++;
    this.formatRecords++;
    const envelope = this.inputEnvelope;
    if (envelope !== 'plain') this.envelopeCounts.set(envelope, (this.envelopeCounts.get(envelope) ?? 0) + 1);
    const rec: FlowRecord = {
      line: lineNo,
      text: lineText,
      offset: 0,
      envelope,
      format,
      spans: new Int32Array(this.slab.buffer, pos << 2, width),
    };
    this.sink.record(rec);
  }

  private pushText(chunk: string): void {
    chunk = this.loneCrText(chunk);
    if (chunk.length === 0) return;
    this.started = true;
    if (this.lineNo === 0 && this.pendingLen === 0 && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    const first = chunk.indexOf('\n');
    if (first < 0) {
      this.addText(chunk);
      return;
    }
    let text = chunk;
    if (this.skippingText) {
      this.overlongLine();
      text = chunk.slice(first + 1);
    } else if (this.pendingLen > 0) text = this.takeText(chunk);
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0) break;
      const end = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.line(text.slice(from, end));
      from = nl + 1;
    }
    this.addText(from === 0 ? text : text.slice(from));
  }

  // ------------------------------------------------------------------ lines

  private line(raw: string): void {
    const lineNo = ++this.lineNo;
    this.stats.lines++;
    let s = raw;
    if (s.length > 0 && s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
    if (this.json.active) {
      // A line of an open JSON document (its start may have been fed already, as a partial line).
      if (this.json.feed(s, 0, s.length) === REREAD) this.plainLine(this.json.replay + s, lineNo, false);
      else if (this.json.newline() === REREAD) this.plainLine(withoutCR(this.json.replay), lineNo, false);
      return;
    }
    this.plainLine(s, lineNo, false);
  }

  /** A line outside any JSON document. `noJson`: do not start a JSON document here (replay after a JSON failure). */
  private plainLine(s: string, lineNo: number, noJson: boolean): void {
    const len = s.length;
    let i = 0;
    let c = 0;
    while (i < len && ((c = s.charCodeAt(i)) === 32 || c === 9)) i++;
    if (i >= len) {
      this.stats.blank++;
      return;
    }
    if ((c === 123 || c === 91) && !noJson) {
      // A document breaking on its own first line is reported there, never handed back: no REREAD here.
      if (this.json.begin(s, lineNo) === OWN) this.json.newline();
      return;
    }
    if (c >= 48 && c <= 57 && len - i > 20) {
      const k = isoPrefixLength(s, i);
      if (k > 0) {
        this.unit(s.slice(i + k), lineNo, i + k, 'cloudwatch-export', false);
        return;
      }
    }
    this.unit(s, lineNo, 0, this.inputEnvelope, false);
  }

  /** One record candidate: a plain line, or a message from an envelope. */
  private unit(text: string, line: number, offset: number, envelope: EnvelopeKind, message: boolean): void {
    // Header line? Field names start with a lower-case letter (or `$` for a pasted `${...}` format string).
    const c0 = firstNonBlank(text);
    if ((c0 >= 97 && c0 <= 122) || c0 === 36) {
      const header = headerFormat(text);
      if (header) {
        if (this.sample) this.resolveSample();
        this.stats.headers++;
        this.setFormat(header);
        this.sink.header?.(line, header);
        return;
      }
    }
    if (c0 < 0) {
      // An empty message inside an envelope (blank lines never get here).
      this.emitUnparsed({ line, reason: 'empty message', text: '', envelope });
      return;
    }
    if (this.sample) {
      this.sample.push({ t: 'unit', text, line, offset, envelope, message });
      if (++this.sampleUnits >= this.sampleSize) this.resolveSample();
      return;
    }
    this.parse(text, line, offset, envelope);
  }

  /**
   * The hot path: tokenise + validate with the current format. Spans are carved out of a shared slab
   * (a view per record, no per-record buffer allocation); a record keeps its slab alive.
   */
  private parse(text: string, line: number, offset: number, envelope: EnvelopeKind): void {
    const cf = this.cf!;
    const format = this.format!;
    const width = cf.n << 1;
    if (this.slabPos + width > this.slab.length) {
      this.slab = new Int32Array(Math.max(SLAB, width));
      this.slabPos = 0;
    }
    const pos = this.slabPos;
    const reason = scanRecord(text, cf, format.fields, this.slab, pos);
    if (reason === FLAGGED) this.stats.flaggedRecords++;
    else if (reason !== undefined) {
      this.emitUnparsed({ line, reason, text: clipText(text), envelope });
      return;
    }
    this.slabPos = pos + width;
    const spans = new Int32Array(this.slab.buffer, pos << 2, width);
    this.stats.records++;
    this.formatRecords++;
    if (envelope !== 'plain') this.envelopeCounts.set(envelope, (this.envelopeCounts.get(envelope) ?? 0) + 1);
    const rec: FlowRecord = { line, text, offset, envelope, format, spans };
    this.sink.record(rec);
  }

  private emitUnparsed(entry: UnparsedLine): void {
    if (this.sample) {
      this.sample.push({ t: 'unparsed', entry });
      return;
    }
    this.stats.unparsed++;
    this.sink.unparsed(entry);
  }

  private setFormat(format: FlowFormat): void {
    if (this.format) this.formatCounts.set(this.format, (this.formatCounts.get(this.format) ?? 0) + this.formatRecords);
    this.formatRecords = 0;
    this.format = format;
    this.cf = compileFormat(format);
    if (this.fused !== null && this.fusedVals.length < format.fields.length) {
      this.fusedSpans = new Int32Array(format.fields.length * 2);
      this.fusedVals = new Float64Array(format.fields.length);
    }
    if (!this.formatCounts.has(format)) this.formatCounts.set(format, 0);
  }

  /** Decide the format from the buffered sample, then replay the buffer in order. */
  private resolveSample(): void {
    const sample = this.sample;
    if (!sample) return;
    this.sample = null;
    const texts: string[] = [];
    for (const p of sample) if (p.t === 'unit') texts.push(p.text);
    // With no record candidates yet (a header on line 1), the header that triggered this sets the format.
    if (texts.length > 0) this.setFormat(resolveFormat(texts));
    for (const p of sample) {
      if (p.t === 'unit') this.parse(p.text, p.line, p.offset, p.envelope);
      else this.emitUnparsed(p.entry);
    }
  }

  // ------------------------------------------------------------------ results

  private internalError(e: unknown): void {
    this.stats.lines++;
    this.lineNo++;
    this.emitUnparsed({
      line: this.lineNo,
      reason: `internal parser error: ${e instanceof Error ? e.message : String(e)}`,
      text: '',
      envelope: 'plain',
    });
  }

  private snapshot(): FullParseStats {
    const counts = new Map(this.formatCounts);
    if (this.format) counts.set(this.format, (counts.get(this.format) ?? 0) + this.formatRecords);
    // Formats that parsed no record are left out, except the one in force at the end.
    this.stats.formats = [...counts]
      .filter(([format, records]) => records > 0 || format === this.format)
      .map(([format, records]) => ({ format, records }));
    const env = new Map(this.envelopeCounts);
    const plain = this.stats.records - [...env.values()].reduce((a, b) => a + b, 0);
    const envelopes: { kind: EnvelopeKind; records: number }[] = [];
    if (plain > 0 || env.size === 0) envelopes.push({ kind: 'plain', records: plain });
    for (const [kind, records] of env) envelopes.push({ kind, records });
    this.stats.envelopes = envelopes;
    return { ...this.stats, formats: this.stats.formats.slice(), envelopes };
  }
}

/** The first parts, up to 200 units in all (the start of an over-long line, for its report). */
function headParts<T extends { length: number }>(parts: T[]): T[] {
  const out: T[] = [];
  let n = 0;
  for (const p of parts) {
    out.push(p);
    n += p.length;
    if (n >= 200) break;
  }
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The first non-blank byte of a partial line held in parts, or -1. */
function firstNonBlankByte(parts: readonly Uint8Array[]): number {
  for (const p of parts) for (let i = 0; i < p.length; i++) if (p[i] !== 32 && p[i] !== 9) return p[i]!;
  return -1;
}

/** Length of the longest prefix of `b` that ends on a whole UTF-8 sequence. */
function utf8Cut(b: Uint8Array): number {
  const n = b.length;
  for (let k = n - 1; k >= 0 && k >= n - 4; k--) {
    const c = b[k]!;
    if (c < 0x80) return n;
    if (c >= 0xc0) return n - k >= (c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2) ? n : k;
  }
  return n;
}

function withoutCR(s: string): string {
  return s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s;
}

/** The first character (code) that is not a space or tab across `parts`, or -1. */
function firstNonBlankOf<T extends { length: number }>(parts: readonly T[], at: (p: T, i: number) => number): number {
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      const c = at(p, i);
      if (c !== 32 && c !== 9) return c;
    }
  }
  return -1;
}

function firstNonBlank(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) return c;
  }
  return -1;
}

/**
 * A header line: every token is a field name (and the first one is a known name). Unknown names that look
 * like field names (lower-case, digits, hyphens) are kept, with a note, when most names are known.
 */
export function headerFormat(text: string): FlowFormat | undefined {
  // Quick reject on the first token before splitting the whole line.
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  let j = i;
  while (j < text.length && text.charCodeAt(j) !== 32 && text.charCodeAt(j) !== 9) j++;
  const first = text.slice(i, j);
  // `${version} ${srcaddr} ...`: a format string pasted as the first line reads as a header too.
  const dollar = first.startsWith('${') && first.endsWith('}');
  if (!FIELDS.has(dollar ? first.slice(2, -1) : first)) return undefined;
  const tokens = text.trim().split(/[ \t]+/);
  if (dollar && !tokens.every((t) => t.startsWith('${') && t.endsWith('}'))) return undefined;
  const names = dollar ? tokens.map((t) => t.slice(2, -1)) : tokens;
  const seen = new Set<string>();
  const unknown: string[] = [];
  for (const n of names) {
    if (seen.has(n)) return undefined;
    seen.add(n);
    if (!FIELDS.has(n)) {
      if (!/^[a-z][a-z0-9-]*$/.test(n)) return undefined;
      unknown.push(n);
    }
  }
  if (unknown.length * 2 > names.length) return undefined;
  return makeFormat(names, {
    source: 'header',
    confidence: unknown.length ? 0.9 : 1,
    notes: unknown.map((n) => `unknown field '${n}' in the header, read as text`),
  });
}

/** Parse a whole text (or bytes) at once. */
export function parseText(
  input: string | Uint8Array,
  options?: FlowParserOptions,
): {
  records: FlowRecord[];
  unparsed: UnparsedLine[];
  headers: { line: number; format: FlowFormat }[];
  stats: FullParseStats;
} {
  const records: FlowRecord[] = [];
  const unparsed: UnparsedLine[] = [];
  const headers: { line: number; format: FlowFormat }[] = [];
  const parser = new FlowParser(
    {
      record: (r) => records.push(r),
      unparsed: (u) => unparsed.push(u),
      header: (line, format) => headers.push({ line, format }),
    },
    options,
  );
  parser.push(input);
  const stats = parser.end();
  return { records, unparsed, headers, stats };
}
