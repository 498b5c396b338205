// The JSON documents of a text stream, read as a stream. PURE.
//
// A document starts where a line starts with `{` or `[` and is read character by character with an explicit
// stack (no recursion, any depth): the envelopes it knows (`aws logs filter-log-events` / `get-log-events`
// output, CloudWatch Logs subscription payloads, Firehose HTTP bodies, Lambda `awslogs` events, NDJSON
// `{"message": ...}` objects) are unwrapped as they go: each log event or Firehose record is emitted as soon
// as its value closes, never after the whole document. What is held is bounded whatever the input: one item
// (a log event, a Firehose record) up to MAX_ITEM, the start of the current line (for reports and for
// re-reading it), and, while a document is not yet known to be an envelope, up to MAX_QUEUED of its lines.
//
// Every line the reader owns is classified exactly once, through the host: a line of an envelope is
// structure only or carries messages; a line of JSON that is not an envelope, or of a broken document, is
// unparsed. A document that breaks (a character JSON does not allow, a bracket that does not match, a line
// break inside a string) is reported on its first line; the line where it broke is handed back to be read
// again as a plain line (so a truncated CLI output followed by records loses nothing). Each line is read
// again at most once, so the cost stays linear.
import { clip, EnvelopeReader, Item, type ItemContext } from './envelope';
import type { Inflater } from './input/inflate';
import type { EnvelopeKind } from './types';

/** Where the reader's results go (the parser). */
export interface JsonStreamHost {
  /** A message taken out of an envelope: a record candidate. `offset` is -1 when not verbatim in the line. */
  message(text: string, line: number, offset: number, kind: EnvelopeKind): void;
  /** One more unparsed message: an undecodable item, text after a document, a second verdict on one line. */
  problem(line: number, reason: string, text: string, kind: EnvelopeKind): void;
  /** A message that carries no flows (CloudWatch CONTROL_MESSAGE). */
  noFlow(line: number): void;
  /** A line of an envelope: structure only, or carrying at least one message. */
  envelopeLine(carried: boolean): void;
  /** A line reported as unparsed (JSON that is not an envelope, a broken document). */
  unparsedLine(line: number, reason: string, text: string): void;
}

/** feed/newline results: the reader keeps the line; it let go after a newline; the line must be read again. */
export const OWN = 0;
export const DONE = 1;
export const REREAD = 2;

/** Largest item (log event, Firehose record, awslogs object, root message) decoded, in UTF-16 units. */
const MAX_ITEM = 16 * 1024 * 1024;
/** Lines of a document held while it is not yet known to be an envelope; past this it is taken as foreign. */
const MAX_QUEUED = 4096;
/** Longest line start kept to read the line again after a broken document. */
const MAX_REREAD = 1024 * 1024;
const NOT_ENVELOPE = 'JSON that is not a flow-log envelope';
const BAD_CHAR = 'invalid JSON: a character JSON does not allow outside strings';

/** Characters JSON allows outside strings (structure, numbers, true/false/null, blanks). */
const JSON_OUTSIDE = new Uint8Array(128);
for (const ch of ' \t\r\n{}[],:0123456789-+.eEtrufalsn"') JSON_OUTSIDE[ch.charCodeAt(0)] = 1;
/** Characters of a number or literal. */
const LIT = new Uint8Array(128);
for (const ch of '0123456789-+.eEtrufalsn') LIT[ch.charCodeAt(0)] = 1;

const OBJ = 1;
const ARR = 2;

const enum St {
  Value,
  ValueOrEnd,
  Key,
  KeyOrEnd,
  Colon,
  After,
  Str,
  Lit,
  /** After a document, on the same line: blanks and commas, then another document or junk. */
  Between,
  Junk,
  /** The rest of a line whose document broke on it. */
  Skip,
}

interface Held {
  readonly line: number;
  readonly col: number;
  clip: string;
  carried: boolean;
  /** Already counted (as unparsed, by a document before this one on the line). */
  classified: boolean;
  /** Already reported as not an envelope (the document went foreign): no verdict is due at its end. */
  reported: boolean;
}

/** Incremental reader of the JSON documents in a stream of lines. One per parser; `active` while it owns a line. */
export class JsonStream {
  /** True while the reader owns the current line (a document is open on it or ended on it). */
  active = false;
  /** After REREAD: the start of the line fed before the current call, to be read again with the rest. */
  replay = '';

  private readonly host: JsonStreamHost;
  /** What the values of the document mean (envelope.ts). */
  private readonly env: EnvelopeReader;

  // ---- grammar
  private st = St.Value;
  private stack = new Uint8Array(64);
  private depth = 0;
  private esc = false;
  private strKey = false;
  private keyFrom = -1;
  private keyBuf = '';
  private litFirst = 0;
  private litLen = 0;

  // ---- the current line
  private lineNo = 0;
  private lineCol = 0;
  private segFrom = 0;
  private head = '';
  private pieces: string[] | null = [];
  private piecesLen = 0;
  private carried = false;
  private verdict: string | undefined;
  private verdictText = '';
  private junk = '';

  // ---- the current document
  private docOpen = false;
  private held: Held | null = null;
  private rootObj = false;
  private rootKey = '';
  /** What the elements of the array under the current root key are (Item.None: nothing). */
  private arrCtx: ItemContext = Item.None;
  private queue: { line: number; clip: string }[] = [];
  private readonly carriedLines = new Set<number>();
  private deferFrom = 0;
  private lastKind: EnvelopeKind = 'plain';
  /** No document has started on the current line yet. */
  private fresh = false;

  // ---- the current item
  private itemCtx: ItemContext = Item.None;
  private itemDepth = 0;
  private itemLine = 0;
  private itemKey = '';
  private itemIds = false;
  private capture = false;
  private capParts: string[] = [];
  private capLen = 0;
  private capFrom = -1;
  private capOver = false;
  private trackVal = false;
  private valLine = 0;
  private valCol = 0;
  private valStart = 0;
  private valEnd = 0;

  constructor(host: JsonStreamHost, inflater?: Inflater) {
    this.host = host;
    this.env = new EnvelopeReader(
      {
        message: (text, line, offset, kind) => {
          this.mark(line);
          host.message(text, line, offset, kind);
        },
        problem: (line, reason, text, kind) => {
          this.mark(line);
          host.problem(line, reason, text, kind);
        },
        noFlow: (line) => {
          this.mark(line);
          host.noFlow(line);
        },
        recognized: () => this.recognized(),
        foreign: () => this.goForeign(),
      },
      inflater,
    );
  }

  /** The state of the line being read, for a new line. */
  private resetLine(): void {
    this.lineCol = 0;
    this.head = '';
    this.pieces = [];
    this.piecesLen = 0;
    this.carried = false;
    this.verdict = undefined;
    this.junk = '';
  }

  /** A document starts on line `lineNo` (its first non-blank is `{` or `[`); `text` is the line so far (whole, or its start). */
  begin(text: string, lineNo: number): number {
    this.active = true;
    this.lineNo = lineNo;
    this.resetLine();
    this.st = St.Between;
    this.fresh = true;
    return this.feed(text, 0, text.length);
  }

  /**
   * Feed `text[from, to)`, the next characters of the current line (no line break). OWN: carry on feeding;
   * REREAD: the document broke on this line, read `replay` + `text[from, to)` (and the rest of the line) again.
   */
  feed(text: string, from: number, to: number): number {
    this.segFrom = from;
    if (this.capture) this.capFrom = from;
    if (this.keyFrom >= 0) this.keyFrom = from;
    if (this.head.length < 200) this.head += text.slice(from, Math.min(to, from + 200 - this.head.length));
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      switch (this.st) {
        case St.Str:
          if (this.esc) this.esc = false;
          else if (c === 92) this.esc = true;
          else if (c === 34) this.endString(text, i);
          continue;
        case St.Lit:
          if (c < 128 && LIT[c] === 1) {
            this.litLen++;
            continue;
          }
          if (!this.endLiteral()) return this.fail(`invalid JSON: a malformed number or literal`, text, from, to);
          i--;
          continue;
        case St.Skip:
          i = to;
          continue;
        case St.Junk:
          if (this.junk.length < 200) this.junk += text.slice(i, Math.min(to, i + 200 - this.junk.length));
          i = to;
          continue;
      }
      if (c === 32 || c === 9 || c === 13) continue;
      switch (this.st) {
        case St.Between:
          if (c === 44) continue;
          if (c === 123 || c === 91) {
            this.startDoc(this.lineCol + (i - this.segFrom));
            i--;
            continue;
          }
          this.st = St.Junk;
          i--;
          continue;
        case St.Value:
        case St.ValueOrEnd:
          if (c === 123 || c === 91) this.open(c === 123 ? OBJ : ARR, i);
          else if (c === 34) this.startValueString(i);
          else if (c === 45 || (c >= 48 && c <= 57) || c === 116 || c === 102 || c === 110) this.startLiteral(c, i);
          else if (c === 93 && this.st === St.ValueOrEnd) this.close(ARR, text, i);
          else return this.fail(this.unexpected(c), text, from, to);
          break;
        case St.Key:
        case St.KeyOrEnd:
          if (c === 34) this.startKey(i);
          else if (c === 125 && this.st === St.KeyOrEnd) this.close(OBJ, text, i);
          else return this.fail(this.unexpected(c), text, from, to);
          break;
        case St.Colon:
          if (c === 58) this.st = St.Value;
          else return this.fail(this.unexpected(c), text, from, to);
          break;
        case St.After:
          if (c === 44) this.st = this.stack[this.depth - 1] === OBJ ? St.Key : St.Value;
          else if (c === 125 || c === 93) {
            if (this.stack[this.depth - 1] !== (c === 125 ? OBJ : ARR))
              return this.fail(this.unexpected(c), text, from, to);
            this.close(c === 125 ? OBJ : ARR, text, i);
          } else return this.fail(this.unexpected(c), text, from, to);
          break;
      }
    }
    // The segment is used up: keep what spans into the next one.
    if (this.capture) this.capPush(text.slice(this.capFrom, to));
    if (this.keyFrom >= 0 && this.keyBuf.length < 64)
      this.keyBuf += text.slice(this.keyFrom, Math.min(to, this.keyFrom + 64));
    this.lineCol += to - from;
    if (this.pieces !== null) {
      this.piecesLen += to - from;
      if (this.piecesLen > MAX_REREAD) this.pieces = null;
      else this.pieces.push(from === 0 && to === text.length ? text : text.slice(from, to));
    }
    return OWN;
  }

  /** The current line ended. OWN: the next line is the reader's too; DONE: it is not; REREAD: read `replay` again. */
  newline(): number {
    let r = OWN;
    if (this.st === St.Lit && !this.endLiteral())
      r = this.fail('invalid JSON: a malformed number or literal', '', 0, 0);
    else if (this.st === St.Str) r = this.fail('invalid JSON: a line break inside a string', '', 0, 0);
    if (r === REREAD) return r;
    if (this.capture) this.capPush('\n');
    this.lineEnded();
    return this.docOpen ? OWN : this.release(DONE);
  }

  /** End of input. True when the reader counted a last line (one without a line break). */
  finish(): boolean {
    if (!this.active) return false;
    const partial = this.lineCol > 0;
    if (this.docOpen) this.broken('unterminated JSON document', partial);
    if (partial) this.lineEnded();
    this.release(DONE);
    return partial;
  }

  // ------------------------------------------------------------------ lines

  private release(code: number): number {
    this.active = false;
    this.st = St.Between;
    this.depth = 0;
    return code;
  }

  /** Mark `line` as carrying a message. */
  private mark(line: number): void {
    if (line === this.lineNo) this.carried = true;
    else if (this.held !== null && line === this.held.line) this.held.carried = true;
    else this.carriedLines.add(line);
  }

  /** An unparsed verdict on the current line (a second one is one more unparsed message). */
  private verdictOnLine(reason: string, text: string): void {
    if (this.verdict !== undefined) this.host.problem(this.lineNo, reason, clip(text), 'plain');
    else {
      this.verdict = reason;
      this.verdictText = text;
    }
  }

  /** Classify the line that just ended, and move to the next. */
  private lineEnded(): void {
    const line = this.lineNo;
    let head = this.head;
    if (head.charCodeAt(head.length - 1) === 13) head = head.slice(0, -1);
    if (this.junk !== '' && this.verdict === undefined) {
      this.host.problem(line, 'text after the end of a JSON document', clip(this.junk), this.lastKind);
      this.carried = true;
    }
    const held = this.held;
    if (this.verdict !== undefined) {
      this.host.unparsedLine(line, this.verdict, clip(this.verdictText));
      if (held !== null && held.line === line) held.classified = true;
    } else if (held !== null && held.line === line) {
      held.carried = this.carried;
      held.clip = clip(head.slice(Math.min(held.col, head.length)));
      if (this.env.foreign) {
        this.host.unparsedLine(line, NOT_ENVELOPE, held.clip);
        held.classified = held.reported = true;
      }
    } else if (this.docOpen && this.env.foreign) this.host.unparsedLine(line, NOT_ENVELOPE, clip(head));
    else if (this.docOpen && this.env.kind === null) {
      this.queue.push({ line, clip: clip(head) });
      if (this.carried) this.carriedLines.add(line);
      if (this.queue.length > MAX_QUEUED) this.env.overflow();
    } else if (this.docOpen && this.itemCtx !== Item.None) {
      if (this.deferFrom === 0) this.deferFrom = line;
      if (this.carried) this.carriedLines.add(line);
    } else this.host.envelopeLine(this.carried);
    this.lineNo++;
    this.resetLine();
    if (!this.docOpen && this.st !== St.Between) this.st = St.Between;
  }

  /** Lines held for an item of an envelope, once the item is done. */
  private releaseDeferred(): void {
    if (this.deferFrom === 0) return;
    for (let l = this.deferFrom; l < this.lineNo; l++) this.host.envelopeLine(this.carriedLines.has(l));
    this.deferFrom = 0;
    if (this.carriedLines.size > 0) this.carriedLines.clear();
  }

  // ------------------------------------------------------------------ documents

  private startDoc(col: number): void {
    // The first document of a line reports the whole line; a later one, the line from where it starts.
    if (this.fresh) col = 0;
    this.fresh = false;
    this.docOpen = true;
    this.held = {
      line: this.lineNo,
      col,
      clip: '',
      carried: false,
      classified: this.verdict !== undefined,
      reported: false,
    };
    this.env.start();
    this.rootKey = '';
    this.arrCtx = Item.None;
    if (this.queue.length > 0) this.queue = [];
    if (this.carriedLines.size > 0) this.carriedLines.clear();
    this.deferFrom = 0;
    this.depth = 0;
    this.st = St.Value;
  }

  /** The document is an envelope: the lines held for it are classified now. */
  private recognized(): void {
    for (const q of this.queue) this.host.envelopeLine(this.carriedLines.has(q.line));
    this.queue = [];
    if (this.carriedLines.size > 0) this.carriedLines.clear();
  }

  /** Not an envelope (too many lines without a sign of one, or a root array of non-events): say so now. */
  private goForeign(): void {
    this.capture = false;
    // The first line now (in input order), then the held lines.
    // (A first line still being read gets its verdict when it ends, or when the document does.)
    const held = this.held!;
    if (held.line !== this.lineNo) {
      this.heldVerdict(held, NOT_ENVELOPE);
      held.reported = true;
    }
    for (const q of this.queue) this.host.unparsedLine(q.line, NOT_ENVELOPE, q.clip);
    this.queue = [];
  }

  /** The root value closed. */
  private docEnded(): void {
    this.docOpen = false;
    const held = this.held!;
    const envelope = this.env.ended(held.line); // (a no-flow message on the first line marks it: held is still set)
    this.held = null;
    if (envelope) {
      if (held.line !== this.lineNo && !held.classified) this.host.envelopeLine(held.carried);
      this.lastKind = this.env.kind!;
    } else {
      if (held.line === this.lineNo)
        this.verdictOnLine(NOT_ENVELOPE, this.head.slice(Math.min(held.col, this.head.length)));
      else {
        this.heldVerdict(held, NOT_ENVELOPE);
        for (const q of this.queue) this.host.unparsedLine(q.line, NOT_ENVELOPE, q.clip);
        this.verdictOnLine(NOT_ENVELOPE, this.head);
      }
      this.queue = [];
      this.lastKind = 'plain';
    }
    this.st = St.Between;
  }

  private heldVerdict(held: Held, reason: string): void {
    if (held.reported) return;
    if (held.classified) this.host.problem(held.line, reason, held.clip, 'plain');
    else this.host.unparsedLine(held.line, reason, held.clip);
  }

  /** The open document is broken (or unterminated at the end of input, `atEnd`). */
  private broken(reason: string, lineHasText: boolean): void {
    this.docOpen = false;
    this.itemCtx = Item.None;
    this.capture = false;
    this.capParts = [];
    this.keyFrom = -1;
    this.trackVal = false;
    if (this.env.kind !== null && !this.env.foreign) this.releaseDeferred();
    const held = this.held!;
    this.held = null;
    if (held.line === this.lineNo) {
      if (!held.reported) this.verdictOnLine(reason, this.head.slice(Math.min(held.col, this.head.length)));
    } else {
      this.heldVerdict(held, reason);
      for (const q of this.queue) this.host.unparsedLine(q.line, reason, q.clip);
      if (lineHasText && this.env.kind === null)
        this.verdictOnLine(this.env.foreign ? NOT_ENVELOPE : reason, this.head);
    }
    this.queue = [];
  }

  /** The document broke at the current character (or line break). */
  private fail(reason: string, text: string, from: number, to: number): number {
    const first = this.held !== null && this.held.line === this.lineNo;
    this.broken(reason, false);
    if (!first && this.pieces !== null) {
      // Read the line it broke on again, as a plain line.
      this.replay = this.pieces.join('');
      return this.release(REREAD);
    }
    if (!first) this.verdictOnLine(reason, this.head);
    this.st = St.Skip;
    this.lineCol += to - from;
    void text;
    return OWN;
  }

  private unexpected(c: number): string {
    if (c >= 128 || JSON_OUTSIDE[c] === 0) return BAD_CHAR;
    return `invalid JSON: unexpected '${String.fromCharCode(c)}' at line ${this.lineNo}`;
  }

  // ------------------------------------------------------------------ grammar

  private push(type: number): void {
    if (this.depth === this.stack.length) {
      const s = new Uint8Array(this.stack.length * 2);
      s.set(this.stack);
      this.stack = s;
    }
    this.stack[this.depth++] = type;
  }

  /** The item context of a value starting here (before it is pushed), or Item.None. */
  private contextAt(): ItemContext {
    const d = this.depth;
    if (d === 1) return this.rootObj ? this.env.valueContext(this.rootKey) : Item.Element;
    if (d === 2 && this.rootObj && this.stack[1] === ARR) return this.arrCtx;
    return Item.None;
  }

  /** A value starts at `i` (its first character `c`): an item of an envelope? */
  private valueStart(i: number, c: number): void {
    if (this.itemCtx !== Item.None || this.depth === 0) return;
    const ctx = this.contextAt();
    if (ctx === Item.None) return;
    if (ctx === Item.Element || this.depth === 2) this.env.element(ctx);
    this.itemCtx = ctx;
    this.itemDepth = this.depth;
    this.itemLine = this.lineNo;
    this.itemKey = '';
    this.itemIds = false;
    this.valLine = 0;
    this.trackVal = false;
    this.capture = this.env.wants(ctx) && c !== 45 && !(c >= 48 && c <= 57) && c !== 116 && c !== 102 && c !== 110;
    this.capParts = [];
    this.capLen = 0;
    this.capOver = false;
    this.capFrom = i;
    if (c === 34 && this.capture) {
      this.valLine = this.lineNo;
      this.valCol = this.lineCol + (i + 1 - this.segFrom);
      this.valStart = 1;
    }
  }

  private capPush(s: string): void {
    if (this.capOver) return;
    this.capLen += s.length;
    if (this.capLen > MAX_ITEM) {
      this.capOver = true;
      this.capParts = [];
    } else this.capParts.push(s);
    this.capFrom = 0;
  }

  /** Offset in the captured item of index `i` of the current segment. */
  private capOffset(i: number): number {
    return this.capLen + (i - this.capFrom);
  }

  private open(type: number, i: number): void {
    if (this.depth === 0) this.rootObj = type === OBJ;
    else this.valueStart(i, type === OBJ ? 123 : 91);
    if (this.depth === 1 && this.rootObj && type === ARR) this.arrCtx = this.env.arrayOpened(this.rootKey);
    this.push(type);
    this.st = type === OBJ ? St.KeyOrEnd : St.ValueOrEnd;
  }

  private close(type: number, text: string, i: number): void {
    this.depth--;
    if (this.itemCtx !== Item.None && this.depth === this.itemDepth) this.endItem(text, i + 1);
    if (this.depth === 1 && type === ARR && this.arrCtx !== Item.None) {
      this.env.arrayClosed(this.arrCtx);
      this.arrCtx = Item.None;
    }
    if (this.depth === 0) this.docEnded();
    else this.st = St.After;
  }

  private startKey(i: number): void {
    this.st = St.Str;
    this.strKey = true;
    if (this.depth === 1 || (this.itemCtx !== Item.None && this.depth === this.itemDepth + 1)) {
      this.keyFrom = i + 1;
      this.keyBuf = '';
    }
  }

  private startValueString(i: number): void {
    this.valueStart(i, 34);
    this.st = St.Str;
    this.strKey = false;
    if (
      this.capture &&
      this.valLine === 0 &&
      this.depth === this.itemDepth + 1 &&
      this.stack[this.depth - 1] === OBJ &&
      (this.itemKey === 'message' || this.itemKey === 'data')
    ) {
      this.trackVal = true;
      this.valLine = this.lineNo;
      this.valCol = this.lineCol + (i + 1 - this.segFrom);
      this.valStart = this.capOffset(i + 1);
    }
  }

  private endString(text: string, i: number): void {
    if (this.strKey) {
      this.st = St.Colon;
      if (this.keyFrom < 0) return;
      const key = this.keyBuf + text.slice(this.keyFrom, i);
      this.keyFrom = -1;
      if (this.depth === 1) {
        this.rootKey = key;
        this.env.rootKey(key);
      } else {
        this.itemKey = key;
        if (key === 'eventId' || key === 'logStreamName') this.itemIds = true;
      }
      return;
    }
    this.st = St.After;
    if (this.itemCtx === Item.None) return;
    if (this.trackVal) {
      this.trackVal = false;
      this.valEnd = this.capOffset(i);
    }
    if (this.depth === this.itemDepth) {
      if (this.capture) this.valEnd = this.capOffset(i);
      this.endItem(text, i + 1);
    }
  }

  private startLiteral(c: number, i: number): void {
    this.valueStart(i, c);
    this.st = St.Lit;
    this.litFirst = c;
    this.litLen = 1;
  }

  /** A number or literal ended: loosely checked (items are checked by JSON.parse). */
  private endLiteral(): boolean {
    this.st = St.After;
    const f = this.litFirst;
    const ok = f === 116 ? this.litLen === 4 : f === 102 ? this.litLen === 5 : f === 110 ? this.litLen === 4 : true;
    if (this.itemCtx !== Item.None && this.depth === this.itemDepth) this.endItem('', 0);
    return ok;
  }

  // ------------------------------------------------------------------ items

  private endItem(text: string, end: number): void {
    const ctx = this.itemCtx;
    this.itemCtx = Item.None;
    const captured = this.capture;
    let raw: string | undefined;
    if (captured) {
      this.capture = false;
      if (!this.capOver) {
        this.capParts.push(text.slice(this.capFrom, end));
        raw = this.capParts.length === 1 ? this.capParts[0] : this.capParts.join('');
      }
      this.capParts = [];
    }
    if (captured || this.env.wants(ctx))
      this.env.item(ctx, {
        raw,
        tooLong: captured && this.capOver,
        line: this.itemLine,
        valueLine: this.valLine,
        valueCol: this.valCol,
        valueRaw: raw !== undefined && this.valLine !== 0 ? raw.slice(this.valStart, this.valEnd) : undefined,
        ids: this.itemIds,
      });
    if (this.env.kind !== null) this.releaseDeferred();
  }
}
