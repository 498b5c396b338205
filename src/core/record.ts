// Records: tokenise one flow-log record into field spans and validate it. The hot path of the parser. PURE.
//
// One scanner, `scanUnits`, over a line as code units (the bytes of an ASCII chunk, or a string's code units as
// `unitsOf` in validate.ts gives them): it tokenises, validates each field against the compiled format and reads
// the values the analysis needs, in one pass. scanRecord (strings), scanRecordBytes (ASCII bytes) and
// scanRecordValues (bytes, with values) are its three entry points; the WebAssembly scanner (wasmScan.ts) is an
// accelerator that only ever vouches for lines this scanner accepts, with the same spans and values.
import type { EnvelopeKind, FlowFormat, FlowRecord, UnparsedLine } from './types';
import {
  V_IP,
  checkValue,
  compileFormat,
  INVALID,
  invalidReason,
  valueUnits,
  type CompiledFormat,
  type Units,
  unitsOf,
} from './validate';

const MAX_TEXT = 200;

/**
 * What the scanners return for a record whose flow fields are all valid but where at least one best-effort
 * metadata value (an id, a Region, an AZ id, ...) failed its check: the record is kept, the value flagged.
 * `undefined` is a clean record; any other string is the reason the line is not a record.
 */
export const FLAGGED = '';

/** Truncate untrusted text for an UnparsedLine. */
export function clipText(text: string): string {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

/**
 * The record scanner. One pass over the line [a, b) of `u` tokenises it on runs of spaces and tabs, validates
 * each field as it goes (compiled format `cf`) and reads each validated field's value (see valueUnits) into
 * `vals[k]` (-1 for `-`). Spans go to `spans[base + 2k]`, `spans[base + 2k + 1]` as offsets in `u` minus `rel`.
 * Returns undefined for a clean record, FLAGGED for a record with a failed metadata value, the reason the
 * line is not a record, or null when the line holds a unit >= 128 and `text` is null (bytes that are not ASCII:
 * the caller decodes them and scans the text instead). `text`, when given, is the line as a string, with
 * offsets those of `u` minus `rel`: the reason quotes it. No regex, no allocation.
 * The unit at `b` must be the line's CR or LF (or b = u.length): the loops use it as their stop sign.
 */
export function scanUnits(
  u: Units,
  a: number,
  b: number,
  rel: number,
  cf: CompiledFormat,
  fields: readonly string[],
  spans: Int32Array,
  base: number,
  vals: Float64Array,
  text: string | null,
): string | undefined | null {
  const n = cf.n;
  const codes = cf.codes;
  const maxDigits = cf.maxDigits;
  const bytes = text === null;
  let count = 0;
  let bad = -1;
  let flagged = false;
  let i = a;
  for (;;) {
    let c = 0;
    while ((c = u[i]!) === 32 || c === 9) i++;
    if (i >= b) break;
    const s = i;
    if (count >= n || bad >= 0) {
      // Past the format's fields, or the line is already invalid: only count the tokens.
      for (; i < b && (c = u[i]!) !== 32 && c !== 9; i++) if (c >= 128 && bytes) return null;
      count++;
      continue;
    }
    const code = codes[count]!;
    let v = -1;
    let read = false;
    if (maxDigits[count]! > 0) {
      // A number: read the digits as the token is scanned.
      // The first 9 digits in int32 arithmetic (a short dependency chain), any further ones in doubles.
      let xi = 0;
      while ((c = u[i]!) >= 48 && c <= 57 && i - s < 9) {
        xi = (xi * 10 + (c - 48)) | 0;
        i++;
      }
      let x = xi;
      if (c >= 48 && c <= 57) {
        while ((c = u[i]!) >= 48 && c <= 57) {
          x = x * 10 + (c - 48);
          i++;
        }
      }
      if (i > s && (i >= b || c === 32 || c === 9)) {
        const len = i - s;
        v = len <= maxDigits[count]! && x <= cf.maxValue[count]! ? (len > 16 ? -1 : x) : INVALID;
        read = true;
      }
    } else if (code === V_IP) {
      // An IPv4 address, read as the token is scanned (anything else: the general check below).
      let acc = 0;
      let parts = 0;
      let digits = 0;
      let x = 0;
      let ok = true;
      for (;;) {
        c = u[i]!;
        if (c >= 48 && c <= 57) {
          if (++digits > 3) ok = false;
          x = x * 10 + (c - 48);
        } else if (c === 46) {
          if (digits === 0 || x > 255 || parts === 3) ok = false;
          acc = acc * 256 + x;
          parts++;
          digits = 0;
          x = 0;
        } else break;
        i++;
      }
      if (ok && (i >= b || c === 32 || c === 9) && parts === 3 && digits > 0 && x <= 255) {
        v = acc * 256 + x;
        read = true;
      }
    }
    if (!read) {
      // Token units are > 32 but for control characters, which take the careful loop (as do non-ASCII ones).
      while ((c = u[i]!) > 32 && c < 128) i++;
      if (i < b && c !== 32 && c !== 9)
        for (; i < b && (c = u[i]!) !== 32 && c !== 9; i++) if (c >= 128 && bytes) return null;
      if (code !== 0) v = i - s === 1 && u[s] === 45 ? -1 : valueUnits(code, u, s, i); // '-' = absent
    }
    spans[base + (count << 1)] = s - rel;
    spans[base + (count << 1) + 1] = i - rel;
    if (v === INVALID) {
      // A flow field's bad value rejects the line; a metadata value is flagged and read as absent.
      if (cf.strict[count]) bad = count;
      else {
        flagged = true;
        v = -1;
      }
    }
    vals[count] = v;
    count++;
  }
  if (count !== n) return `expected ${n} field${n === 1 ? '' : 's'}, found ${count}`;
  if (bad >= 0) {
    const at = base + (bad << 1);
    const [x, y] = [spans[at]!, spans[at + 1]!];
    return invalidReason(
      fields[bad] ?? `#${bad + 1}`,
      codes[bad]!,
      text !== null ? text.slice(x, y) : asciiText(u, x + rel, y + rel),
    );
  }
  return flagged ? FLAGGED : undefined;
}

/** Values nobody reads (the string and ASCII entry points). */
let unreadVals = new Float64Array(64);

function scratchVals(n: number): Float64Array {
  if (unreadVals.length < n) unreadVals = new Float64Array(Math.max(n, unreadVals.length * 2));
  return unreadVals;
}

/**
 * Tokenise `text` on runs of spaces/tabs into `spans` (pairs of [start, end) offsets) and validate each value
 * against the compiled format: scanUnits over the string's code units. Returns undefined for a clean record,
 * FLAGGED, or the reason the line is not a record. Spans are written at `spans[base..base + 2n)`.
 */
export function scanRecord(
  text: string,
  cf: CompiledFormat,
  fields: readonly string[],
  spans: Int32Array,
  base = 0,
): string | undefined {
  const u = unitsOf(text, 0, text.length);
  return scanUnits(u, 0, text.length, 0, cf, fields, spans, base, scratchVals(cf.n), text) ?? undefined;
}

/**
 * scanUnits over the bytes [a, b) of an ASCII line (byte offsets = UTF-16 offsets). Spans are relative to `a`.
 * `lineText` is the same line as a string (the reason quotes it).
 */
export function scanRecordBytes(
  u8: Uint8Array,
  a: number,
  b: number,
  cf: CompiledFormat,
  fields: readonly string[],
  spans: Int32Array,
  base: number,
  lineText: string,
): string | undefined {
  return scanUnits(u8, a, b, a, cf, fields, spans, base, scratchVals(cf.n), lineText) ?? undefined;
}

/**
 * scanUnits over the line [a, b) of a byte chunk, keeping the values: spans go to `spans[0..2n)` as offsets in
 * the chunk, each validated field's value to `vals[k]` (-1 for `-`). Returns null when the line holds a byte
 * >= 128 (the caller decodes it and parses the text instead).
 */
export function scanRecordValues(
  u8: Uint8Array,
  a: number,
  b: number,
  cf: CompiledFormat,
  fields: readonly string[],
  spans: Int32Array,
  vals: Float64Array,
): string | undefined | null {
  return scanUnits(u8, a, b, 0, cf, fields, spans, 0, vals, null);
}

/** The characters of ASCII bytes [s, e). */
export function asciiText(u8: Units, s: number, e: number): string {
  const n = e - s;
  if (n <= 64) {
    // Short (addresses, ids): from a plain array, cheaper than a typed-array view per call.
    const codes = new Array<number>(n);
    for (let k = 0; k < n; k++) codes[k] = u8[s + k]!;
    return String.fromCharCode.apply(null, codes);
  }
  let out = '';
  for (let i = s; i < e; i += 4096) {
    out += String.fromCharCode.apply(null, u8.subarray(i, Math.min(e, i + 4096)) as unknown as number[]);
  }
  return out;
}

/** Parse one record line with a known format. Never throws. `offset`/`envelope` describe where the text sits. */
export function parseRecordLine(
  text: string,
  format: FlowFormat,
  line: number,
  offset = 0,
  envelope: EnvelopeKind = 'plain',
): FlowRecord | UnparsedLine {
  const cf = compileFormat(format);
  const spans = new Int32Array(cf.n * 2);
  const reason = scanRecord(text, cf, format.fields, spans);
  if (reason !== undefined && reason !== FLAGGED) return { line, reason, text: clipText(text), envelope };
  return { line, text, offset, envelope, format, spans };
}

/** A best-effort metadata value of a record that failed its check: kept, and shown as a warning. */
export interface FieldWarning {
  /** Field position in the record's format. */
  readonly index: number;
  readonly name: string;
  /** e.g. "field tgw-src-az-id: 'us-east-1a' is not an Availability Zone ID". Contains log text: untrusted. */
  readonly reason: string;
}

const NO_WARNINGS: readonly FieldWarning[] = Object.freeze([]);

/**
 * The metadata values of a scanned line (`spans` as the scanners write them) that fail their checks, at most
 * `max` of them; flow fields are not looked at (a record's always pass). No allocation when none fails.
 */
export function failedMetadata(
  text: string,
  spans: Int32Array,
  cf: CompiledFormat,
  fields: readonly string[],
  max = Infinity,
): readonly FieldWarning[] {
  if (!cf.lenient) return NO_WARNINGS;
  let out: FieldWarning[] | undefined;
  for (let k = 0; k < cf.n; k++) {
    const code = cf.codes[k]!;
    if (code === 0 || cf.strict[k]) continue;
    const a = spans[k * 2]!;
    const b = spans[k * 2 + 1]!;
    if (b - a === 1 && text.charCodeAt(a) === 45) continue;
    if (!checkValue(code, text, a, b)) {
      const name = fields[k]!;
      (out ??= []).push({ index: k, name, reason: invalidReason(name, code, text.slice(a, b)) });
      if (out.length >= max) break;
    }
  }
  return out ?? NO_WARNINGS;
}

/** The metadata values of a record that failed their checks (flow fields always pass in a record). */
export function metadataWarnings(rec: FlowRecord): readonly FieldWarning[] {
  return failedMetadata(rec.text, rec.spans, compileFormat(rec.format), rec.format.fields);
}

/** The first metadata value of a record that fails its check, or undefined. */
export function firstMetadataWarning(rec: FlowRecord): FieldWarning | undefined {
  return failedMetadata(rec.text, rec.spans, compileFormat(rec.format), rec.format.fields, 1)[0];
}

/** True for a FlowRecord, false for an UnparsedLine. */
export function isRecord(r: FlowRecord | UnparsedLine): r is FlowRecord {
  return (r as FlowRecord).spans !== undefined;
}

/** The raw token of field position `i` (`-` included); '' when out of range. */
export function fieldRaw(rec: FlowRecord, i: number): string {
  if (i < 0 || i * 2 + 1 >= rec.spans.length) return '';
  return rec.text.slice(rec.spans[i * 2], rec.spans[i * 2 + 1]);
}

/** The raw value of a named field, or undefined when the format lacks it or the value is `-`. */
export function fieldValue(rec: FlowRecord, name: string): string | undefined {
  const i = rec.format.index.get(name);
  if (i === undefined) return undefined;
  const a = rec.spans[i * 2]!;
  const b = rec.spans[i * 2 + 1]!;
  if (b - a === 1 && rec.text.charCodeAt(a) === 45) return undefined;
  return rec.text.slice(a, b);
}

/** A numeric field as a number (undefined when absent or not a number). */
export function fieldNumber(rec: FlowRecord, name: string): number | undefined {
  const v = fieldValue(rec, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export interface FieldSpan {
  readonly name: string;
  /** Raw token (`-` included). */
  readonly raw: string;
  /** UTF-16 offsets in the input LINE (record offset applied); -1 when the record text is not verbatim in the line. */
  readonly start: number;
  readonly end: number;
}

/** Every field of a record with its span in the input line (for hovers and labels). */
export function recordFields(rec: FlowRecord): FieldSpan[] {
  const out: FieldSpan[] = [];
  const fields = rec.format.fields;
  for (let i = 0; i < fields.length; i++) {
    const a = rec.spans[i * 2]!;
    const b = rec.spans[i * 2 + 1]!;
    out.push({
      name: fields[i]!,
      raw: rec.text.slice(a, b),
      start: rec.offset < 0 ? -1 : rec.offset + a,
      end: rec.offset < 0 ? -1 : rec.offset + b,
    });
  }
  return out;
}

/** The field whose token covers line column `col` (UTF-16), or undefined. */
export function fieldAt(rec: FlowRecord, col: number): FieldSpan | undefined {
  if (rec.offset < 0) return undefined;
  const c = col - rec.offset;
  const fields = rec.format.fields;
  for (let i = 0; i < fields.length; i++) {
    const a = rec.spans[i * 2]!;
    const b = rec.spans[i * 2 + 1]!;
    if (c >= a && c < b)
      return { name: fields[i]!, raw: rec.text.slice(a, b), start: rec.offset + a, end: rec.offset + b };
  }
  return undefined;
}

/** Start/end as Unix seconds (milliseconds are scaled down), or undefined. */
export function epochSeconds(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || raw === '') return undefined;
  return n > 99_999_999_999 ? Math.floor(n / 1000) : n;
}
