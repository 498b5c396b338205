// The record scanner of the fused byte path, compiled to WebAssembly by AssemblyScript (`npm run build:wasm`
// writes src/core/wasmScanModule.ts). It reads one line of ASCII bytes in its own memory and, when the line is a
// record it can vouch for, writes the same field spans and values as scanRecordValues in src/core/record.ts.
// It never decides that a line is bad: anything it is not sure of (a field count other than the format's,
// a byte >= 128, an invalid value, an account id of `unknown`, a validator it does not know) returns 0 and the
// JavaScript scanner takes the line, reason and all. So the WebAssembly path can only be a faster way to
// the same result, which the unit tests check line by line against the JavaScript scanner.
//
// Memory layout (byte offsets), shared with src/core/wasmScan.ts:
//   CODES  u8[256]   validator code of each field (V in src/core/validate.ts)
//   MAXD   u8[256]   most digits of a numeric field, 0 for other fields
//   MAXV   f64[256]  largest value of a numeric field
//   SPANS  i32[512]  output: start and end offset of each field (absolute offsets in this memory)
//   VALS   f64[256]  output: value of each field, as valueBytes (-1 for `-` or no numeric value)
//   the line bytes from DATA on (the JavaScript side copies each chunk there)

const CODES: usize = 1024;
const MAXD: usize = 1280;
const MAXV: usize = 2048;
const SPANS: usize = 4096;
const VALS: usize = 8192;

// Validator codes handled here (V.Any, V.Ip, V.Action, V.LogStatus, V.Eni); numeric fields are known by MAXD > 0.
const ANY: u32 = 0;
const IP: u32 = 6;
const ACTION: u32 = 8;
const LOG_STATUS: u32 = 9;
const ENI: u32 = 19;

/** Whether the token [s, e) is exactly `-`. */
@inline
function isDash(s: usize, e: usize): bool {
  return e - s == 1 && load<u8>(s) == 45;
}

/** The end of the token starting at `i` (a space, a tab or `b`), or 0 when it holds a byte >= 128. */
@inline
function tokenEnd(i: usize, b: usize): usize {
  while (i < b) {
    const c = <u32>load<u8>(i);
    if (c == 32 || c == 9) break;
    if (c >= 128) return 0;
    i++;
  }
  return i;
}

/** Whether [s, e) shows a `:` before any `.` within its first five characters (valueBytes' IPv6 test). */
function ipv6Lead(s: usize, e: usize): bool {
  for (let i = s; i < e && i < s + 5; i++) {
    const c = load<u8>(i);
    if (c == 46) return false;
    if (c == 58) return true;
  }
  return false;
}

@inline
function isHex(c: u32): bool {
  return c - 48 <= 9 || (c | 32) - 97 <= 5;
}

/** isIPv4B of src/core/validate.ts: four dotted decimal parts of 1-3 digits, each at most 255. */
function isIPv4(a: usize, b: usize): bool {
  let parts = 0;
  let digits = 0;
  let v: u32 = 0;
  for (let i = a; i < b; i++) {
    const c = <u32>load<u8>(i);
    if (c == 46) {
      if (digits == 0 || v > 255) return false;
      parts++;
      digits = 0;
      v = 0;
    } else if (c - 48 <= 9) {
      if (++digits > 3) return false;
      v = v * 10 + (c - 48);
    } else return false;
  }
  return parts == 3 && digits > 0 && v <= 255;
}

/** isIPv6B of src/core/validate.ts: RFC 4291 text form, 8 groups or fewer with one `::`, maybe a dotted tail. */
function isIPv6(a: usize, b: usize): bool {
  if (b - a < 2 || b - a > 45) return false;
  let groups = 0;
  let compressed = false;
  let i = a;
  if (load<u8>(a) == 58) {
    if (load<u8>(a + 1) != 58) return false;
    compressed = true;
    i = a + 2;
    if (i == b) return true;
  }
  while (true) {
    const start = i;
    while (i < b && i - start < 5 && isHex(<u32>load<u8>(i))) i++;
    if (i < b && load<u8>(i) == 46) {
      if (!isIPv4(start, b)) return false;
      groups += 2;
      break;
    }
    const digits = i - start;
    if (digits == 0 || digits > 4) return false;
    groups++;
    if (i == b) break;
    if (load<u8>(i) != 58) return false;
    i++;
    if (i < b && load<u8>(i) == 58) {
      if (compressed) return false;
      compressed = true;
      i++;
      if (i == b) break;
    } else if (i == b) return false;
  }
  return compressed ? groups <= 7 : groups == 8;
}

/**
 * Scans the line [a, b) (b excludes the line's CR and LF) against the first `n` fields of the loaded
 * format. Returns 1 with SPANS and VALS written, or 0 when the JavaScript scanner must take the line.
 */
export function scan(a: usize, b: usize, n: i32): i32 {
  let i = a;
  let count = 0;
  while (true) {
    let c: u32 = 0;
    while (i < b) {
      c = <u32>load<u8>(i);
      if (c != 32 && c != 9) break;
      i++;
    }
    if (i >= b) break;
    if (count >= n) return 0;
    const s = i;
    const code = <u32>load<u8>(CODES + <usize>count);
    const maxd = <u32>load<u8>(MAXD + <usize>count);
    let v: f64 = -1;
    let read = false;
    if (maxd > 0) {
      // Digits, read as they are scanned, in 64-bit integers (a short dependency chain). Up to 16 digits,
      // converting the exact integer rounds once, as the JavaScript scanner's double arithmetic does (only
      // its last step can round); longer numbers give -1 there too, and overflow here is never read.
      let xi: u64 = 0;
      while (i < b) {
        c = <u32>load<u8>(i);
        if (c - 48 > 9) break;
        xi = xi * 10 + <u64>(c - 48);
        i++;
      }
      if (i > s && (i >= b || c == 32 || c == 9)) {
        const len = <u32>(i - s);
        if (len > maxd) return 0;
        if (len <= 16) {
          const x = <f64>xi;
          if (x > load<f64>(MAXV + (<usize>count << 3))) return 0;
          v = x;
        }
        read = true;
      }
    } else if (code == IP) {
      // An IPv4 address (anything else: `-`, or the JavaScript scanner).
      let acc: u32 = 0;
      let parts = 0;
      let digits = 0;
      let x: u32 = 0;
      let ok = true;
      while (i < b) {
        c = <u32>load<u8>(i);
        if (c - 48 <= 9) {
          if (++digits > 3) ok = false;
          else x = x * 10 + (c - 48);
        } else if (c == 46) {
          if (digits == 0 || x > 255 || parts == 3) ok = false;
          acc = (acc << 8) | x;
          parts++;
          digits = 0;
          x = 0;
        } else break;
        i++;
      }
      if (ok && (i >= b || c == 32 || c == 9) && parts == 3 && digits > 0 && x <= 255) {
        v = <f64>((acc << 8) | x);
        read = true;
      }
    }
    if (!read) {
      i = tokenEnd(i, b);
      if (i == 0) return 0;
      if (isDash(s, i)) v = -1;
      else if (code == IP) {
        // As valueBytes: a `:` before any `.` in the first five characters makes it an IPv6 candidate.
        if (!ipv6Lead(s, i) || !isIPv6(s, i)) return 0;
        v = -1;
      } else if (maxd > 0) return 0;
      else if (code == ANY) v = -1;
      else if (code == ACTION) {
        // ACCEPT 1, REJECT 2: compared as one 32-bit and one 16-bit little-endian load.
        if (i - s != 6) return 0;
        const w = load<u32>(s);
        const t = <u32>load<u16>(s + 4);
        if (w == 0x45434341 && t == 0x5450) v = 1;
        else if (w == 0x454a4552 && t == 0x5443) v = 2;
        else return 0;
      } else if (code == LOG_STATUS) {
        // OK 0, NODATA 3, SKIPDATA 4.
        const len = i - s;
        if (len == 2 && <u32>load<u16>(s) == 0x4b4f) v = 0;
        else if (len == 6 && load<u32>(s) == 0x4144_4f4e && <u32>load<u16>(s + 4) == 0x4154) v = 3;
        else if (len == 8 && load<u64>(s) == 0x4154_4144_5049_4b53) v = 4;
        else return 0;
      } else if (code == ENI) {
        // `eni-` (one 32-bit little-endian load), then at least one more character.
        if (i - s < 5 || load<u32>(s) != 0x2d696e65) return 0;
        v = -1;
      } else return 0;
    }
    store<i32>(SPANS + (<usize>count << 3), <i32>s);
    store<i32>(SPANS + (<usize>count << 3) + 4, <i32>i);
    store<f64>(VALS + (<usize>count << 3), v);
    count++;
  }
  return count == n ? 1 : 0;
}
