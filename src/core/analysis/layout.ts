// Where the analysis reads a record: field positions per format, the record's status, and the value
// normalisations every counter and every dashboard row share (times, ports, addresses). PURE: no vscode,
// no DOM, no Node built-ins. The analyzer's hot path and the row filter (rows.ts) both read records
// through these functions, so a row counts and selects the same records.

import type { FlowFormat, FlowRecord } from '../types';
import { fieldIndexes } from '../fields';
import { asciiText } from '../record';

// ---------------------------------------------------------------------------------------------------
// Field layout per format

export interface Layout {
  readonly action: number;
  readonly logStatus: number;
  readonly srcaddr: number;
  readonly dstaddr: number;
  readonly srcport: number;
  readonly dstport: number;
  readonly protocol: number;
  readonly packets: number;
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
  readonly region: number;
  readonly az: number;
  readonly vpc: number;
  readonly iface: number;
  readonly direction: number;
  readonly path: number;
}

/** The catalogue fields the analyzer reads, by Layout key (fieldIndexes checks each is a catalogue field). */
const LAYOUT_FIELDS: Readonly<Record<keyof Layout, string>> = Object.freeze({
  action: 'action',
  logStatus: 'log-status',
  srcaddr: 'srcaddr',
  dstaddr: 'dstaddr',
  srcport: 'srcport',
  dstport: 'dstport',
  protocol: 'protocol',
  packets: 'packets',
  bytes: 'bytes',
  start: 'start',
  end: 'end',
  region: 'region',
  az: 'az-id',
  vpc: 'vpc-id',
  iface: 'interface-id',
  direction: 'flow-direction',
  path: 'traffic-path',
});

/** The positions of the fields the analyzer reads in this format (-1 when absent), cached per format. */
export function layoutOf(format: FlowFormat): Layout {
  return fieldIndexes(format, LAYOUT_FIELDS);
}

// ---------------------------------------------------------------------------------------------------
// Span readers (no substrings)

/** Non-negative decimal integer in text[s, e), or -1 ('-', empty, not digits, or absurdly long). */
export function readUint(text: string, s: number, e: number): number {
  if (e <= s || e - s > 16) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** IPv4 dotted quad in text[s, e) as an unsigned 32-bit number, or -1. */
export function readIPv4(text: string, s: number, e: number): number {
  let acc = 0;
  let oct = 0;
  let digits = 0;
  let dots = 0;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      oct = oct * 10 + (c - 48);
      if (++digits > 3) return -1;
    } else if (c === 46) {
      if (digits === 0 || oct > 255 || dots === 3) return -1;
      acc = acc * 256 + oct;
      oct = 0;
      digits = 0;
      dots++;
    } else return -1;
  }
  if (dots !== 3 || digits === 0 || oct > 255) return -1;
  return acc * 256 + oct;
}

export function ipv4Text(n: number): string {
  return `${Math.floor(n / 16777216)}.${Math.floor(n / 65536) & 255}.${Math.floor(n / 256) & 255}.${n & 255}`;
}

/** 1 ACCEPT, 2 REJECT, 3 NODATA, 4 SKIPDATA, 0 anything else. */
export function statusOf(rec: FlowRecord, l: Layout): number {
  const text = rec.text;
  const sp = rec.spans;
  if (l.logStatus >= 0) {
    const s = sp[2 * l.logStatus]!;
    const len = sp[2 * l.logStatus + 1]! - s;
    const c = text.charCodeAt(s) | 32;
    if (len === 6 && c === 110 /* n */) return 3;
    if (len === 8 && c === 115 /* s */) return 4;
  }
  if (l.action >= 0) {
    const s = sp[2 * l.action]!;
    if (sp[2 * l.action + 1]! - s === 6) {
      const c = text.charCodeAt(s) | 32;
      if (c === 97 /* a */) return 1;
      if (c === 114 /* r */) return 2;
    }
  }
  return 0;
}

/**
 * Whether a protocol carries ports: TCP, UDP, SCTP, DCCP, UDP-Lite, or unknown (-1). ICMP and the rest
 * log 0 in srcport/dstport, which is not a port and is not counted or shown as one.
 */
export function hasPorts(proto: number): boolean {
  return proto === 6 || proto === 17 || proto === 132 || proto === 33 || proto === 136 || proto < 0;
}

/** Record statuses (statusOf): the section a record counts in. */
export const ACCEPTED = 1;
export const REJECTED = 2;
export const NODATA = 3;
export const SKIPDATA = 4;

/** A time field's value in Unix seconds: milliseconds (more than 11 digits) are divided down; -1 stays -1. */
export function seconds(t: number): number {
  return t > 99_999_999_999 ? Math.floor(t / 1000) : t;
}

/** The destination port a record counts under: -1 when absent, past 65535, or the protocol has no ports. */
export function countedPort(dport: number, proto: number): number {
  return dport > 65535 || !hasPorts(proto) ? -1 : dport;
}

/** A field value that counts as absent: empty or `-`. */
export function isAbsentText(s: string): boolean {
  return s.length === 0 || s === '-';
}

/** text[s, e), or the characters of the ASCII bytes u8[s, e) when u8 is not null. */
export function spanText(text: string, u8: Uint8Array | null, s: number, e: number): string {
  return u8 !== null ? asciiText(u8, s, e) : text.slice(s, e);
}

/** The text of field i (`-` when the format has no such field). */
export function fieldAt(text: string, u8: Uint8Array | null, sp: Int32Array, i: number): string {
  if (i < 0) return '-';
  return spanText(text, u8, sp[2 * i]!, sp[2 * i + 1]!);
}

/** Whether the span [s, e) of text (or of ASCII bytes u8 when not null) holds a value: not empty, not `-`. */
export function present(text: string, u8: Uint8Array | null, s: number, e: number): boolean {
  return e > s && !(e - s === 1 && (u8 !== null ? u8[s] : text.charCodeAt(s)) === 45);
}

/**
 * A FlowRecord from the fused path's bytes and spans (offsets in `bytes`, ascending by field): the record text
 * is the ASCII bytes from the first field's start to the last field's end.
 */
export function recordOfBytes(bytes: Uint8Array, spans: Int32Array, line: number, format: FlowFormat): FlowRecord {
  const n = format.fields.length;
  const s0 = n > 0 ? spans[0]! : 0;
  const e = n > 0 ? spans[2 * n - 1]! : 0;
  const sp = new Int32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) sp[i] = spans[i]! - s0;
  return { line, text: asciiText(bytes, s0, e), offset: 0, envelope: 'plain', format, spans: sp };
}
