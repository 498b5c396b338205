// Cheap per-field value checks on a slice of a line (charCodeAt scanning, no regex, no allocation). PURE.
import { DEFAULT_V2_FIELDS } from './format';
import type { FlowFormat } from './types';

/** Validator codes: one per field position of a compiled format. */
export const enum V {
  Any = 0,
  Version,
  Long,
  Port,
  Protocol,
  Epoch,
  Ip,
  Account,
  Action,
  LogStatus,
  Type,
  Direction,
  Sublocation,
  TcpFlags,
  TrafficPath,
  Encryption,
  Region,
  Az,
  Arn,
  /** AWS resource ids: the prefix, then at least one character (`eni-0a1b…`). */
  Eni,
  VpcId,
  SubnetId,
  InstanceId,
  TgwId,
  TgwAttach,
}

/** The prefix of each resource-id validator. */
const ID_PREFIX: Partial<Record<V, string>> = {
  [V.Eni]: 'eni-',
  [V.VpcId]: 'vpc-',
  [V.SubnetId]: 'subnet-',
  [V.InstanceId]: 'i-',
  [V.TgwId]: 'tgw-',
  [V.TgwAttach]: 'tgw-attach-',
};

const CODE_BY_FIELD: Record<string, V> = {
  version: V.Version,
  'account-id': V.Account,
  srcaddr: V.Ip,
  dstaddr: V.Ip,
  'pkt-srcaddr': V.Ip,
  'pkt-dstaddr': V.Ip,
  srcport: V.Port,
  dstport: V.Port,
  protocol: V.Protocol,
  packets: V.Long,
  bytes: V.Long,
  start: V.Epoch,
  end: V.Epoch,
  action: V.Action,
  'log-status': V.LogStatus,
  type: V.Type,
  'flow-direction': V.Direction,
  'sublocation-type': V.Sublocation,
  'tcp-flags': V.TcpFlags,
  'traffic-path': V.TrafficPath,
  'encryption-status': V.Encryption,
  region: V.Region,
  'az-id': V.Az,
  'next-hop-az-id': V.Az,
  'tgw-src-az-id': V.Az,
  'tgw-dst-az-id': V.Az,
  'tgw-src-vpc-account-id': V.Account,
  'tgw-dst-vpc-account-id': V.Account,
  'packets-lost-no-route': V.Long,
  'packets-lost-blackhole': V.Long,
  'packets-lost-mtu-exceeded': V.Long,
  'packets-lost-ttl-expired': V.Long,
  'ecs-cluster-arn': V.Arn,
  'ecs-container-instance-arn': V.Arn,
  'ecs-task-definition-arn': V.Arn,
  'ecs-task-arn': V.Arn,
  'interface-id': V.Eni,
  'vpc-id': V.VpcId,
  'subnet-id': V.SubnetId,
  'instance-id': V.InstanceId,
  'next-hop-interface-id': V.Eni,
  'next-hop-subnet-id': V.SubnetId,
  'next-hop-vpc-id': V.VpcId,
  'tgw-id': V.TgwId,
  'tgw-attachment-id': V.TgwAttach,
  'tgw-pair-attachment-id': V.TgwAttach,
  'tgw-src-vpc-id': V.VpcId,
  'tgw-dst-vpc-id': V.VpcId,
  'tgw-src-subnet-id': V.SubnetId,
  'tgw-dst-subnet-id': V.SubnetId,
  'tgw-src-eni': V.Eni,
  'tgw-dst-eni': V.Eni,
};

/**
 * The flow fields: a record whose value of one of these fails its check is not a record (an unparsed line
 * with the reason). Every other field is best-effort metadata, as AWS describes it: a value that fails its
 * check keeps the record and is flagged (see `metadataWarnings` in record.ts).
 */
export const FLOW_FIELDS: ReadonlySet<string> = new Set(
  // The default format's fields but its three metadata ones: addresses, ports, protocol, counts, times,
  // action and log-status.
  DEFAULT_V2_FIELDS.filter((f) => f !== 'version' && f !== 'account-id' && f !== 'interface-id'),
);

/** Whether a bad value of this field makes the line unparsed (flow fields) or is only flagged (metadata). */
export function isStrictField(name: string): boolean {
  return FLOW_FIELDS.has(name);
}

/** The validator of a field (fields not listed accept any token). */
export function validatorOf(name: string): V {
  return CODE_BY_FIELD[name] ?? V.Any;
}

export interface CompiledFormat {
  readonly n: number;
  readonly codes: Uint8Array;
  /**
   * Numeric fields (digits only): the most digits allowed, 0 for other fields; and the largest value.
   * Used by the fused scan to read a number while it tokenises (same rule as checkBytes/valueBytes).
   */
  readonly maxDigits: Uint8Array;
  readonly maxValue: Float64Array;
  /** 1 where a failed check rejects the line (a flow field), 0 where it only flags the value (metadata). */
  readonly strict: Uint8Array;
  /** Whether any field with a check is metadata (the scanners then may flag values). */
  readonly lenient: boolean;
}

/** Validators that take digits: [most digits, largest value] (an account id may also be `unknown`). */
const NUMERIC: Partial<Record<V, readonly [number, number]>> = {
  [V.Version]: [2, 99],
  [V.Account]: [12, Infinity],
  [V.Long]: [20, Infinity],
  [V.Port]: [5, 65535],
  [V.Protocol]: [3, 255],
  [V.Epoch]: [13, Infinity],
  [V.TcpFlags]: [3, 255],
  [V.TrafficPath]: [2, 99],
  [V.Encryption]: [1, 3],
};

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
      const num = NUMERIC[code];
      if (num) {
        maxDigits[i] = num[0];
        maxValue[i] = num[1];
      }
    });
    c = { n, codes, maxDigits, maxValue, strict, lenient };
    compiled.set(format, c);
  }
  return c;
}

/** Digits only, value <= max (max < 2^53). Empty -> false. */
function uintAtMost(s: string, a: number, b: number, max: number, maxLen: number): boolean {
  const len = b - a;
  if (len === 0 || len > maxLen) return false;
  let v = 0;
  for (let i = a; i < b; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    v = v * 10 + d;
  }
  return v <= max;
}

function allDigits(s: string, a: number, b: number, maxLen: number): boolean {
  const len = b - a;
  if (len === 0 || len > maxLen) return false;
  for (let i = a; i < b; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
  }
  return true;
}

function eq(s: string, a: number, b: number, word: string): boolean {
  if (b - a !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (s.charCodeAt(a + i) !== word.charCodeAt(i)) return false;
  return true;
}

export function isIPv4(s: string, a: number, b: number): boolean {
  let parts = 0;
  let digits = 0;
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || v > 255) return false;
      parts++;
      digits = 0;
      v = 0;
    } else if (c >= 48 && c <= 57) {
      if (++digits > 3) return false;
      v = v * 10 + (c - 48);
    } else return false;
  }
  return parts === 3 && digits > 0 && v <= 255;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** RFC 4291 text form: 8 groups, or fewer with one `::`; the last 32 bits may be dotted IPv4. */
export function isIPv6(s: string, a: number, b: number): boolean {
  if (b - a < 2 || b - a > 45) return false;
  let groups = 0;
  let compressed = false;
  let i = a;
  if (s.charCodeAt(a) === 58) {
    if (s.charCodeAt(a + 1) !== 58) return false;
    compressed = true;
    i = a + 2;
    if (i === b) return true;
  }
  for (;;) {
    const start = i;
    while (i < b && i - start < 5 && isHex(s.charCodeAt(i))) i++;
    if (i < b && s.charCodeAt(i) === 46) {
      if (!isIPv4(s, start, b)) return false;
      groups += 2;
      break;
    }
    const digits = i - start;
    if (digits === 0 || digits > 4) return false;
    groups++;
    if (i === b) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i < b && s.charCodeAt(i) === 58) {
      if (compressed) return false;
      compressed = true;
      i++;
      if (i === b) break;
    } else if (i === b) return false;
  }
  return compressed ? groups <= 7 : groups === 8;
}

function isIp(s: string, a: number, b: number): boolean {
  // IPv4 has a '.' within its first 4 characters; IPv6 a ':' within its first 5.
  for (let i = a; i < b && i < a + 5; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) return isIPv4(s, a, b);
    if (c === 58) return isIPv6(s, a, b);
  }
  return false;
}

/** Lower-case letters, digits and hyphens; starts with a letter. */
function lowerSlug(s: string, a: number, b: number): number {
  let hyphens = 0;
  const c0 = s.charCodeAt(a);
  if (!(c0 >= 97 && c0 <= 122)) return -1;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c === 45) hyphens++;
    else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return -1;
  }
  return hyphens;
}

function isRegion(s: string, a: number, b: number): boolean {
  if (b - a < 5 || b - a > 30) return false;
  const last = s.charCodeAt(b - 1);
  return last >= 48 && last <= 57 && lowerSlug(s, a, b) >= 2;
}

function isAz(s: string, a: number, b: number): boolean {
  if (b - a < 6 || b - a > 40) return false;
  if (lowerSlug(s, a, b) < 1) return false;
  // ends with -az<digits>
  let i = b - 1;
  while (i > a && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i--;
  return i < b - 1 && i - 2 > a && s.charCodeAt(i) === 122 && s.charCodeAt(i - 1) === 97 && s.charCodeAt(i - 2) === 45;
}

/** True when text[a,b) is a valid value for validator `code` ('-' is handled by the caller). */
export function checkValue(code: V, s: string, a: number, b: number): boolean {
  switch (code) {
    case V.Any:
      return true;
    case V.Version:
      return uintAtMost(s, a, b, 99, 2);
    case V.Long:
      return allDigits(s, a, b, 20);
    case V.Port:
      return uintAtMost(s, a, b, 65535, 5);
    case V.Protocol:
      return uintAtMost(s, a, b, 255, 3);
    case V.Epoch:
      return allDigits(s, a, b, 13);
    case V.Ip:
      return isIp(s, a, b);
    case V.Account:
      return allDigits(s, a, b, 12) || eq(s, a, b, 'unknown');
    case V.Action:
      return eq(s, a, b, 'ACCEPT') || eq(s, a, b, 'REJECT');
    case V.LogStatus:
      return eq(s, a, b, 'OK') || eq(s, a, b, 'NODATA') || eq(s, a, b, 'SKIPDATA');
    case V.Type:
      return eq(s, a, b, 'IPv4') || eq(s, a, b, 'IPv6') || eq(s, a, b, 'EFA');
    case V.Direction:
      return eq(s, a, b, 'ingress') || eq(s, a, b, 'egress');
    case V.Sublocation:
      return eq(s, a, b, 'wavelength') || eq(s, a, b, 'outpost') || eq(s, a, b, 'localzone');
    case V.TcpFlags:
      return uintAtMost(s, a, b, 255, 3);
    case V.TrafficPath:
      return uintAtMost(s, a, b, 99, 2);
    case V.Encryption:
      return uintAtMost(s, a, b, 3, 1);
    case V.Region:
      return isRegion(s, a, b);
    case V.Az:
      return isAz(s, a, b);
    case V.Arn:
      return b - a > 4 && eq(s, a, a + 4, 'arn:');
    default:
      return isId(s, a, b, ID_PREFIX[code] ?? '', code === V.TgwId);
  }
}

/** `prefix` then at least one more character (a `tgw-` id is not a `tgw-attach-` id). */
function isId(s: string, a: number, b: number, prefix: string, notAttach: boolean): boolean {
  const p = prefix.length;
  if (p === 0 || b - a <= p || !eq(s, a, a + p, prefix)) return false;
  return !(notAttach && b - a > 11 && eq(s, a, a + 11, 'tgw-attach-'));
}

function isIdB(s: Uint8Array, a: number, b: number, prefix: string, notAttach: boolean): boolean {
  const p = prefix.length;
  if (p === 0 || b - a <= p || !eqB(s, a, a + p, prefix)) return false;
  return !(notAttach && b - a > 11 && eqB(s, a, a + 11, 'tgw-attach-'));
}

const WHAT: Record<V, string> = {
  [V.Any]: 'a value',
  [V.Version]: 'a version number',
  [V.Long]: 'a count',
  [V.Port]: 'a port',
  [V.Protocol]: 'a protocol number (0-255)',
  [V.Epoch]: 'a Unix time',
  [V.Ip]: 'an IP address',
  [V.Account]: 'an account id',
  [V.Action]: 'ACCEPT or REJECT',
  [V.LogStatus]: 'OK, NODATA or SKIPDATA',
  [V.Type]: 'IPv4, IPv6 or EFA',
  [V.Direction]: 'ingress or egress',
  [V.Sublocation]: 'wavelength, outpost or localzone',
  [V.TcpFlags]: 'a TCP flag bitmask (0-255)',
  [V.TrafficPath]: 'a traffic path (1-8)',
  [V.Encryption]: 'an encryption status (0-3)',
  [V.Region]: 'a Region name',
  [V.Az]: 'an Availability Zone ID',
  [V.Arn]: 'an ARN',
  [V.Eni]: 'a network interface id (eni-…)',
  [V.VpcId]: 'a VPC id (vpc-…)',
  [V.SubnetId]: 'a subnet id (subnet-…)',
  [V.InstanceId]: 'an instance id (i-…)',
  [V.TgwId]: 'a transit gateway id (tgw-…)',
  [V.TgwAttach]: 'a transit gateway attachment id (tgw-attach-…)',
};

function clip(v: string): string {
  return v.length > 40 ? v.slice(0, 40) + '…' : v;
}

/** "field dstport: 'abc' is not a port" */
export function invalidReason(name: string, code: V, value: string): string {
  return `field ${name}: '${clip(value)}' is not ${WHAT[code]}`;
}

/** Validate one raw value for a field; returns a reason, or undefined when valid (`-` is always valid). */
export function validateFieldValue(name: string, raw: string): string | undefined {
  if (raw === '-') return undefined;
  const code = validatorOf(name);
  return checkValue(code, raw, 0, raw.length) ? undefined : invalidReason(name, code, raw);
}

// ---------------------------------------------------------------------------------------------
// The same checks over bytes (the ASCII fast path of the parser). Kept in step with the string versions
// above; the unit tests run every fixture through both paths.

function uintAtMostB(s: Uint8Array, a: number, b: number, max: number, maxLen: number): boolean {
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

function allDigitsB(s: Uint8Array, a: number, b: number, maxLen: number): boolean {
  const len = b - a;
  if (len === 0 || len > maxLen) return false;
  for (let i = a; i < b; i++) {
    const d = s[i]! - 48;
    if (d < 0 || d > 9) return false;
  }
  return true;
}

function eqB(s: Uint8Array, a: number, b: number, word: string): boolean {
  if (b - a !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (s[a + i] !== word.charCodeAt(i)) return false;
  return true;
}

function isIPv4B(s: Uint8Array, a: number, b: number): boolean {
  let parts = 0;
  let digits = 0;
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = s[i]!;
    if (c === 46) {
      if (digits === 0 || v > 255) return false;
      parts++;
      digits = 0;
      v = 0;
    } else if (c >= 48 && c <= 57) {
      if (++digits > 3) return false;
      v = v * 10 + (c - 48);
    } else return false;
  }
  return parts === 3 && digits > 0 && v <= 255;
}

function isIPv6B(s: Uint8Array, a: number, b: number): boolean {
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
      if (!isIPv4B(s, start, b)) return false;
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

function lowerSlugB(s: Uint8Array, a: number, b: number): number {
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

function isAzB(s: Uint8Array, a: number, b: number): boolean {
  if (b - a < 6 || b - a > 40) return false;
  if (lowerSlugB(s, a, b) < 1) return false;
  let i = b - 1;
  while (i > a && s[i]! >= 48 && s[i]! <= 57) i--;
  return i < b - 1 && i - 2 > a && s[i] === 122 && s[i - 1] === 97 && s[i - 2] === 45;
}

/** checkValue over bytes. */
export function checkBytes(code: V, s: Uint8Array, a: number, b: number): boolean {
  switch (code) {
    case V.Any:
      return true;
    case V.Version:
      return uintAtMostB(s, a, b, 99, 2);
    case V.Long:
      return allDigitsB(s, a, b, 20);
    case V.Port:
      return uintAtMostB(s, a, b, 65535, 5);
    case V.Protocol:
      return uintAtMostB(s, a, b, 255, 3);
    case V.Epoch:
      return allDigitsB(s, a, b, 13);
    case V.Ip: {
      // IPv4 has a '.' within its first 4 characters; IPv6 a ':' within its first 5.
      for (let i = a; i < b && i < a + 5; i++) {
        const c = s[i];
        if (c === 46) return isIPv4B(s, a, b);
        if (c === 58) return isIPv6B(s, a, b);
      }
      return false;
    }
    case V.Account:
      return allDigitsB(s, a, b, 12) || eqB(s, a, b, 'unknown');
    case V.Action:
      return eqB(s, a, b, 'ACCEPT') || eqB(s, a, b, 'REJECT');
    case V.LogStatus:
      return eqB(s, a, b, 'OK') || eqB(s, a, b, 'NODATA') || eqB(s, a, b, 'SKIPDATA');
    case V.Type:
      return eqB(s, a, b, 'IPv4') || eqB(s, a, b, 'IPv6') || eqB(s, a, b, 'EFA');
    case V.Direction:
      return eqB(s, a, b, 'ingress') || eqB(s, a, b, 'egress');
    case V.Sublocation:
      return eqB(s, a, b, 'wavelength') || eqB(s, a, b, 'outpost') || eqB(s, a, b, 'localzone');
    case V.TcpFlags:
      return uintAtMostB(s, a, b, 255, 3);
    case V.TrafficPath:
      return uintAtMostB(s, a, b, 99, 2);
    case V.Encryption:
      return uintAtMostB(s, a, b, 3, 1);
    case V.Region: {
      if (b - a < 5 || b - a > 30) return false;
      const last = s[b - 1]!;
      return last >= 48 && last <= 57 && lowerSlugB(s, a, b) >= 2;
    }
    case V.Az:
      return isAzB(s, a, b);
    case V.Arn:
      return b - a > 4 && eqB(s, a, a + 4, 'arn:');
    default:
      return isIdB(s, a, b, ID_PREFIX[code] ?? '', code === V.TgwId);
  }
}

// ---------------------------------------------------------------------------------------------
// Validation that also yields the value (the fused parse + analyze path): one pass over the bytes both
// checks a field and reads what the analysis needs from it, so nothing is parsed twice.

/** The address validator code, for modules that read codes (V is a const enum). */
export const V_IP: number = V.Ip;

/**
 * The non-numeric validators that wasm/scan.ts implements (any token, IPv4 or `-`, ACCEPT/REJECT, the log
 * statuses, the `eni-` prefix); numeric fields it knows by their digit limits. A format with any other validator is scanned
 * in JavaScript only.
 */
export const WASM_TEXT_CODES: ReadonlySet<number> = new Set<number>([V.Any, V.Ip, V.Action, V.LogStatus, V.Eni]);

/** The network-interface id validator code (wasm/scan.ts checks its `eni-` prefix). */
export const V_ENI: number = V.Eni;

/** valueBytes: the value is not valid for its field. */
export const INVALID = -2;

/** Digits only, value <= max: the value, or INVALID. */
function uintValueB(s: Uint8Array, a: number, b: number, max: number, maxLen: number): number {
  const len = b - a;
  if (len === 0 || len > maxLen) return INVALID;
  let v = 0;
  for (let i = a; i < b; i++) {
    const d = s[i]! - 48;
    if (d < 0 || d > 9) return INVALID;
    v = v * 10 + d;
  }
  return v <= max ? v : INVALID;
}

/** IPv4 dotted quad as an unsigned 32-bit number, or INVALID. */
function ipv4ValueB(s: Uint8Array, a: number, b: number): number {
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
 * checkBytes that also returns the value the analysis reads (the caller handles `-`): INVALID when
 * checkBytes would be false; otherwise
 * - numeric fields (version, counts, ports, protocol, times, flags, traffic path, encryption status) and
 *   account ids: the number, or -1 for a count longer than 16 digits (past exact doubles: the analysis
 *   treats it as absent) and for the account id `unknown`;
 * - addresses: an IPv4 address as an unsigned 32-bit number, -1 for IPv6;
 * - action: 1 ACCEPT, 2 REJECT; log-status: 0 OK, 3 NODATA, 4 SKIPDATA;
 * - anything else: -1.
 */
export function valueBytes(code: V, s: Uint8Array, a: number, b: number): number {
  switch (code) {
    case V.Version:
      return uintValueB(s, a, b, 99, 2);
    case V.Long: {
      const len = b - a;
      if (len === 0 || len > 20) return INVALID;
      let v = 0;
      for (let i = a; i < b; i++) {
        const d = s[i]! - 48;
        if (d < 0 || d > 9) return INVALID;
        v = v * 10 + d;
      }
      return len > 16 ? -1 : v;
    }
    case V.Port:
      return uintValueB(s, a, b, 65535, 5);
    case V.Protocol:
      return uintValueB(s, a, b, 255, 3);
    case V.Epoch:
      return uintValueB(s, a, b, Number.MAX_SAFE_INTEGER, 13);
    case V.Ip: {
      for (let i = a; i < b && i < a + 5; i++) {
        const c = s[i];
        if (c === 46) return ipv4ValueB(s, a, b);
        if (c === 58) return isIPv6B(s, a, b) ? -1 : INVALID;
      }
      return INVALID;
    }
    case V.Account: {
      const v = uintValueB(s, a, b, Number.MAX_SAFE_INTEGER, 12);
      return v !== INVALID ? v : eqB(s, a, b, 'unknown') ? -1 : INVALID;
    }
    case V.Action:
      if (b - a === 6) {
        if (eqB(s, a, b, 'ACCEPT')) return 1;
        if (eqB(s, a, b, 'REJECT')) return 2;
      }
      return INVALID;
    case V.LogStatus:
      return eqB(s, a, b, 'OK') ? 0 : eqB(s, a, b, 'NODATA') ? 3 : eqB(s, a, b, 'SKIPDATA') ? 4 : INVALID;
    case V.TcpFlags:
      return uintValueB(s, a, b, 255, 3);
    case V.TrafficPath:
      return uintValueB(s, a, b, 99, 2);
    case V.Encryption:
      return uintValueB(s, a, b, 3, 1);
    default:
      return checkBytes(code, s, a, b) ? -1 : INVALID;
  }
}
