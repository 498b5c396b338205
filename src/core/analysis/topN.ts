// Bounded top-N counting: exact while the distinct keys fit under a cap, then a heavy-hitter sketch
// (weighted Space-Saving, Metwally, Agrawal, El Abbadi 2005), marked approximate.
// PURE: no vscode, no DOM, no Node built-ins.
//
// TopCounter: string or number keys in a Map; past the cap, plain Space-Saving over the same counters
// (a kept key's ranking weight is over-estimated by at most its `err`, every key heavier than
// total/cap is kept). NumTopCounter (used by the analyzer's hot path): numeric or text-hashed keys in
// typed arrays, randomized admission past the cap (see its comment). In both, the two metrics that do
// not rank a table restart from the new key's values when a counter is taken over (under-estimates).
// DenseCounter: exact counters over a small integer domain (ports, protocols).

import type { TopRow, TopTable } from '../../shared/summary';
import { spanText } from './layout';
import type { TopPart } from './part';
import { buildSlots, hash2, removeSlot } from './slotTable';
import { spanHash } from './spanHash';

export { DenseCounter } from './dense';

export type TopKey = string | number;

interface Counter<K extends TopKey> {
  key: K;
  flows: number;
  bytes: number;
  packets: number;
  /** Weight inherited from the evicted counter (0 while exact). */
  err: number;
  /** Position in the min-heap (approximate mode only). */
  pos: number;
}

/**
 * Copies a string so that a stored key does not keep alive the (possibly huge) chunk it was sliced from.
 * V8 keeps substrings as views into their parent; concatenating then slicing forces a fresh flat copy.
 */
export function ownString(s: string): string {
  return (' ' + s).slice(1);
}

export type RankBy = 'flows' | 'bytes';

export class TopCounter<K extends TopKey = TopKey> {
  private readonly map = new Map<K, Counter<K>>();
  private heap: Counter<K>[] | null = null;
  private distinctAtSwitch = 0;

  constructor(
    private readonly cap: number,
    private readonly rankBy: RankBy = 'flows',
  ) {}

  get approximate(): boolean {
    return this.heap !== null;
  }

  /** Distinct keys seen (exact), or a lower bound once approximate. */
  get distinct(): number {
    return this.heap === null ? this.map.size : this.distinctAtSwitch;
  }

  /** Counters held (never more than the cap). */
  get size(): number {
    return this.map.size;
  }

  add(key: K, flows: number, bytes: number, packets: number): void {
    const c = this.map.get(key);
    if (c !== undefined) {
      c.flows += flows;
      c.bytes += bytes;
      c.packets += packets;
      if (this.heap !== null) this.siftDown(c.pos);
      return;
    }
    const own = (typeof key === 'string' ? ownString(key) : key) as K;
    if (this.heap === null) {
      if (this.map.size < this.cap) {
        this.map.set(own, { key: own, flows, bytes, packets, err: 0, pos: -1 });
        return;
      }
      this.switchToApproximate();
    }
    const heap = this.heap as Counter<K>[];
    const min = heap[0];
    if (min === undefined) return; // cap 0: nothing is kept
    const minWeight = this.weight(min);
    this.map.delete(min.key);
    min.key = own;
    min.err = minWeight;
    if (this.rankBy === 'bytes') {
      min.bytes = minWeight + bytes;
      min.flows = flows;
    } else {
      min.flows = minWeight + flows;
      min.bytes = bytes;
    }
    min.packets = packets;
    this.map.set(own, min);
    this.siftDown(0);
  }

  private lastText = '';
  private lastCounter: Counter<K> | undefined;

  /**
   * Adds the key text[s, e) (string keys only). Consecutive records often repeat a key (an S3 file holds
   * one interface, one VPC, one region), so the last key is compared in place before any substring is made.
   */
  addSpan(text: string, s: number, e: number, flows: number, bytes: number, packets: number): void {
    const last = this.lastCounter;
    const lt = this.lastText;
    if (last !== undefined && lt.length === e - s && last.key === lt) {
      let same = true;
      for (let i = 0; i < lt.length; i++) {
        if (lt.charCodeAt(i) !== text.charCodeAt(s + i)) {
          same = false;
          break;
        }
      }
      if (same) {
        last.flows += flows;
        last.bytes += bytes;
        last.packets += packets;
        if (this.heap !== null) this.siftDown(last.pos);
        return;
      }
    }
    const key = text.slice(s, e) as K;
    this.add(key, flows, bytes, packets);
    const c = this.map.get(key);
    if (c !== undefined) {
      this.lastCounter = c;
      this.lastText = c.key as string;
    }
  }

  /** The `n` heaviest keys, heaviest first (ties by key), with their counters. */
  top(n: number): { key: K; flows: number; bytes: number; packets: number; err: number }[] {
    const all = [...this.map.values()];
    all.sort((a, b) => this.weight(b) - this.weight(a) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return all.slice(0, n).map(({ key, flows, bytes, packets, err }) => ({ key, flows, bytes, packets, err }));
  }

  /** The summary table, with keys rendered by `keyText` and labelled by `label`. */
  table(n: number, keyText: (k: K) => string = String, label?: (k: K) => string): TopTable {
    const rows: TopRow[] = this.top(n).map((c) => ({
      key: keyText(c.key),
      label: label ? label(c.key) : keyText(c.key),
      flows: c.flows,
      bytes: c.bytes,
      packets: c.packets,
    }));
    return { rows, approximate: this.approximate, distinct: this.distinct };
  }

  private weight(c: Counter<K>): number {
    return this.rankBy === 'bytes' ? c.bytes : c.flows;
  }

  private switchToApproximate(): void {
    this.distinctAtSwitch = this.map.size + 1;
    const heap = [...this.map.values()];
    this.heap = heap;
    for (let i = 0; i < heap.length; i++) (heap[i] as Counter<K>).pos = i;
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** Restores the min-heap after the counter at `i` grew. */
  private siftDown(i: number): void {
    const heap = this.heap as Counter<K>[];
    const n = heap.length;
    const item = heap[i] as Counter<K>;
    const w = this.weight(item);
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let child = l;
      let cw = this.weight(heap[l] as Counter<K>);
      if (r < n) {
        const rw = this.weight(heap[r] as Counter<K>);
        if (rw < cw) {
          child = r;
          cw = rw;
        }
      }
      if (cw >= w) break;
      const c = heap[child] as Counter<K>;
      heap[i] = c;
      c.pos = i;
      i = child;
    }
    heap[i] = item;
    item.pos = i;
  }
}

/** Counters kept once a numeric table turns approximate. */
export const SKETCH_SIZE = 2048;
/** Record layout of NumTopCounter. */
const STRIDE = 8;
const F_FLOWS = 2;
const F_BYTES = 3;
const F_PACKETS = 4;
const F_ERR = 5;
const F_SLOT = 6;
const F_POS = 7;

/**
 * Top-N for keys that are one or two unsigned 32-bit numbers (an IPv4 address, a pair of them, or the
 * 64-bit hash of a text key), with no allocation per record: an open-addressing hash table (linear
 * probing, backward-shift deletion) over typed arrays, growing up to `cap` counters. Exact while the
 * distinct keys fit. Past the cap: the heaviest SKETCH_SIZE counters are kept and Space-Saving runs over
 * an indexed min-heap with randomized admission (RAP), so that a one-off key costs one random number
 * instead of a heap replacement. Frequent keys are admitted quickly and then counted exactly; heavy
 * hitters are kept; weights of keys admitted late are estimates (min + weight at admission).
 */
export class NumTopCounter {
  private mask = 0;
  /** Two numbers per slot: counter index + 1 (0 for an empty slot) and the key's hash (compared first). */
  private slots = new Int32Array(0);
  /**
   * One record of STRIDE numbers per counter (key hi, key lo, flows, bytes, packets, err, slot, heap
   * position), so that counting touches one cache line instead of one per array.
   */
  private rec = new Float64Array(0);
  private heap = new Int32Array(0);
  private capacity = 0;
  private n = 0;
  private approx = false;
  private distinctAtSwitch = 0;
  /** Offset of the ranking weight in a record: F_BYTES or F_FLOWS. */
  private readonly wOff: number;
  /** xorshift32 state for randomized admission (seeded: results are reproducible). */
  private rng = 0x2545f491;
  /** Key text per counter, for tables keyed by text (addSpans); empty otherwise. */
  private texts: string[] = [];
  /** Set by add(): true when the key just took a counter (new, or replacing the lightest one). */
  private inserted = false;

  constructor(
    private readonly cap: number,
    rankBy: RankBy = 'flows',
  ) {
    this.wOff = rankBy === 'bytes' ? F_BYTES : F_FLOWS;
    this.resize(Math.max(1, Math.min(cap, 256)));
  }

  get approximate(): boolean {
    return this.approx;
  }

  get distinct(): number {
    return this.approx ? this.distinctAtSwitch : this.n;
  }

  get size(): number {
    return this.n;
  }

  /** The counters, as plain data (part.ts). */
  part(): TopPart {
    const keys = new Float64Array(2 * this.n);
    const vals = new Float64Array(4 * this.n);
    for (let c = 0; c < this.n; c++) {
      const o = c * STRIDE;
      keys[2 * c] = this.rec[o]!;
      keys[2 * c + 1] = this.rec[o + 1]!;
      vals.set(this.rec.subarray(o + F_FLOWS, o + F_ERR + 1), 4 * c);
    }
    return { approx: this.approx, keys, vals, texts: this.texts.slice(0, this.n) };
  }

  /** A counter holding a part's counters (merge.ts), to read tables from. */
  static fromPart(p: TopPart, cap: number, rankBy: RankBy): NumTopCounter {
    const t = new NumTopCounter(cap, rankBy);
    const n = p.keys.length / 2;
    t.n = n;
    t.resize(Math.max(1, n));
    for (let c = 0; c < n; c++) {
      const o = c * STRIDE;
      t.rec[o] = p.keys[2 * c]!;
      t.rec[o + 1] = p.keys[2 * c + 1]!;
      t.rec.set(p.vals.subarray(4 * c, 4 * c + 4), o + F_FLOWS);
    }
    t.texts = p.texts.slice();
    t.approx = p.approx;
    t.distinctAtSwitch = p.approx ? cap + 1 : 0;
    return t;
  }

  /** Re-sizes the tables to `capacity` counters (they start small and double up to the cap). */
  private resize(capacity: number): void {
    const rec = new Float64Array(capacity * STRIDE);
    rec.set(this.rec.subarray(0, Math.min(this.rec.length, capacity * STRIDE)));
    this.rec = rec;
    this.capacity = capacity;
    ({ slots: this.slots, mask: this.mask } = buildSlots(rec, this.n, STRIDE, F_SLOT, capacity));
  }

  /**
   * Counts the key (hi, lo). Returns the counter index, or -1 when the key was not admitted (approximate
   * mode, see the class comment).
   */
  add(hi: number, lo: number, flows: number, bytes: number, packets: number): number {
    this.inserted = false;
    const slots = this.slots;
    const mask = this.mask;
    let rec = this.rec;
    const h = hash2(hi, lo);
    let i = h & mask;
    for (;;) {
      const s = slots[2 * i] as number;
      if (s === 0) break;
      const o = (s - 1) * STRIDE;
      if (slots[2 * i + 1] === h && rec[o + 1] === lo && rec[o] === hi) {
        rec[o + F_FLOWS] = (rec[o + F_FLOWS] as number) + flows;
        rec[o + F_BYTES] = (rec[o + F_BYTES] as number) + bytes;
        rec[o + F_PACKETS] = (rec[o + F_PACKETS] as number) + packets;
        if (this.approx) this.siftDown(rec[o + F_POS] as number);
        return s - 1;
      }
      i = (i + 1) & mask;
    }
    if (this.cap <= 0) return -1;
    if (!this.approx) {
      if (this.n < this.cap) {
        if (this.n === this.capacity) {
          this.resize(Math.min(this.cap, this.capacity * 2));
          rec = this.rec;
          i = h & this.mask;
          while ((this.slots[2 * i] as number) !== 0) i = (i + 1) & this.mask;
        }
        const c = this.n++;
        const o = c * STRIDE;
        rec[o] = hi;
        rec[o + 1] = lo;
        rec[o + F_FLOWS] = flows;
        rec[o + F_BYTES] = bytes;
        rec[o + F_PACKETS] = packets;
        rec[o + F_ERR] = 0;
        rec[o + F_SLOT] = i;
        this.slots[2 * i] = c + 1;
        this.slots[2 * i + 1] = h;
        this.inserted = true;
        return c;
      }
      this.switchToApproximate();
      rec = this.rec;
    }
    // Randomized admission (RAP, Ben Basat et al. 2017): a new key takes over the lightest counter with
    // probability weight / (min + weight), then counts from min + weight as in Space-Saving. A one-off key
    // costs one random number; a frequent key gets in after about min / weight tries.
    const weight = this.wOff === F_BYTES ? bytes : flows;
    const c = this.heap[0] as number;
    const o = c * STRIDE;
    const minW = rec[o + this.wOff] as number;
    let r = this.rng;
    r ^= r << 13;
    r ^= r >>> 17;
    r ^= r << 5;
    this.rng = r;
    if ((r >>> 0) * (minW + weight) >= weight * 4294967296) return -1;
    const est = minW + weight;
    removeSlot(this.slots, this.mask, rec, STRIDE, F_SLOT, rec[o + F_SLOT] as number);
    const sl = this.slots;
    const m = this.mask;
    i = h & m;
    while ((sl[2 * i] as number) !== 0) i = (i + 1) & m;
    sl[2 * i] = c + 1;
    sl[2 * i + 1] = h;
    rec[o] = hi;
    rec[o + 1] = lo;
    rec[o + F_SLOT] = i;
    rec[o + F_ERR] = est - weight;
    rec[o + F_FLOWS] = flows;
    rec[o + F_BYTES] = bytes;
    rec[o + F_PACKETS] = packets;
    rec[o + this.wOff] = est;
    this.siftDown(0);
    this.inserted = true;
    return c;
  }

  /**
   * Counts a key given as text: text[s1, e1), or the pair text[s1, e1) + text[s2, e2) when s2 >= 0; u8 instead of
   * text when not null (ASCII bytes: the same key). The key is a 64-bit hash of the characters (spanHash;
   * collisions are negligible at these table sizes); its text is copied only when it takes a counter.
   */
  addSpans(
    text: string,
    u8: Uint8Array | null,
    s1: number,
    e1: number,
    s2: number,
    e2: number,
    flows: number,
    bytes: number,
    packets: number,
  ): void {
    const h = spanHash(text, u8, s1, e1, s2, e2);
    const c = this.add(h[0]! >>> 0, h[1]! >>> 0, flows, bytes, packets);
    if (this.inserted && c >= 0) {
      const first = spanText(text, u8, s1, e1);
      this.texts[c] = ownString(s2 >= 0 ? `${first}\u0000${spanText(text, u8, s2, e2)}` : first);
    }
  }

  /** The summary table of a text-keyed counter (filled by addSpans). */
  textTable(n: number, label?: (key: string) => string): TopTable {
    return {
      rows: this.top(n).map((r) => ({
        key: r.text,
        label: label ? label(r.text) : r.text,
        flows: r.flows,
        bytes: r.bytes,
        packets: r.packets,
      })),
      approximate: this.approx,
      distinct: this.distinct,
    };
  }

  /** The `n` heaviest keys, heaviest first (ties by key text, then key). */
  top(
    n: number,
  ): { hi: number; lo: number; text: string; flows: number; bytes: number; packets: number; err: number }[] {
    const rec = this.rec;
    const wOff = this.wOff;
    const texts = this.texts;
    const cmp = (a: number, b: number): number => {
      const d = (rec[b * STRIDE + wOff] as number) - (rec[a * STRIDE + wOff] as number);
      if (d !== 0) return d;
      const ta = texts[a] ?? '';
      const tb = texts[b] ?? '';
      if (ta !== tb) return ta < tb ? -1 : 1;
      return (
        (rec[a * STRIDE] as number) - (rec[b * STRIDE] as number) ||
        (rec[a * STRIDE + 1] as number) - (rec[b * STRIDE + 1] as number)
      );
    };
    // Partial selection: keep the best n in a small sorted list (n is a table size, the counters many).
    const best: number[] = [];
    const want = Math.max(0, n);
    if (want > 0) {
      for (let c = 0; c < this.n; c++) {
        if (best.length === want && cmp(c, best[want - 1] as number) >= 0) continue;
        let j = best.length < want ? best.length : want - 1;
        while (j > 0 && cmp(c, best[j - 1] as number) < 0) {
          best[j] = best[j - 1] as number;
          j--;
        }
        best[j] = c;
      }
    }
    return best.map((c) => {
      const o = c * STRIDE;
      return {
        hi: rec[o] as number,
        lo: rec[o + 1] as number,
        text: texts[c] ?? '',
        flows: rec[o + F_FLOWS] as number,
        bytes: rec[o + F_BYTES] as number,
        packets: rec[o + F_PACKETS] as number,
        err: rec[o + F_ERR] as number,
      };
    });
  }

  private switchToApproximate(): void {
    this.approx = true;
    this.distinctAtSwitch = this.n + 1;
    if (this.n > SKETCH_SIZE) {
      // Keep the heaviest SKETCH_SIZE counters (a smaller heap is much cheaper per replacement).
      const rec = this.rec;
      const wOff = this.wOff;
      const order = Array.from({ length: this.n }, (_, i) => i).sort(
        (a, b) => (rec[b * STRIDE + wOff] as number) - (rec[a * STRIDE + wOff] as number),
      );
      const keep = order.slice(0, SKETCH_SIZE).sort((a, b) => a - b);
      keep.forEach((from, to) => {
        if (from !== to) rec.copyWithin(to * STRIDE, from * STRIDE, from * STRIDE + STRIDE);
        if (this.texts.length) this.texts[to] = this.texts[from] ?? '';
      });
      this.texts.length = Math.min(this.texts.length, SKETCH_SIZE);
      this.n = SKETCH_SIZE;
      this.resize(SKETCH_SIZE);
    }
    const rec = this.rec;
    this.heap = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) {
      this.heap[i] = i;
      rec[i * STRIDE + F_POS] = i;
    }
    for (let i = (this.n >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const rec = this.rec;
    const wOff = this.wOff;
    const n = this.n;
    const item = heap[i] as number;
    const wi = rec[item * STRIDE + wOff] as number;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let child = l;
      let cw = rec[(heap[l] as number) * STRIDE + wOff] as number;
      const r = l + 1;
      if (r < n) {
        const rw = rec[(heap[r] as number) * STRIDE + wOff] as number;
        if (rw < cw) {
          child = r;
          cw = rw;
        }
      }
      if (cw >= wi) break;
      const c = heap[child] as number;
      heap[i] = c;
      rec[c * STRIDE + F_POS] = i;
      i = child;
    }
    heap[i] = item;
    rec[item * STRIDE + F_POS] = i;
  }
}
