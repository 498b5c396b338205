// Envelopes: the containers flow records arrive in (CloudWatch Logs CLI output and subscription payloads,
// Firehose HTTP bodies, NDJSON, CloudWatch exports, gzip), detected and unwrapped without being told. PURE.
// What each part of a JSON envelope means lives here (EnvelopeReader); jsonStream.ts reads the JSON itself.
import { fflateInflater } from './input/fflate';
import { isGzip, MAX_INFLATED, type Inflater } from './input/inflate';
import type { EnvelopeKind } from './types';
import { errorText } from './text';

export { isGzip, MAX_INFLATED };

// ---------------------------------------------------------------- JSON document boundaries

/** Characters JSON allows outside strings (structure, numbers, true/false/null, blanks). */
const JSON_OUTSIDE = new Uint8Array(128);
for (const ch of ' \t\r\n{}[],:0123456789-+.eEtrufalsn') JSON_OUTSIDE[ch.charCodeAt(0)] = 1;

/** Incremental bracket matcher that finds where a JSON document ends, across lines. */
export class JsonDocScanner {
  private depth = 0;
  private inString = false;
  private escape = false;
  private started = false;
  /** Set when a character that JSON does not allow outside strings was seen: this is not JSON. */
  invalid = false;

  /** Feed `text` from `from`; returns the index just after the document's end, or -1 if it continues (or is invalid). */
  feed(text: string, from = 0): number {
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92) this.escape = true;
        else if (c === 34) this.inString = false;
        continue;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) {
        this.depth++;
        this.started = true;
      } else if (c === 125 || c === 93) {
        this.depth--;
        if (this.started && this.depth <= 0) {
          this.reset();
          return i + 1;
        }
      } else if (c >= 128 || JSON_OUTSIDE[c] === 0) {
        this.invalid = true;
        return -1;
      }
    }
    return -1;
  }

  reset(): void {
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.started = false;
    this.invalid = false;
  }
}

/** Split a text holding one or more concatenated/NDJSON JSON documents into document strings; the rest is junk. */
export function splitJsonDocuments(text: string): { docs: string[]; junk: string } {
  const docs: string[] = [];
  const scanner = new JsonDocScanner();
  let i = 0;
  for (;;) {
    while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) return { docs, junk: '' };
    const c = text.charCodeAt(i);
    if (c !== 123 && c !== 91) return { docs, junk: text.slice(i) };
    const end = scanner.feed(text, i);
    if (end < 0) return { docs, junk: text.slice(i) };
    docs.push(text.slice(i, end));
    i = end;
  }
}

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

// ---------------------------------------------------------------- bytes: base64, gzip, UTF-8

const B64 = new Int16Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  .split('')
  .forEach((ch, i) => (B64[ch.charCodeAt(0)] = i));
B64['-'.charCodeAt(0)] = 62; // URL-safe alphabet
B64['_'.charCodeAt(0)] = 63;

/** Decode base64 (standard or URL-safe; whitespace ignored). Undefined when it is not base64. */
export function decodeBase64(s: string): Uint8Array | undefined {
  const out = new Uint8Array(Math.floor((s.length * 3) / 4) + 3);
  let n = 0;
  let acc = 0;
  let bits = 0;
  let pad = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 61) {
      pad = true;
      continue;
    }
    if (c === 10 || c === 13 || c === 32 || c === 9) continue;
    const v = c < 128 ? B64[c]! : -1;
    if (v < 0 || pad) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  if (bits >= 6) return undefined; // a lone trailing character is not valid base64
  return out.subarray(0, n);
}

/** Gunzip (multi-member aware) with the portable inflater. Undefined when not valid gzip or past `max` bytes. */
export function gunzipBytes(bytes: Uint8Array, max = MAX_INFLATED): Uint8Array | undefined {
  return fflateInflater.gunzip(bytes, max);
}

export function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

// ---------------------------------------------------------------- CloudWatch export lines

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Length of an ISO-8601 timestamp prefix plus the blanks after it (`2025-02-25T12:25:04.000Z `), or 0.
 * CloudWatch Logs exports put one before each record.
 */
export function isoPrefixLength(s: string, from = 0): number {
  const a = from;
  if (s.length < a + 21) return 0;
  if (!(
    isDigit(s.charCodeAt(a)) &&
    isDigit(s.charCodeAt(a + 3)) &&
    s.charCodeAt(a + 4) === 45 &&
    s.charCodeAt(a + 7) === 45
  ))
    return 0;
  const t = s.charCodeAt(a + 10);
  if (t !== 84 && t !== 116) return 0;
  if (s.charCodeAt(a + 13) !== 58 || s.charCodeAt(a + 16) !== 58) return 0;
  let i = a + 19;
  // fraction, zone
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9) break;
    if (!(isDigit(c) || c === 46 || c === 90 || c === 122 || c === 43 || c === 45 || c === 58)) return 0;
    i++;
  }
  if (i >= s.length) return 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i - a;
}

// ---------------------------------------------------------------- unwrapping

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function clip(s: string): string {
  return s.length > 200 ? s.slice(0, 200) : s;
}

/** A short text for a parsed JSON value in a problem report. JSON.stringify recurses: deep values fall back. */
function preview(v: unknown): string {
  try {
    return clip(JSON.stringify(v) ?? '');
  } catch {
    return Array.isArray(v) ? '[deeply nested array]' : '{deeply nested object}';
  }
}

/** Split a message into its lines (a message normally holds one record; stray CR/LF are tolerated). */
export function messageLines(text: string): string[] {
  if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) return [text];
  return text.split(/\r?\n|\r/).filter((l) => l.trim() !== '');
}

/** Where messages decoded out of an opaque payload go (the Collector here, or the streaming reader). */
export interface MessageSink {
  /** A message decoded out of a payload at `line` (no verbatim offset). */
  decoded(text: string, line: number, kind: EnvelopeKind): void;
  problem(line: number, reason: string, text: string): void;
  /** A message that carries no flows (CloudWatch CONTROL_MESSAGE), at `line`. */
  noFlowAt(line: number): void;
  /** The host's inflater (for base64 gzip payloads). */
  readonly inflater: Inflater;
}

/** CloudWatch Logs subscription payload decoded out of an opaque payload (base64/gzip) at `line`. */
function decodedSubscription(v: Record<string, unknown>, into: MessageSink, line: number, kind: EnvelopeKind): void {
  if (v.messageType === 'CONTROL_MESSAGE') {
    into.noFlowAt(line);
    return;
  }
  const events = Array.isArray(v.logEvents) ? (v.logEvents as unknown[]) : [];
  for (const e of events) {
    const msg = isObject(e) ? e.message : undefined;
    if (typeof msg !== 'string') into.problem(line, 'log event without a message string', preview(e));
    else into.decoded(msg, line, kind);
  }
}

/** Decode a Firehose record's data: base64, then maybe gzip, then CloudWatch JSON, `{"message":...}` lines or plain lines. */
export function firehoseData(data: string, line: number, into: MessageSink): void {
  const bytes = decodeBase64(data);
  if (!bytes) {
    into.problem(line, 'Firehose record data is not base64', data);
    return;
  }
  let payload = bytes;
  if (isGzip(bytes)) {
    const g = into.inflater.gunzip(bytes, MAX_INFLATED);
    if (!g) {
      into.problem(line, 'Firehose record data is not valid gzip', data);
      return;
    }
    payload = g;
  }
  const text = utf8(payload).replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const { docs, junk } = splitJsonDocuments(trimmed);
    for (const d of docs) {
      let v: unknown;
      try {
        v = JSON.parse(d);
      } catch (e) {
        into.problem(line, `Firehose record holds invalid JSON: ${errorText(e)}`, d);
        continue;
      }
      if (isObject(v) && typeof v.messageType === 'string') decodedSubscription(v, into, line, 'firehose');
      else if (isObject(v) && typeof v.message === 'string') into.decoded(v.message, line, 'firehose');
      else into.problem(line, 'Firehose record holds JSON that is not a flow-log message', d);
    }
    if (junk.trim() !== '') into.problem(line, 'Firehose record holds text after its JSON', junk);
    return;
  }
  if (text.trim() === '') {
    into.problem(line, 'Firehose record is empty', data);
    return;
  }
  into.decoded(text, line, 'firehose');
}

/** A Lambda event's `awslogs.data`: base64 of a gzip'd CloudWatch Logs subscription payload. */
export function awslogsData(data: string, line: number, into: MessageSink): void {
  const bytes = decodeBase64(data);
  const raw = bytes && isGzip(bytes) ? into.inflater.gunzip(bytes, MAX_INFLATED) : bytes;
  let inner: unknown;
  try {
    inner = raw ? JSON.parse(utf8(raw)) : undefined;
  } catch {
    inner = undefined;
  }
  if (isObject(inner)) decodedSubscription(inner, into, line, 'cwl-subscription');
  else into.problem(line, 'awslogs.data is not a base64 gzip CloudWatch Logs payload', data);
}

// ---------------------------------------------------------------- streamed JSON envelopes

/**
 * Where a value sits in a JSON document, which decides what it means: the value of a root key (`message`,
 * `messageType`, `awslogs`), an element of the array under a root key (`events`, `logEvents`, `records`), or
 * an element of a root array (`Element`: a bare array of log events).
 */
export const Item = {
  None: 0,
  Message: 1,
  MessageType: 2,
  Awslogs: 3,
  Events: 4,
  LogEvents: 5,
  Records: 6,
  Element: 7,
} as const;
export type ItemContext = (typeof Item)[keyof typeof Item];

/** Where the results of reading an envelope go. */
export interface EnvelopeOut {
  /** A message taken out of the envelope; `offset` is -1 when it is not verbatim in its line. */
  message(text: string, line: number, offset: number, kind: EnvelopeKind): void;
  problem(line: number, reason: string, text: string, kind: EnvelopeKind): void;
  noFlow(line: number): void;
  /** The document is an envelope (`EnvelopeReader.kind`): lines held for it can be classified. */
  recognized(): void;
  /** The document can never be an envelope. */
  foreign(): void;
}

/** One value of an envelope, as the JSON reader found it. */
export interface ItemValue {
  /** The value's JSON text; undefined for a number or literal, or when longer than the reader keeps. */
  readonly raw: string | undefined;
  readonly tooLong: boolean;
  /** Line where the value starts. */
  readonly line: number;
  /** Line and column of its top-level `message` (or `data`) string (or of the value itself when it is a string); 0 if none. */
  readonly valueLine: number;
  readonly valueCol: number;
  /** That string as written (escapes included), to tell whether the decoded text is verbatim in the line. */
  readonly valueRaw: string | undefined;
  /** It has an `eventId` or `logStreamName` key (filter-log-events). */
  readonly ids: boolean;
}

interface PendingEvent {
  readonly v: unknown;
  readonly bad: string | undefined;
  readonly item: ItemValue;
  readonly text: string;
}

/** Log events held while a subscription payload's messageType is not yet known (characters of JSON). */
const MAX_PENDING = 16 * 1024 * 1024;

/**
 * What the values of one streamed JSON document mean. The shapes: CloudWatch subscription payload
 * (`messageType` + `logEvents`), Firehose HTTP body (`records[].data`), Lambda event (`awslogs.data`),
 * `aws logs filter-log-events` / `get-log-events` output (`events[].message`, or a bare array of events), a
 * `{"message": ...}` object (NDJSON). Each item is decoded as soon as it closes and its messages emitted:
 * the whole document is never held. The first decisive key or item decides the shape; an events array is
 * one when its first element has a message string (later elements without one are problems).
 */
export class EnvelopeReader {
  /** The envelope, once known. */
  kind: EnvelopeKind | null = null;
  /** The document can never be an envelope. */
  foreign = false;
  private readonly sink: MessageSink & { kind: EnvelopeKind };
  private messageType: string | undefined;
  private noFlowDone = false;
  private hintForward = false;
  private hintNext = false;
  private hintSearched = false;
  private rootMsg: { text: string; line: number; offset: number } | undefined;
  private pending: PendingEvent[] = [];
  private pendingChars = 0;
  private arrCount = 0;
  private rootCount = 0;
  private eventsCtx: ItemContext = Item.None;
  private rejected: ItemContext = Item.None;

  constructor(
    private readonly out: EnvelopeOut,
    inflater: Inflater = fflateInflater,
  ) {
    const sink: MessageSink & { kind: EnvelopeKind } = {
      kind: 'firehose',
      inflater,
      decoded: (text, line, kind) => {
        for (const p of messageLines(text)) out.message(p, line, -1, kind);
      },
      problem: (line, reason, text) => out.problem(line, reason, clip(text), sink.kind),
      noFlowAt: (line) => out.noFlow(line),
    };
    this.sink = sink;
  }

  /** A new document. */
  start(): void {
    this.kind = null;
    this.foreign = false;
    this.messageType = undefined;
    this.noFlowDone = false;
    this.hintForward = this.hintNext = this.hintSearched = false;
    this.rootMsg = undefined;
    if (this.pending.length > 0) this.pending = [];
    this.pendingChars = 0;
    this.arrCount = this.rootCount = 0;
    this.eventsCtx = this.rejected = Item.None;
  }

  /** A key of the root object. */
  rootKey(key: string): void {
    if (key === 'nextForwardToken') this.hintForward = true;
    else if (key === 'nextToken') this.hintNext = true;
    else if (key === 'searchedLogStreams') this.hintSearched = true;
  }

  /** What the value of root key `key` is, when it is not an array. */
  valueContext(key: string): ItemContext {
    return key === 'message'
      ? Item.Message
      : key === 'messageType'
        ? Item.MessageType
        : key === 'awslogs'
          ? Item.Awslogs
          : Item.None;
  }

  /** The value of root key `key` is an array: what its elements are. */
  arrayOpened(key: string): ItemContext {
    const ctx =
      key === 'events'
        ? Item.Events
        : key === 'logEvents'
          ? Item.LogEvents
          : key === 'records'
            ? Item.Records
            : Item.None;
    this.arrCount = 0;
    if (ctx === Item.Records && this.kind === null && !this.foreign) this.recognize('firehose');
    return ctx;
  }

  arrayClosed(ctx: ItemContext): void {
    if (ctx === Item.Events && this.arrCount === 0 && this.kind === null && !this.foreign)
      this.recognize(this.hintForward ? 'get-log-events' : 'filter-log-events');
  }

  /** An element of an item array (or of a root array) starts. */
  element(ctx: ItemContext): void {
    if (ctx === Item.Element) this.rootCount++;
    else this.arrCount++;
  }

  /** Whether an item in `ctx` matters (the reader keeps and decodes only those). */
  wants(ctx: ItemContext): boolean {
    if (this.foreign) return false;
    switch (ctx) {
      case Item.Message:
      case Item.MessageType:
      case Item.Awslogs:
        return this.kind === null;
      case Item.Records:
        return this.kind === 'firehose';
      case Item.LogEvents:
        return this.kind === null || this.kind === 'cwl-subscription';
      case Item.Events:
      case Item.Element:
        return this.rejected !== ctx && (this.kind === null || this.eventsCtx === ctx);
      default:
        return false;
    }
  }

  /** An item closed. */
  item(ctx: ItemContext, it: ItemValue): void {
    let v: unknown = null;
    let bad: string | undefined;
    if (it.tooLong) bad = 'JSON value too long to decode';
    else if (it.raw !== undefined) {
      try {
        v = JSON.parse(it.raw);
      } catch (e) {
        bad = `invalid JSON: ${errorText(e)}`;
      }
    }
    const text = it.raw === undefined ? '' : clip(it.raw);
    const at = it.valueLine || it.line;
    switch (ctx) {
      case Item.MessageType:
        if (typeof v === 'string') {
          this.messageType = v;
          if (this.kind === null) this.recognize('cwl-subscription');
        }
        return;
      case Item.Message:
        if (typeof v === 'string') this.rootMsg = { text: v, line: at, offset: it.valueRaw === v ? it.valueCol : -1 };
        return;
      case Item.Awslogs:
        if (this.kind === null && isObject(v) && typeof v.data === 'string') {
          // Messages first, then the held lines are classified (knowing which carry them).
          this.messageType = 'DATA_MESSAGE';
          this.sink.kind = 'cwl-subscription';
          awslogsData(v.data, at, this.sink);
          this.recognize('cwl-subscription');
        }
        return;
      case Item.Records: {
        this.sink.kind = 'firehose';
        const data = isObject(v) ? v.data : undefined;
        if (bad !== undefined) this.sink.problem(at, bad, text);
        else if (typeof data === 'string') firehoseData(data, at, this.sink);
        else this.sink.problem(at, 'Firehose record without a data string', text);
        return;
      }
      case Item.LogEvents: {
        const e: PendingEvent = { v, bad, item: it, text };
        if (this.kind === 'cwl-subscription') this.logEvent(e);
        else {
          this.pending.push(e);
          this.pendingChars += it.raw?.length ?? 0;
          if (this.pendingChars > MAX_PENDING) this.recognize('cwl-subscription');
        }
        return;
      }
      case Item.Events:
      case Item.Element: {
        const known = this.kind !== null;
        if (!known) {
          const first = (ctx === Item.Element ? this.rootCount : this.arrCount) === 1;
          if (!first || !(isObject(v) && typeof v.message === 'string')) {
            this.rejected = ctx;
            if (ctx === Item.Element) this.goForeign();
            return;
          }
          const filter = it.ids || (ctx === Item.Events && (this.hintSearched || (this.hintNext && !this.hintForward)));
          this.eventsCtx = ctx;
          this.kind = filter ? 'filter-log-events' : 'get-log-events';
        }
        const msg = isObject(v) ? v.message : undefined;
        if (bad !== undefined) this.out.problem(it.line, bad, text, this.kind!);
        else if (typeof msg === 'string') this.verbatim(msg, at, it.valueRaw === msg ? it.valueCol : -1, this.kind!);
        else this.out.problem(it.line, 'log event without a message string', text, this.kind!);
        // Messages first, then the held lines are classified (knowing which carry them).
        if (!known) this.recognize(this.kind!);
        return;
      }
    }
  }

  /** The document has held many lines with no sign of an envelope: decide now. */
  overflow(): void {
    if (this.pending.length > 0) this.recognize('cwl-subscription');
    else this.goForeign();
  }

  /** The document ended at its root's close (`firstLine`: its first line). True when it is an envelope. */
  ended(firstLine: number): boolean {
    if (this.kind === null && !this.foreign) {
      if (this.messageType !== undefined) this.recognize('cwl-subscription');
      else if (this.rootMsg !== undefined) {
        const m = this.rootMsg;
        this.verbatim(m.text, m.line, m.offset, 'ndjson');
        this.recognize('ndjson');
      }
    }
    if (this.kind === null || this.foreign) return false;
    if (this.messageType === 'CONTROL_MESSAGE' && !this.noFlowDone) {
      this.noFlowDone = true;
      this.out.noFlow(firstLine);
    }
    return true;
  }

  private recognize(kind: EnvelopeKind): void {
    this.kind = kind;
    if (kind === 'cwl-subscription' && this.pending.length > 0) {
      const pending = this.pending;
      this.pending = [];
      for (const p of pending) this.logEvent(p);
    }
    this.out.recognized();
  }

  private goForeign(): void {
    this.foreign = true;
    this.pending = [];
    this.out.foreign();
  }

  private logEvent(e: PendingEvent): void {
    const it = e.item;
    const at = it.valueLine || it.line;
    if (this.messageType === 'CONTROL_MESSAGE') {
      if (!this.noFlowDone) {
        this.noFlowDone = true;
        this.out.noFlow(at);
      }
      return;
    }
    const msg = isObject(e.v) ? e.v.message : undefined;
    if (e.bad !== undefined) this.out.problem(it.line, e.bad, e.text, 'cwl-subscription');
    else if (typeof msg === 'string')
      this.verbatim(msg, at, it.valueRaw === msg ? it.valueCol : -1, 'cwl-subscription');
    else this.out.problem(it.line, 'log event without a message string', e.text, 'cwl-subscription');
  }

  /** A message string of the document: verbatim at `offset` unless escaped (-1), split if it holds line breaks. */
  private verbatim(text: string, line: number, offset: number, kind: EnvelopeKind): void {
    const parts = messageLines(text);
    for (const p of parts) this.out.message(p, line, parts.length === 1 ? offset : -1, kind);
  }
}
