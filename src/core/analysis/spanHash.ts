// The hash of a span of a line, the key of every text-keyed counter and tracker: the same for a string and for
// its ASCII bytes, so the text path and the byte path count the same keys. Two 32-bit multiplicative mixes
// (FNV-1a and a Fibonacci mix) side by side. PURE.

/** The running hash, [a, b]: one scratch for the whole thread (every caller reads it before the next hash). */
const H = new Int32Array(2);

/** Joins the two spans of a pair key: a unit that no ASCII text holds. */
const SEPARATOR = '\uffff';

/** Mixes the units of text[s, e) (of u8[s, e) when u8 is not null) into H. */
function mix(text: string, u8: Uint8Array | null, s: number, e: number): void {
  let a = H[0]!;
  let b = H[1]!;
  for (let i = s; i < e; i++) {
    const ch = u8 !== null ? u8[i]! : text.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193);
    b = Math.imul(b + ch, 0x9e3779b1) ^ (b >>> 15);
  }
  H[0] = a;
  H[1] = b;
}

/**
 * The 64-bit hash of text[s1, e1), or of the pair text[s1, e1) + text[s2, e2) when s2 >= 0 (u8 instead of text
 * when not null: ASCII bytes). Returned as the scratch [a, b] (signed 32-bit each), valid until the next call.
 */
export function spanHash(
  text: string,
  u8: Uint8Array | null,
  s1: number,
  e1: number,
  s2: number,
  e2: number,
): Int32Array {
  H[0] = 0x811c9dc5;
  H[1] = 0x27d4eb2f;
  mix(text, u8, s1, e1);
  if (s2 >= 0) {
    mix(SEPARATOR, null, 0, 1);
    mix(text, u8, s2, e2);
  }
  return H;
}

/**
 * A 53-bit hash of text[s, e), or of ASCII bytes u8[s, e) when u8 is not null (the same key either way):
 * the scan trackers' key for an address that is not IPv4. Exact as a double, so it can be a key or an
 * item; two addresses share a key with odds of about n^2 / 2^54 among n addresses.
 */
export function spanKey(text: string, u8: Uint8Array | null, s: number, e: number): number {
  const h = spanHash(text, u8, s, e, -1, -1);
  return (h[0]! >>> 0) * 2097152 + (h[1]! >>> 11);
}
