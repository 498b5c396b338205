// Dispatch: what each line is (blank, a JSON document's line, a CloudWatch export line, a header, a record
// candidate) and the hot path that scans records: on the bytes themselves for ASCII chunks (the fused path, with
// the WebAssembly scanner where it can), spans carved out of a shared slab otherwise. PURE.
// The top layer of FlowParser's reading (src/core/parser.ts).
import { isoPrefixLength } from '../envelope';
import { OWN, REREAD } from '../jsonStream';
import { clipText, FLAGGED, scanRecord, scanRecordBytes, scanRecordValues } from '../record';
import type { EnvelopeKind, FlowFormat, FlowRecord, FullParseStats, FusedRecordSink, ParseSink } from '../types';
import { createWasmScanner, type WasmScanner } from '../wasmScan';
import { firstNonBlank, headerFormat } from './header';
import { withoutCR } from './lines';
import { FormatResolution } from './resolution';

/** Int32 slots per span slab (256 KiB). */
const SLAB = 65536;
/** Most bytes copied into the WebAssembly scanner's memory at a time. */
const WASM_WINDOW = 16 * 1024 * 1024;

export abstract class LineDispatch extends FormatResolution {
  private slab = new Int32Array(0);
  private slabPos = 0;
  protected readonly envelopeCounts = new Map<EnvelopeKind, number>();
  /** The fused sink (or null), with its reused span and value buffers (sized to the current format). */
  private readonly fused: FusedRecordSink | null;
  private fusedSpans = new Int32Array(0);
  private fusedVals = new Float64Array(0);
  /** The WebAssembly scanner of the fused path: made on first use; null until then, or when not available. */
  private wasm: WasmScanner | null = null;
  private wasmWanted: boolean;

  constructor(
    sink: ParseSink,
    fused: boolean,
    wasm: boolean,
    sampleSize: number,
    maxLine: number,
    stats: FullParseStats,
  ) {
    super(sink, sampleSize, maxLine, stats);
    this.fused = fused ? (sink as FusedRecordSink) : null;
    this.wasmWanted = fused && wasm;
  }

  protected formatChanged(format: FlowFormat): void {
    if (this.fused !== null && this.fusedVals.length < format.fields.length) {
      this.fusedSpans = new Int32Array(format.fields.length * 2);
      this.fusedVals = new Float64Array(format.fields.length);
    }
  }

  /** `complete` ends with a newline. */
  protected completeLines(complete: Uint8Array): void {
    if (this.fused !== null && this.pendingLen === 0) {
      // The fused path reads the bytes themselves: nothing is decoded but the lines that take the
      // general path (and any line with a non-ASCII byte, which the scan reports).
      // Lines are found with the caller's own indexOf (a Node Buffer's is a native memchr, twice as fast
      // as Uint8Array's) and read through a plain Uint8Array view (one array kind for the byte loops).
      // With the WebAssembly scanner (when it can scan the current format), the lines are copied into its
      // memory (in windows of at most WASM_WINDOW bytes) and read there; a line longer than a window is read
      // where it is. A header line may change the format on the way: asciiLine checks it for every line.
      // A header line inside the chunk (the first chunk of every S3 object) sets the format on the way: the
      // scanner is then tried again, so that the rest of the chunk is not left to the JavaScript scanner.
      let tried = this.cf !== undefined && this.sample === null ? this.cf : undefined;
      let ws = tried !== undefined ? this.wasmScanner() : null;
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
          if (this.cf !== tried && this.cf !== undefined && this.sample === null) {
            tried = this.cf;
            ws = this.wasmScanner();
            if (ws !== null && !ws.ready(this.cf)) ws = null;
            if (ws !== null) break;
          }
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

  /** The WebAssembly scanner, made on first use (null when not wanted or not available). */
  protected wasmScanner(): WasmScanner | null {
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
  protected asciiLine(u8: Uint8Array, text: string | null, a: number, b: number): void {
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

  protected line(raw: string): void {
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
  protected plainLine(s: string, lineNo: number, noJson: boolean): void {
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
  protected unit(text: string, line: number, offset: number, envelope: EnvelopeKind, message: boolean): void {
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
  protected parse(text: string, line: number, offset: number, envelope: EnvelopeKind): void {
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
}
