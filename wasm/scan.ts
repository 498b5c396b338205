// The record scanner of the fused byte path, compiled to WebAssembly by AssemblyScript (`npm run build:wasm`
// writes src/core/wasmScanModule.ts). It reads one line of ASCII bytes in its own memory and, when the line is a
// record it can vouch for, writes the same field spans and values as scanRecordValues in src/core/record.ts.
// It never decides that a line is bad: anything it is not sure of (a field count other than the format's,
// a byte >= 128, an invalid value, an account id of `unknown`, a validator it does not know) returns 0 and the
// JavaScript scanner takes the line, reason and all. So the WebAssembly path can only be a faster way to
// the same result, which the unit tests check line by line against the JavaScript scanner.
//
// The memory layout, the validator codes and the words compared here come from wasm/layout.ts, which
// scripts/genWasmLayout.ts generates (with src/core/wasmLayout.ts for the JavaScript side) from one declaration
// and the validator declarations of src/core/validators.ts.
import {
  ACCEPT_LEN,
  ACCEPT_U16_4,
  ACCEPT_U32_0,
  ACCEPT_VALUE,
  ACTION,
  ANY,
  CODES,
  ENI,
  ENI_PREFIX_LEN,
  ENI_PREFIX_U32_0,
  IP,
  LOG_STATUS,
  MAXD,
  MAXV,
  NODATA_LEN,
  NODATA_U16_4,
  NODATA_U32_0,
  NODATA_VALUE,
  OK_LEN,
  OK_U16_0,
  OK_VALUE,
  REJECT_LEN,
  REJECT_U16_4,
  REJECT_U32_0,
  REJECT_VALUE,
  SKIPDATA_LEN,
  SKIPDATA_U64_0,
  SKIPDATA_VALUE,
  SPANS,
  VALS,
} from './layout';

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
        // Each word compared as one 32-bit and one 16-bit little-endian load.
        const len = i - s;
        if (len == ACCEPT_LEN && load<u32>(s) == ACCEPT_U32_0 && load<u16>(s + 4) == ACCEPT_U16_4) v = ACCEPT_VALUE;
        else if (len == REJECT_LEN && load<u32>(s) == REJECT_U32_0 && load<u16>(s + 4) == REJECT_U16_4) v = REJECT_VALUE;
        else return 0;
      } else if (code == LOG_STATUS) {
        const len = i - s;
        if (len == OK_LEN && load<u16>(s) == OK_U16_0) v = OK_VALUE;
        else if (len == NODATA_LEN && load<u32>(s) == NODATA_U32_0 && load<u16>(s + 4) == NODATA_U16_4) v = NODATA_VALUE;
        else if (len == SKIPDATA_LEN && load<u64>(s) == SKIPDATA_U64_0) v = SKIPDATA_VALUE;
        else return 0;
      } else if (code == ENI) {
        // The prefix (one 32-bit little-endian load), then at least one more character.
        if (i - s <= ENI_PREFIX_LEN || load<u32>(s) != ENI_PREFIX_U32_0) return 0;
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
