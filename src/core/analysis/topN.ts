// Bounded top-N counting: exact while the distinct keys fit under a cap, then weighted Space-Saving
// (Metwally, Agrawal, El Abbadi 2005) over the same number of counters, marked approximate.
// PURE: no vscode, no DOM, no Node built-ins.
//
// Guarantees once approximate: memory stays at `cap` counters; every key whose true weight is more
// than total/cap is still in the table; a kept key's ranking weight is over-estimated by at most its
// `err` (the weight of the counter it replaced). The other two metrics of a replaced counter restart
// from the new key's values, so they are under-estimates.

import type { TopRow, TopTable } from '../../shared/summary';

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

/** Exact counters over a small integer domain (ports 0–65535, protocols 0–255): typed arrays, no keys. */
export class DenseCounter {
  readonly flows: Float64Array;
  readonly bytes: Float64Array;
  readonly packets: Float64Array;

  constructor(readonly domain: number) {
    this.flows = new Float64Array(domain);
    this.bytes = new Float64Array(domain);
    this.packets = new Float64Array(domain);
  }

  add(k: number, flows: number, bytes: number, packets: number): void {
    this.flows[k] = (this.flows[k] as number) + flows;
    this.bytes[k] = (this.bytes[k] as number) + bytes;
    this.packets[k] = (this.packets[k] as number) + packets;
  }

  table(n: number, label: (k: number) => string, rankBy: RankBy = 'flows'): TopTable {
    const w = rankBy === 'bytes' ? this.bytes : this.flows;
    const picked: number[] = [];
    let distinct = 0;
    if (n <= 0) n = 0;
    for (let k = 0; k < this.domain; k++) {
      if ((this.flows[k] as number) === 0) continue;
      distinct++;
      const wk = w[k] as number;
      if (n === 0) continue;
      if (picked.length === n && wk <= (w[picked[n - 1] as number] as number)) continue;
      // insertion into the small sorted list (n is small)
      let j = picked.length < n ? picked.length : n - 1;
      while (j > 0 && (w[picked[j - 1] as number] as number) < wk) {
        picked[j] = picked[j - 1] as number;
        j--;
      }
      picked[j] = k;
    }
    const rows: TopRow[] = picked.map((k) => ({
      key: String(k),
      label: label(k),
      flows: this.flows[k] as number,
      bytes: this.bytes[k] as number,
      packets: this.packets[k] as number,
    }));
    return { rows, approximate: false, distinct };
  }
}
