// Line splitting: chunks of bytes or text in, lines out, in order. UTF-8 decoding (whole lines at once), a BOM,
// LF / CRLF / lone-CR line ends, partial lines held in parts across chunks, over-long lines dropped as they stream
// and reported, and a partial line that starts like JSON handed to the streamed JSON reader. PURE.
// The base of FlowParser (src/core/parser.ts): what a line becomes is decided by the dispatch (./dispatch.ts).
import { clipText } from '../record';
import { utf8 } from '../envelope';
import { firstNonBlank } from './header';
import { REREAD, type JsonStream } from '../jsonStream';
import type { EnvelopeKind, FullParseStats, UnparsedLine } from '../types';

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

export abstract class LineSplitter {
  protected lineNo = 0;
  protected started = false;
  protected inputEnvelope: EnvelopeKind = 'plain';
  private decoder: InstanceType<typeof TextDecoder> | null = null;
  private bomChecked = false;

  // A partial line waits in parts (joined once, when its newline arrives: linear, however many chunks it
  // spans). A line longer than MAX_LINE is dropped as it streams and reported as unparsed.
  protected pend: Uint8Array[] = [];
  protected pendLen = 0;
  protected skippingBytes = false;
  protected skippingText = false;
  protected skipHead = '';
  protected pendingText: string[] = [];
  protected pendingLen = 0;

  /** The limit the line being skipped went past (for its report). */
  protected skipLimit = 0;

  /** The last chunk ended with a CR (made a line end): an LF starting the next one is part of it (CRLF). */
  protected crBytes = false;
  protected crText = false;

  constructor(
    /** Longest line kept (UTF-16 units or bytes); longer lines are reported unparsed without being held. */
    protected readonly maxLine: number,
    protected readonly stats: FullParseStats,
  ) {}

  /** The JSON documents of the input, read as a stream (see jsonStream.ts). */
  protected abstract readonly json: JsonStream;
  /** One complete line (without its line end), on the general path. */
  protected abstract line(raw: string): void;
  /** Complete lines of a byte chunk (`complete` ends with a newline). */
  protected abstract completeLines(complete: Uint8Array): void;
  protected abstract emitUnparsed(entry: UnparsedLine): void;

  /** At the end: the bytes after the last newline are the last line. */
  protected flushDecoder(): void {
    if (this.skippingBytes) this.overlongLine();
    else if (this.pendLen > 0) this.pushText(this.decode(this.takeBytes(new Uint8Array(0))));
  }

  /**
   * Whether the pending line, now `len` long after `added` more, is too long: past maxLine, or past
   * MAX_PLAIN_LINE when it cannot be JSON (checked once, when it crosses that length).
   */
  protected tooLong(len: number, added: number, first: () => number): boolean {
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

  protected addBytes(b: Uint8Array): void {
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

  protected takeBytes(tail: Uint8Array): Uint8Array {
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

  protected addText(t: string): void {
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
  protected jsonBytes(b: Uint8Array, begin: boolean): void {
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

  protected takeText(tail: string): string {
    const parts = this.pendingText;
    this.pendingText = [];
    this.pendingLen = 0;
    return parts.length === 0 ? tail : parts.join('') + tail;
  }

  /** The line that was too long to keep: counted and reported. */
  protected overlongLine(): void {
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

  protected decode(bytes: Uint8Array): string {
    if (!this.decoder) this.decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    return this.decoder.decode(bytes);
  }

  /**
   * Bytes in: complete lines are decoded at once (a newline byte never occurs inside a UTF-8 sequence, so
   * cutting after the last newline never splits a character); the rest waits for the next chunk. When the
   * decoded text is as long as the bytes, the chunk is ASCII: byte offsets equal UTF-16 offsets and records
   * are tokenised on the bytes (the fast path). Otherwise the text goes through the string path.
   */
  protected decodeBytes(chunk: Uint8Array, _final: boolean): void {
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

  /**
   * Lone CRs (old Mac line ends) become LFs, so the splitter below, which looks for LF only, sees them as
   * line ends; a CRLF stays (the line loops drop the CR). A chunk without a CR (the usual case) costs one
   * indexOf; only a chunk with a lone CR is copied.
   */
  protected loneCrBytes(chunk: Uint8Array): Uint8Array {
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
  protected loneCrText(chunk: string): string {
    if (this.crText) {
      this.crText = false;
      if (chunk.charCodeAt(0) === 10) chunk = chunk.slice(1);
    }
    if (chunk.indexOf('\r') < 0) return chunk;
    this.crText = chunk.charCodeAt(chunk.length - 1) === 13;
    return chunk.replace(/\r(?!\n)/g, '\n');
  }

  protected pushText(chunk: string): void {
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

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
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

export function withoutCR(s: string): string {
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
