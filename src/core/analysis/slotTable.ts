// Open-addressing index shared by the analyzer's numeric tables (NumTopCounter, NumScanTracker).
// PURE: no vscode, no DOM, no Node built-ins.
//
// Entries live in a Float64Array of fixed-stride records, each starting with its key (hi, lo) and
// holding its own slot number at `slotOffset`. The index is an Int32Array of two numbers per slot:
// entry index + 1 (0 = empty) and the key's hash, compared first, so probing and deletion never read
// the records. Linear probing; deletion by backward shift (no tombstones).

/** 32-bit hash of a key made of two unsigned 32-bit numbers. */
export function hash2(hi: number, lo: number): number {
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Builds a fresh slot index (at least twice `capacity` slots, a power of two) over the first `n`
 * records, writing each record's slot number back into it. Returns the index and its mask.
 */
export function buildSlots(
  rec: Float64Array,
  n: number,
  stride: number,
  slotOffset: number,
  capacity: number,
): { slots: Int32Array<ArrayBuffer>; mask: number } {
  let size = 4;
  while (size < capacity * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size * 2);
  for (let c = 0; c < n; c++) {
    const o = c * stride;
    const h = hash2(rec[o]!, rec[o + 1]!);
    let i = h & mask;
    while (slots[2 * i] !== 0) i = (i + 1) & mask;
    slots[2 * i] = c + 1;
    slots[2 * i + 1] = h;
    rec[o + slotOffset] = i;
  }
  return { slots, mask };
}

/** Empties slot `at`, shifting later entries of its probe run back (and updating their records' slot numbers). */
export function removeSlot(
  slots: Int32Array,
  mask: number,
  rec: Float64Array,
  stride: number,
  slotOffset: number,
  at: number,
): void {
  let i = at;
  let j = at;
  for (;;) {
    j = (j + 1) & mask;
    const s = slots[2 * j]!;
    if (s === 0) break;
    const h = slots[2 * j + 1]!;
    const k = h & mask;
    // Move the entry back to the hole unless its home slot lies cyclically in (i, j].
    const stays = i <= j ? i < k && k <= j : i < k || k <= j;
    if (!stays) {
      slots[2 * i] = s;
      slots[2 * i + 1] = h;
      rec[(s - 1) * stride + slotOffset] = i;
      i = j;
    }
  }
  slots[2 * i] = 0;
}
