// Per-field value checks, read from the field catalogue (fields.ts: which validator a field has, whether it is a
// flow field) and the validator declarations (validators.ts: limits, enum words, id prefixes). One implementation
// over code units (`Units`), used for bytes and strings alike (see `unitsOf`); no regex, no allocation. PURE.
import { FIELD_LIST, fieldDef } from './fields';
import type { FlowFormat } from './types';
import { V, VALIDATORS, validatorDef, type Shape } from './validators';

export { V } from './validators';

/**
 * A line (or value) as code units, one byte each: the bytes of an ASCII line, or a string's UTF-16 code units with
 * those above 255 read as 255 (every check compares ASCII only, so any non-ASCII unit fails or passes alike).
 * One element type keeps the scanner's loads monomorphic.
 */
export type Units = Uint8Array;

/**
 * The flow fields (catalogue entries with `flow`): a record whose value of one of these fails its check is not a
 * record (an unparsed line with the reason). Every other field is best-effort metadata, as AWS describes it: a
 * value that fails its check keeps the record and is flagged (see `metadataWarnings` in record.ts).
 */
export const FLOW_FIELDS: ReadonlySet<string> = new Set(FIELD_LIST.filter((d) => d.flow).map((d) => d.name));

/** Whether a bad value of this field makes the line unparsed (flow fields) or is only flagged (metadata). */
export function isStrictField(name: string): boolean {
  return fieldDef(name)?.flow === true;
}

/** The validator of a field (fields not in the catalogue accept any token). */
export function validatorOf(name: string): V {
  return fieldDef(name)?.check ?? V.Any;
}

export interface CompiledFormat {
  readonly n: number;
  readonly codes: Uint8Array;
  /**
   * Numeric fields (digits only): the most digits allowed, 0 for other fields; and the largest value.
   * Used by the scanner to read a number while it tokenises (same rule as checkUnits/valueUnits).
   */
  readonly maxDigits: Uint8Array;
  readonly maxValue: Float64Array;
  /** 1 where a failed check rejects the line (a flow field), 0 where it only flags the value (metadata). */
  readonly strict: Uint8Array;
  /** Whether any field with a check is metadata (the scanners then may flag values). */
  readonly lenient: boolean;
}

const compiled = new WeakMap<FlowFormat, CompiledFormat>();

export function compileFormat(format: FlowFormat): CompiledFormat {
  let c = compiled.get(format);
  if (!c) {
    const n = format.fields.length;
    const codes = new Uint8Array(n);
    const maxDigits = new Uint8Array(n);
    const maxValue = new Float64Array(n);
    const strict = new Uint8Array(n);
    let lenient = false;
    format.fields.forEach((name, i) => {
      const code = validatorOf(name);
      codes[i] = code;
      if (isStrictField(name)) strict[i] = 1;
      else if (code !== V.Any) lenient = true;
      maxDigits[i] = DIGITS[code]!;
      maxValue[i] = MAX[code]!;
    });
    c = { n, codes, maxDigits, maxValue, strict, lenient };
    compiled.set(format, c);
  }
  return c;
}

// ------------------------------------------------------------------------------ the validators as arrays

const enum S {
  Any,
  Digits,
  Words,
  Ip,
  Region,
  Az,
  Prefix,
}

const SHAPE_OF: Readonly<Record<Shape, S>> = {
  any: S.Any,
  digits: S.Digits,
  words: S.Words,
  ip: S.Ip,
  regionCode: S.Region,
  az: S.Az,
  prefix: S.Prefix,
};
/** Per validator code: its shape, digit limits, words (with their values) and id prefixes. */
const SHAPE = Uint8Array.from(VALIDATORS.map((d) => SHAPE_OF[d.shape]));
const DIGITS = Uint8Array.from(VALIDATORS.map((d) => d.digits ?? 0));
const MAX = Float64Array.from(VALIDATORS.map((d) => d.max ?? 0));
const WORDS: readonly (readonly string[])[] = VALIDATORS.map((d) => d.words ?? []);
const WORD_VALUES: readonly (readonly number[])[] = VALIDATORS.map((d) => d.wordValues ?? []);
const PREFIX: readonly string[] = VALIDATORS.map((d) => d.prefix ?? '');
const NOT_PREFIX: readonly string[] = VALIDATORS.map((d) => d.notPrefix ?? '');

// ------------------------------------------------------------------------------ checks over code units

/** Digits only, value <= max (max < 2^53 or Infinity). Empty -> false. */
function uintAtMost(s: Units, a: number, b: number, max: number, maxLen: number): boolean {
  const len = b - a;
  if (len === 0 || len > maxLen) return false;
  let v = 0;
  for (let i = a; i < b; i++) {
    const d = s[i]! - 48;
    if (d < 0 || d > 9) return false;
    v = v * 10 + d;
  }
  return v <= max;
}

function eq(s: Units, a: number, b: number, word: string): boolean {
  if (b - a !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (s[a + i] !== word.charCodeAt(i)) return false;
  return true;
}

/** The position of [a, b) in `words`, or -1. */
function wordIndex(s: Units, a: number, b: number, words: readonly string[]): number {
  for (let k = 0; k < words.length; k++) if (eq(s, a, b, words[k]!)) return k;
  return -1;
}

function startsWith(s: Units, a: number, b: number, p: string): boolean {
  return b - a >= p.length && eq(s, a, a + p.length, p);
}

export function isIPv4Units(s: Units, a: number, b: number): boolean {
  return ipv4Value(s, a, b) !== INVALID;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** RFC 4291 text form: 8 groups, or fewer with one `::`; the last 32 bits may be dotted IPv4. */
export function isIPv6Units(s: Units, a: number, b: number): boolean {
  if (b - a < 2 || b - a > 45) return false;
  let groups = 0;
  let compressed = false;
  let i = a;
  if (s[a] === 58) {
    if (s[a + 1] !== 58) return false;
    compressed = true;
    i = a + 2;
    if (i === b) return true;
  }
  for (;;) {
    const start = i;
    while (i < b && i - start < 5 && isHex(s[i]!)) i++;
    if (i < b && s[i] === 46) {
      if (!isIPv4Units(s, start, b)) return false;
      groups += 2;
      break;
    }
    const digits = i - start;
    if (digits === 0 || digits > 4) return false;
    groups++;
    if (i === b) break;
    if (s[i] !== 58) return false;
    i++;
    if (i < b && s[i] === 58) {
      if (compressed) return false;
      compressed = true;
      i++;
      if (i === b) break;
    } else if (i === b) return false;
  }
  return compressed ? groups <= 7 : groups === 8;
}

/** 4 for an IPv4 candidate (a '.' within the first 4 characters), 6 for IPv6 (a ':' within 5), else 0. */
function ipFamily(s: Units, a: number, b: number): number {
  for (let i = a; i < b && i < a + 5; i++) {
    const c = s[i];
    if (c === 46) return 4;
    if (c === 58) return 6;
  }
  return 0;
}

/** Lower-case letters, digits and hyphens; starts with a letter. The number of hyphens, or -1. */
function lowerSlug(s: Units, a: number, b: number): number {
  let hyphens = 0;
  const c0 = s[a]!;
  if (!(c0 >= 97 && c0 <= 122)) return -1;
  for (let i = a; i < b; i++) {
    const c = s[i]!;
    if (c === 45) hyphens++;
    else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return -1;
  }
  return hyphens;
}

function isRegion(s: Units, a: number, b: number): boolean {
  if (b - a < 5 || b - a > 30) return false;
  const last = s[b - 1]!;
  return last >= 48 && last <= 57 && lowerSlug(s, a, b) >= 2;
}

function isAz(s: Units, a: number, b: number): boolean {
  if (b - a < 6 || b - a > 40) return false;
  if (lowerSlug(s, a, b) < 1) return false;
  // ends with -az<digits>
  let i = b - 1;
  while (i > a && s[i]! >= 48 && s[i]! <= 57) i--;
  return i < b - 1 && i - 2 > a && s[i] === 122 && s[i - 1] === 97 && s[i - 2] === 45;
}

/** True when [a, b) of `s` is a valid value for validator `code` ('-' is handled by the caller). */
export function checkUnits(code: number, s: Units, a: number, b: number): boolean {
  switch (SHAPE[code]) {
    case S.Digits:
      return (
        uintAtMost(s, a, b, MAX[code]!, DIGITS[code]!) ||
        (WORDS[code]!.length > 0 && wordIndex(s, a, b, WORDS[code]!) >= 0)
      );
    case S.Words:
      return wordIndex(s, a, b, WORDS[code]!) >= 0;
    case S.Ip: {
      const fam = ipFamily(s, a, b);
      return fam === 4 ? isIPv4Units(s, a, b) : fam === 6 && isIPv6Units(s, a, b);
    }
    case S.Region:
      return isRegion(s, a, b);
    case S.Az:
      return isAz(s, a, b);
    case S.Prefix: {
      const p = PREFIX[code]!;
      const not = NOT_PREFIX[code]!;
      return (
        b - a > p.length && startsWith(s, a, b, p) && !(not !== '' && b - a > not.length && startsWith(s, a, b, not))
      );
    }
    default:
      return true;
  }
}

// ------------------------------------------------------------------------------ values (the fused scan)

/** The address validator code, for modules that read codes (V is a const enum). */
export const V_IP: number = V.Ip;

/** valueUnits: the value is not valid for its field. */
export const INVALID = -2;

/** IPv4 dotted quad as an unsigned 32-bit number, or INVALID. */
function ipv4Value(s: Units, a: number, b: number): number {
  let acc = 0;
  let parts = 0;
  let digits = 0;
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = s[i]!;
    if (c === 46) {
      if (digits === 0 || v > 255 || parts === 3) return INVALID;
      acc = acc * 256 + v;
      parts++;
      digits = 0;
      v = 0;
    } else if (c >= 48 && c <= 57) {
      if (++digits > 3) return INVALID;
      v = v * 10 + (c - 48);
    } else return INVALID;
  }
  return parts === 3 && digits > 0 && v <= 255 ? acc * 256 + v : INVALID;
}

/**
 * checkUnits that also returns the value the analysis reads (the caller handles `-`): INVALID when
 * checkUnits would be false; otherwise
 * - numeric fields (version, counts, ports, protocol, times, flags, traffic path, encryption status) and
 *   account ids: the number, or -1 for a number longer than 16 digits (past exact doubles: the analysis
 *   treats it as absent) and for a word such as the account id `unknown`;
 * - addresses: an IPv4 address as an unsigned 32-bit number, -1 for IPv6;
 * - enum words: the validator's `wordValues` (action: 1 ACCEPT, 2 REJECT; log-status: 0 OK, 3 NODATA,
 *   4 SKIPDATA), -1 for validators without them;
 * - anything else: -1.
 */
export function valueUnits(code: number, s: Units, a: number, b: number): number {
  switch (SHAPE[code]) {
    case S.Digits: {
      const len = b - a;
      let v = 0;
      let digits = len > 0 && len <= DIGITS[code]!;
      for (let i = a; digits && i < b; i++) {
        const d = s[i]! - 48;
        if (d < 0 || d > 9) digits = false;
        else v = v * 10 + d;
      }
      if (digits) return v <= MAX[code]! ? (len > 16 ? -1 : v) : INVALID;
      return WORDS[code]!.length > 0 && wordIndex(s, a, b, WORDS[code]!) >= 0 ? -1 : INVALID;
    }
    case S.Words: {
      const k = wordIndex(s, a, b, WORDS[code]!);
      return k < 0 ? INVALID : (WORD_VALUES[code]![k] ?? -1);
    }
    case S.Ip: {
      const fam = ipFamily(s, a, b);
      return fam === 4 ? ipv4Value(s, a, b) : fam === 6 && isIPv6Units(s, a, b) ? -1 : INVALID;
    }
    default:
      return checkUnits(code, s, a, b) ? -1 : INVALID;
  }
}

// ------------------------------------------------------------------------------ strings

let scratch = new Uint8Array(256);
const encoder = new TextEncoder();

/**
 * The code units of s[a, b) at [0, b - a) of a reused buffer (those above 255 as 255), followed by a LF (the
 * scanner's stop sign).
 */
export function unitsOf(s: string, a: number, b: number): Units {
  const n = b - a;
  if (n >= scratch.length) scratch = new Uint8Array(Math.max(n + 1, scratch.length * 2));
  const u = scratch;
  // ASCII text (UTF-8 of as many bytes as characters) is copied natively; anything else unit by unit.
  const whole = a === 0 && b === s.length;
  const r = whole ? encoder.encodeInto(s, u) : undefined;
  if (r === undefined || r.read !== n || r.written !== n) {
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(a + i);
      u[i] = c < 256 ? c : 255;
    }
  }
  u[n] = 10;
  return u;
}

/** True when text[a,b) is a valid value for validator `code` ('-' is handled by the caller). */
export function checkValue(code: number, s: string, a: number, b: number): boolean {
  return checkUnits(code, unitsOf(s, a, b), 0, b - a);
}

export function isIPv4(s: string, a: number, b: number): boolean {
  return isIPv4Units(unitsOf(s, a, b), 0, b - a);
}

export function isIPv6(s: string, a: number, b: number): boolean {
  return isIPv6Units(unitsOf(s, a, b), 0, b - a);
}

function clip(v: string): string {
  return v.length > 40 ? v.slice(0, 40) + '…' : v;
}

/** "field dstport: 'abc' is not a port" */
export function invalidReason(name: string, code: number, value: string): string {
  return `field ${name}: '${clip(value)}' is not ${validatorDef(code).what}`;
}

/** Validate one raw value for a field; returns a reason, or undefined when valid (`-` is always valid). */
export function validateFieldValue(name: string, raw: string): string | undefined {
  if (raw === '-') return undefined;
  const code = validatorOf(name);
  return checkValue(code, raw, 0, raw.length) ? undefined : invalidReason(name, code, raw);
}
