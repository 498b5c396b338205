// Envelopes: the containers flow records arrive in (CloudWatch Logs CLI output and subscription payloads,
// Firehose HTTP bodies, NDJSON, CloudWatch exports, gzip), detected and unwrapped without being told. PURE.
import { Gunzip, strFromU8 } from 'fflate';
import type { EnvelopeKind } from './types';

/** One flow-log message taken out of an envelope. */
export interface EnvelopeMessage {
  readonly text: string;
  /** 1-based input line the message came from. */
  readonly line: number;
  /** UTF-16 offset of `text` in that line, -1 when not present verbatim (escaped, base64, gzip). */
  readonly offset: number;
  readonly envelope: EnvelopeKind;
}

export interface EnvelopeProblem {
  readonly line: number;
  readonly reason: string;
  readonly text: string;
}

export interface Unwrapped {
  readonly kind: EnvelopeKind;
  readonly messages: EnvelopeMessage[];
  /** Messages that carry no flows (CloudWatch CONTROL_MESSAGE). */
  readonly noFlow: number;
  /** The input line of each no-flow message. */
  readonly noFlowLines: number[];
  /** Parts of the envelope that could not be decoded (each counts as one unparsed message). */
  readonly problems: EnvelopeProblem[];
}

/** The lines of one JSON document as they appear in the input. */
export interface DocLines {
  /** Line number of `texts[0]`. */
  readonly firstLine: number;
  /** Full input lines (the document may start after column 0 of the first line, or end before the last line ends). */
  readonly texts: readonly string[];
  /** Where the document starts in texts[0] (default 0). */
  readonly startCol?: number;
  /** Where the document ends in the last line (default: its length). */
  readonly endCol?: number;
}

// ---------------------------------------------------------------- JSON document boundaries

/** Incremental bracket matcher that finds where a JSON document ends, across lines. */
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

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Most bytes a gzip payload inside an envelope may inflate to (a small record must not become gigabytes). */
export const MAX_INFLATED = 256 * 1024 * 1024;

/** Gunzip (multi-member aware). Undefined when the data is not a valid gzip stream or inflates past `max` bytes. */
export function gunzipBytes(bytes: Uint8Array, max = MAX_INFLATED): Uint8Array | undefined {
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    const g = new Gunzip((chunk) => {
      total += chunk.length;
      if (total > max) throw new RangeError('gzip payload too large');
      parts.push(chunk);
    });
    g.push(bytes, true);
  } catch {
    return undefined;
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function utf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8').decode(bytes);
  } catch {
    return strFromU8(bytes, true);
  }
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

// ---------------------------------------------------------------- locating message strings in the source

interface KeyHit {
  line: number;
  /** Column of the first character inside the value's quotes. */
  col: number;
  /** The raw (still escaped) characters of the string value, or undefined when it spans lines. */
  raw: string | undefined;
}

/** Every `"key": "..."` string value in document order, with its line and column. */
function locateStringValues(doc: DocLines, key: string): KeyHit[] {
  const hits: KeyHit[] = [];
  const needle = `"${key}"`;
  const last = doc.texts.length - 1;
  doc.texts.forEach((text, li) => {
    let from = li === 0 ? (doc.startCol ?? 0) : 0;
    const stop = li === last ? (doc.endCol ?? text.length) : text.length;
    for (;;) {
      const k = text.indexOf(needle, from);
      if (k < 0 || k >= stop) break;
      from = k + needle.length;
      if (k > 0 && text.charCodeAt(k - 1) === 92) continue; // inside an escaped string
      let i = from;
      while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (text.charCodeAt(i) !== 58) continue;
      i++;
      while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (text.charCodeAt(i) !== 34) continue;
      const col = i + 1;
      let j = col;
      let raw: string | undefined;
      while (j < text.length) {
        const c = text.charCodeAt(j);
        if (c === 92) j += 2;
        else if (c === 34) {
          raw = text.slice(col, j);
          break;
        } else j++;
      }
      hits.push({ line: doc.firstLine + li, col, raw });
      from = j;
    }
  });
  return hits;
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
}

class Collector implements MessageSink {
  readonly messages: EnvelopeMessage[] = [];
  readonly problems: EnvelopeProblem[] = [];
  noFlow = 0;
  readonly noFlowLines: number[] = [];
  private next = 0;
  constructor(
    private readonly hits: KeyHit[],
    private readonly fallbackLine: number,
  ) {}

  /** A message string found in the document text (verbatim offsets when unescaped). */
  verbatim(text: string, kind: EnvelopeKind): void {
    const hit = this.hits[this.next++];
    const line = hit?.line ?? this.fallbackLine;
    const parts = messageLines(text);
    const exact = hit !== undefined && hit.raw === text && parts.length === 1;
    for (const p of parts) this.messages.push({ text: p, line, offset: exact ? hit.col : -1, envelope: kind });
  }

  /** A message decoded out of an opaque payload at `line` (no verbatim offset). */
  decoded(text: string, line: number, kind: EnvelopeKind): void {
    for (const p of messageLines(text)) this.messages.push({ text: p, line, offset: -1, envelope: kind });
  }

  problem(line: number, reason: string, text: string): void {
    this.problems.push({ line, reason, text: clip(text) });
  }

  noFlowAt(line: number): void {
    this.noFlow++;
    this.noFlowLines.push(line);
  }

  /** What was collected, as the envelope `kind`. */
  result(kind: EnvelopeKind): Unwrapped {
    return {
      kind,
      messages: this.messages,
      noFlow: this.noFlow,
      noFlowLines: this.noFlowLines,
      problems: this.problems,
    };
  }

  /** Skip one located string (a message that is not a flow message, such as a CONTROL_MESSAGE's). */
  verbatimSkip(): void {
    this.next++;
  }

  /** The line of the next located string, for problems. */
  lineHint(): number {
    return this.hits[this.next]?.line ?? this.fallbackLine;
  }
}

/** CloudWatch Logs subscription payload located in the document text (verbatim offsets where unescaped). */
function subscriptionPayload(v: Record<string, unknown>, into: Collector, kind: EnvelopeKind): void {
  if (v.messageType === 'CONTROL_MESSAGE') {
    into.noFlowAt(into.lineHint());
    // Skip the control message's own "message" string in the located hits.
    if (Array.isArray(v.logEvents)) for (let i = 0; i < v.logEvents.length; i++) into.verbatimSkip();
    return;
  }
  const events = Array.isArray(v.logEvents) ? (v.logEvents as unknown[]) : [];
  for (const e of events) {
    const msg = isObject(e) ? e.message : undefined;
    if (typeof msg !== 'string') into.problem(into.lineHint(), 'log event without a message string', preview(e));
    else into.verbatim(msg, kind);
  }
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
    const g = gunzipBytes(bytes);
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
  const raw = bytes && isGzip(bytes) ? gunzipBytes(bytes) : bytes;
  let inner: unknown;
  try {
    inner = raw ? JSON.parse(utf8(raw)) : undefined;
  } catch {
    inner = undefined;
  }
  if (isObject(inner)) decodedSubscription(inner, into, line, 'cwl-subscription');
  else into.problem(line, 'awslogs.data is not a base64 gzip CloudWatch Logs payload', data);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Unwrap a parsed JSON document. Returns undefined when it is not a known envelope.
 * Shapes: CloudWatch subscription payload (`messageType`), Firehose HTTP body (`records[].data`),
 * `aws logs filter-log-events` / `get-log-events` output (`events[].message`), a bare array of such events,
 * a Lambda `awslogs.data` event, and a single `{"message": ...}` object (NDJSON line).
 */
export function unwrapJson(value: unknown, doc: DocLines): Unwrapped | undefined {
  const fallback = doc.firstLine;
  if (
    isObject(value) &&
    typeof value.messageType === 'string' &&
    (value.logEvents === undefined || Array.isArray(value.logEvents))
  ) {
    const c = new Collector(locateStringValues(doc, 'message'), fallback);
    subscriptionPayload(value, c, 'cwl-subscription');
    return c.result('cwl-subscription');
  }
  if (isObject(value) && Array.isArray(value.records)) {
    const hits = locateStringValues(doc, 'data');
    const c = new Collector([], fallback);
    value.records.forEach((r, i) => {
      const line = hits[i]?.line ?? fallback;
      const data = isObject(r) ? r.data : undefined;
      if (typeof data !== 'string') c.problem(line, 'Firehose record without a data string', preview(r));
      else firehoseData(data, line, c);
    });
    return c.result('firehose');
  }
  if (isObject(value) && isObject(value.awslogs) && typeof value.awslogs.data === 'string') {
    const hits = locateStringValues(doc, 'data');
    const c = new Collector([], fallback);
    awslogsData(value.awslogs.data, hits[0]?.line ?? fallback, c);
    return c.result('cwl-subscription');
  }
  const events =
    isObject(value) && Array.isArray(value.events)
      ? (value.events as unknown[])
      : Array.isArray(value)
        ? value
        : undefined;
  if (events && events.length > 0 && events.every((e) => isObject(e) && typeof e.message === 'string')) {
    const filter =
      !Array.isArray(value) &&
      isObject(value) &&
      ('searchedLogStreams' in value || ('nextToken' in value && !('nextForwardToken' in value)));
    const kind: EnvelopeKind =
      filter || events.some((e) => isObject(e) && ('eventId' in e || 'logStreamName' in e))
        ? 'filter-log-events'
        : 'get-log-events';
    const c = new Collector(locateStringValues(doc, 'message'), fallback);
    for (const e of events) c.verbatim((e as { message: string }).message, kind);
    return c.result(kind);
  }
  if (isObject(value) && Array.isArray(value.events) && value.events.length === 0) {
    return {
      kind: 'nextForwardToken' in value ? 'get-log-events' : 'filter-log-events',
      messages: [],
      noFlow: 0,
      noFlowLines: [],
      problems: [],
    };
  }
  if (isObject(value) && typeof value.message === 'string') {
    const c = new Collector(locateStringValues(doc, 'message'), fallback);
    c.verbatim(value.message, 'ndjson');
    return { kind: 'ndjson', messages: c.messages, noFlow: 0, noFlowLines: [], problems: [] };
  }
  return undefined;
}
