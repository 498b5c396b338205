// Exact counters over a small integer domain (ports 0–65535, protocols 0–255), and their merge.
// PURE: no vscode, no DOM, no Node built-ins.

import type { TopRow, TopTable } from '../../shared/summary';
import type { DensePart } from './part';

type RankBy = 'flows' | 'bytes';

/** Exact counters over a small integer domain (ports 0–65535, protocols 0–255): typed arrays, no keys. */
export class DenseCounter {
  /** [flows, bytes, packets, -] per key, interleaved so that one record touches one cache line. */
  private readonly cells: Float64Array;

  constructor(readonly domain: number) {
    this.cells = new Float64Array(domain * 4);
  }

  add(k: number, flows: number, bytes: number, packets: number): void {
    const c = this.cells;
    const i = k << 2;
    c[i] = (c[i] as number) + flows;
    c[i + 1] = (c[i + 1] as number) + bytes;
    c[i + 2] = (c[i + 2] as number) + packets;
  }

  flowsOf(k: number): number {
    return this.cells[k << 2] ?? 0;
  }

  /** The keys counted, as plain data (part.ts). */
  part(): DensePart {
    const c = this.cells;
    let n = 0;
    for (let k = 0; k < this.domain; k++) if ((c[k << 2] as number) !== 0) n++;
    const keys = new Int32Array(n);
    const vals = new Float64Array(3 * n);
    let j = 0;
    for (let k = 0; k < this.domain; k++) {
      if ((c[k << 2] as number) === 0) continue;
      keys[j] = k;
      vals.set(c.subarray(k << 2, (k << 2) + 3), 3 * j++);
    }
    return { keys, vals };
  }

  /** Adds a part's counts (exact). */
  addPart(p: DensePart): void {
    for (let j = 0; j < p.keys.length; j++) this.add(p.keys[j]!, p.vals[3 * j]!, p.vals[3 * j + 1]!, p.vals[3 * j + 2]!);
  }

  table(n: number, label: (k: number) => string, rankBy: RankBy = 'flows'): TopTable {
    const c = this.cells;
    const off = rankBy === 'bytes' ? 1 : 0;
    const w = (k: number): number => c[(k << 2) + off] as number;
    const picked: number[] = [];
    let distinct = 0;
    if (n <= 0) n = 0;
    for (let k = 0; k < this.domain; k++) {
      if ((c[k << 2] as number) === 0) continue;
      distinct++;
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
      flows: c[k << 2] as number,
      bytes: c[(k << 2) + 1] as number,
      packets: c[(k << 2) + 2] as number,
    }));
    return { rows, approximate: false, distinct };
  }
}
