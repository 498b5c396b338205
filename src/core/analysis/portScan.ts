// Bounded port-scan detection (vertical and horizontal), for the `port-scan` trigger.
// PURE: no vscode, no DOM, no Node built-ins.
//
// Window semantics. For each tracked pair — (source, target host) for vertical scans, (source, target port)
// for horizontal ones — we keep the distinct items reached (ports, resp. hosts) with the latest flow
// start time at which each was reached. When a flow starts at t, items last reached before t − window are
// forgotten, so the count is "distinct items reached within the `window` seconds up to this flow". When
// the count reaches the threshold the detection fires on that record, the pair's items are cleared and
// the pair stays quiet until a flow starts more than `window` seconds after the detection; then it may
// fire again. Flow logs are roughly time-ordered; an out-of-order flow is counted at its own start time.
//
// Memory. A pair holds fewer than `threshold` items (it is cleared when it fires). At most `maxTracked`
// pairs are held per scan kind and address family, in NumScanTracker (typed arrays, no allocation for a
// pair that reaches one item); when full, a CLOCK sweep drops a pair not touched since the hand last
// passed it. A scan from a dropped pair may be missed: the detector is bounded, not exhaustive.
// IPv4 addresses are keys as they are (32-bit numbers); other addresses (IPv6) by a 53-bit hash of their
// text (the analyzer's spanKey), where two addresses colliding is as unlikely as in the top-N tables.

import { buildSlots, hash2, removeSlot } from './slotTable';

/**
 * The port-scan tracker, for numeric pair keys (two numbers: source and target address, or source address
 * and port) and numeric items (ports, or target addresses), with the window semantics above, allocating
 * nothing per flow for the common pair that only ever reaches one item. Pairs live in a fixed table of
 * `maxTracked` entries (open addressing over typed arrays); when it is full, a CLOCK sweep drops a pair
 * that has not been touched since the last sweep, so busy pairs (scans in progress) survive a flood of
 * one-off pairs.
 */
export class NumScanTracker {
  private mask = 0;
  /**
   * Two numbers per slot: pair index + 1 (0 for an empty slot) and the pair's hash, so that probing and
   * deletion compare and re-home entries without reading the pair records.
   */
  private slots = new Int32Array(0);
  /**
   * One record of NS_STRIDE numbers per pair (key hi, key lo, slot, first item, its time, oldest time,
   * time fired, flags), so that a flow touches one cache line instead of one per field.
   */
  private rec = new Float64Array(0);
  private maps: (Map<number, number> | null)[] = [];
  private capacity = 0;
  private n = 0;
  private hand = 0;
  evicted = 0;

  constructor(
    private readonly threshold: number,
    private readonly window: number,
    private readonly maxTracked: number,
  ) {
    this.resize(Math.max(1, Math.min(maxTracked, 256)));
  }

  /** Grows the table to `capacity` pairs (it starts small and doubles up to maxTracked). */
  private resize(capacity: number): void {
    const rec = new Float64Array(capacity * NS_STRIDE);
    rec.set(this.rec.subarray(0, Math.min(this.rec.length, capacity * NS_STRIDE)));
    this.rec = rec;
    while (this.maps.length < capacity) this.maps.push(null);
    this.capacity = capacity;
    ({ slots: this.slots, mask: this.mask } = buildSlots(rec, this.n, NS_STRIDE, N_SLOT, capacity));
  }

  get tracked(): number {
    return this.n;
  }

  /**
   * Records that the pair (hi, lo) reached `item` (NaN is not an item) in a flow starting at `t`. Returns
   * the number of distinct items when this flow makes the pair reach the threshold (a detection), else 0.
   */
  observe(hi: number, lo: number, item: number, t: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let rec = this.rec;
    const h = hash2(hi, lo);
    let i = h & mask;
    let c = -1;
    for (;;) {
      const s = slots[2 * i] as number;
      if (s === 0) break;
      if (slots[2 * i + 1] === h) {
        const o = (s - 1) * NS_STRIDE;
        if (rec[o + N_LO] === lo && rec[o + N_HI] === hi) {
          c = s - 1;
          break;
        }
      }
      i = (i + 1) & mask;
    }
    if (c < 0) {
      if (this.n < this.maxTracked) {
        if (this.n === this.capacity) {
          this.resize(Math.min(this.maxTracked, this.capacity * 2));
          rec = this.rec;
          i = h & this.mask;
          while ((this.slots[2 * i] as number) !== 0) i = (i + 1) & this.mask;
        }
        c = this.n++;
      } else {
        c = this.victim();
        removeSlot(this.slots, this.mask, rec, NS_STRIDE, N_SLOT, rec[c * NS_STRIDE + N_SLOT]!);
        this.evicted++;
        i = h & mask;
        while ((slots[2 * i] as number) !== 0) i = (i + 1) & mask;
      }
      this.slots[2 * i] = c + 1;
      this.slots[2 * i + 1] = h;
      const o = c * NS_STRIDE;
      rec[o + N_HI] = hi;
      rec[o + N_LO] = lo;
      rec[o + N_SLOT] = i;
      rec[o + N_FIRST] = item;
      rec[o + N_FIRST_AT] = t;
      rec[o + N_OLDEST] = t;
      rec[o + N_FIRED] = -Infinity;
      rec[o + N_FLAGS] = 0;
      this.maps[c] = null;
      return this.threshold <= 1 ? this.fire(c, t, 1) : 0;
    }
    const o = c * NS_STRIDE;
    const flags = rec[o + N_FLAGS]!;
    rec[o + N_FLAGS] = flags === 0 || flags === F_REF ? F_REF : F_REF | F_MAP;
    const fired = rec[o + N_FIRED]!;
    if (fired !== -Infinity) {
      if (t - fired <= this.window) return 0;
      rec[o + N_FIRED] = -Infinity;
    }
    let items: Map<number, number>;
    if ((flags & F_MAP) === 0) {
      const f = rec[o + N_FIRST]!;
      const firstAt = rec[o + N_FIRST_AT]!;
      if (Number.isNaN(f) || t - firstAt > this.window) {
        rec[o + N_FIRST] = item;
        rec[o + N_FIRST_AT] = t;
        rec[o + N_OLDEST] = t;
        return 0;
      }
      if (f === item) {
        if (t > firstAt) rec[o + N_FIRST_AT] = t;
        return 0;
      }
      items = new Map<number, number>([[f, firstAt]]);
      this.maps[c] = items;
      rec[o + N_FLAGS] = F_REF | F_MAP;
      rec[o + N_OLDEST] = firstAt;
    } else items = this.maps[c] as Map<number, number>;
    const prev = items.get(item);
    if (prev === undefined) {
      items.set(item, t);
      if (t < rec[o + N_OLDEST]!) rec[o + N_OLDEST] = t;
    } else if (t > prev) items.set(item, t);
    if (t - this.window > rec[o + N_OLDEST]!) {
      const cutoff = t - this.window;
      let oldest = t;
      for (const [k, at] of items) {
        if (at < cutoff) items.delete(k);
        else if (at < oldest) oldest = at;
      }
      rec[o + N_OLDEST] = oldest;
    }
    if (items.size >= this.threshold) return this.fire(c, t, items.size);
    return 0;
  }

  private fire(c: number, t: number, n: number): number {
    const o = c * NS_STRIDE;
    const rec = this.rec;
    this.maps[c] = null;
    rec[o + N_FLAGS] = rec[o + N_FLAGS]! & F_REF;
    rec[o + N_FIRST] = NaN;
    rec[o + N_OLDEST] = t;
    rec[o + N_FIRED] = t;
    return n;
  }

  /** CLOCK: the first pair not touched since the hand last passed it. */
  private victim(): number {
    const rec = this.rec;
    for (;;) {
      const c = this.hand;
      this.hand = (this.hand + 1) % this.n;
      const o = c * NS_STRIDE + N_FLAGS;
      const flags = rec[o]!;
      if ((flags & F_REF) === 0) return c;
      rec[o] = flags & F_MAP;
    }
  }
}

/** NumScanTracker record layout. */
const NS_STRIDE = 8;
const N_HI = 0;
const N_LO = 1;
const N_SLOT = 2;
const N_FIRST = 3;
const N_FIRST_AT = 4;
const N_OLDEST = 5;
const N_FIRED = 6;
const N_FLAGS = 7;
/** Flags: touched since the CLOCK hand passed (ref); the pair holds an item map. */
const F_REF = 1;
const F_MAP = 2;
