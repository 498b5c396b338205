// Exact counters over a small integer domain (ports 0–65535, protocols 0–255), and their merge.
// PURE: no vscode, no DOM, no Node built-ins.

import type { TopRow, TopTable } from '../../shared/summary';
import type { DensePart } from './part';

type RankBy = 'flows' | 'bytes';

/**
 * Exact counters over a small integer domain (ports 0–65535, protocols 0–255): typed arrays, no keys. The
 * counters are stored compactly, in the order keys were first seen, behind an index over the domain, so that a
 * counter costs what the keys counted cost (a part of a 3,000-line S3 object touches a few hundred ports, and a
 * folder makes one analyzer per object: a 2 MB table per object was most of the cost of a small one).
 */
export class DenseCounter {
  /** Counter number + 1 per key (0: not counted yet). */
  private readonly index: Int32Array;
  /** [flows, bytes, packets, -] per counter, interleaved so that one record touches one cache line. */
  private cells = new Float64Array(64 * 4);
  /** The key of each counter. */
  private keys = new Int32Array(64);
  private n = 0;

  constructor(readonly domain: number) {
    this.index = new Int32Array(domain);
  }

  add(k: number, flows: number, bytes: number, packets: number): void {
    let s = this.index[k]!;
    if (s === 0) s = this.insert(k);
    const c = this.cells;
    const i = (s - 1) << 2;
    c[i] = (c[i] as number) + flows;
    c[i + 1] = (c[i + 1] as number) + bytes;
    c[i + 2] = (c[i + 2] as number) + packets;
  }

  private insert(k: number): number {
    if (this.n === this.keys.length) {
      const keys = new Int32Array(this.n * 2);
      keys.set(this.keys);
      this.keys = keys;
      const cells = new Float64Array(this.n * 8);
      cells.set(this.cells);
      this.cells = cells;
    }
    this.keys[this.n] = k;
    this.index[k] = ++this.n;
    return this.n;
  }

  flowsOf(k: number): number {
    const s = this.index[k] ?? 0;
    return s === 0 ? 0 : (this.cells[(s - 1) << 2] as number);
  }

  /** The keys counted with a non-zero flow count, ascending. */
  private counted(): Int32Array {
    const c = this.cells;
    const out = new Int32Array(this.n);
    let m = 0;
    for (let s = 0; s < this.n; s++) if ((c[s << 2] as number) !== 0) out[m++] = this.keys[s]!;
    return out.subarray(0, m).sort();
  }

  /** The keys counted, as plain data (part.ts). */
  part(): DensePart {
    const keys = this.counted().slice();
    const vals = new Float64Array(3 * keys.length);
    for (let j = 0; j < keys.length; j++) {
      const i = (this.index[keys[j]!]! - 1) << 2;
      vals[3 * j] = this.cells[i]!;
      vals[3 * j + 1] = this.cells[i + 1]!;
      vals[3 * j + 2] = this.cells[i + 2]!;
    }
    return { keys, vals };
  }

  /** Adds a part's counts (exact). */
  addPart(p: DensePart): void {
    for (let j = 0; j < p.keys.length; j++)
      this.add(p.keys[j]!, p.vals[3 * j]!, p.vals[3 * j + 1]!, p.vals[3 * j + 2]!);
  }

  table(n: number, label: (k: number) => string, rankBy: RankBy = 'flows'): TopTable {
    const c = this.cells;
    const off = rankBy === 'bytes' ? 1 : 0;
    const at = (k: number): number => (this.index[k]! - 1) << 2;
    const w = (k: number): number => c[at(k) + off] as number;
    const picked: number[] = [];
    const keys = this.counted();
    const distinct = keys.length;
    if (n <= 0) n = 0;
    for (const k of keys) {
      const wk = w(k);
      if (n === 0) continue;
      if (picked.length === n && wk <= w(picked[n - 1] as number)) continue;
      // insertion into the small sorted list (n is small)
      let j = picked.length < n ? picked.length : n - 1;
      while (j > 0 && w(picked[j - 1] as number) < wk) {
        picked[j] = picked[j - 1] as number;
        j--;
      }
      picked[j] = k;
    }
    const rows: TopRow[] = picked.map((k) => ({
      key: String(k),
      label: label(k),
      flows: c[at(k)] as number,
      bytes: c[at(k) + 1] as number,
      packets: c[at(k) + 2] as number,
    }));
    return { rows, approximate: false, distinct };
  }
}
