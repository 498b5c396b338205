// Flows, bytes and packets over time in one pass, with buckets sized to the range seen so far.
// PURE: no vscode, no DOM, no Node built-ins.
//
// Buckets start at 1 second and grow along a ladder where each size is a multiple of the previous one
// (1, 5, 10, 30, 60 s, 5, 10, 30 min, 1, 3, 6, 12 h, 1 day, 1 week, then doubling), so merging is exact:
// whenever the range would need more than `maxPoints` buckets, every bucket folds into the next size.
// Buckets are aligned to multiples of their size in Unix time (UTC). Memory: at most maxPoints + 1 buckets.

import type { TimeSeries } from '../../shared/summary';
import type { SeriesPart } from './part';

const LADDER = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10800, 21600, 43200, 86400, 604800];

function nextSize(size: number): number {
  for (const s of LADDER) if (s > size) return s;
  return size * 2;
}

/**
 * t - (t % size) for an integer t >= 0 and an integer size >= 1, without the floating-point remainder
 * (times past 2^30 are doubles in V8, and `%` on doubles is a library call): the quotient is corrected
 * when the division rounded up, so the result is exact.
 */
function floorTo(t: number, size: number): number {
  const k = Math.floor(t / size) * size;
  return k > t ? k - size : k;
}

export class TimeSeriesBuilder {
  private size = 1;
  /** [flows, bytes, packets] per bucket; bucket i starts at base + i * size. */
  private cells: Float64Array;
  private readonly slots: number;
  private base = 0;
  private min = Infinity;
  private max = -Infinity;

  constructor(private readonly maxPoints = 240) {
    this.slots = 2 * maxPoints + 2;
    this.cells = new Float64Array(this.slots * 3);
  }

  get bucketSeconds(): number {
    return this.size;
  }

  /** Adds a flow that started at `t` (Unix seconds, >= 0). */
  add(t: number, flows: number, bytes: number, packets: number): void {
    let key = floorTo(t, this.size);
    let i = (key - this.base) / this.size;
    if (
      i < 0 ||
      i >= this.slots ||
      this.min > this.max ||
      ((key < this.min || key > this.max) &&
        (Math.max(this.max, key) - Math.min(this.min, key)) / this.size + 1 > this.maxPoints)
    ) {
      this.place(key);
      key = floorTo(t, this.size);
      i = (key - this.base) / this.size;
    }
    if (key < this.min) this.min = key;
    if (key > this.max) this.max = key;
    const c = this.cells;
    const j = i * 3;
    c[j] = (c[j] as number) + flows;
    c[j + 1] = (c[j + 1] as number) + bytes;
    c[j + 2] = (c[j + 2] as number) + packets;
  }

  /** Makes room for `key`: a bigger bucket size if the range needs it, and a window centred on the range. */
  private place(key: number): void {
    const lo = Math.min(this.min, key);
    const hi = Math.max(this.max, key);
    let size = this.size;
    while (Math.floor(hi / size) - Math.floor(lo / size) + 1 > this.maxPoints) size = nextSize(size);
    this.rebuild(size, lo, hi);
  }

  private rebuild(size: number, lo: number, hi: number): void {
    const span = Math.floor(hi / size) - Math.floor(lo / size) + 1;
    const base = (Math.floor(lo / size) - Math.floor((this.slots - span) / 2)) * size;
    const old = this.cells;
    const oldBase = this.base;
    const oldSize = this.size;
    const cells = new Float64Array(this.slots * 3);
    let min = Infinity;
    let max = -Infinity;
    if (this.min <= this.max) {
      for (let i = 0; i < this.slots; i++) {
        const f = old[i * 3] as number;
        const b = old[i * 3 + 1] as number;
        const p = old[i * 3 + 2] as number;
        if (f === 0 && b === 0 && p === 0) continue;
        const k = oldBase + i * oldSize;
        const nk = k - (k % size);
        const j = ((nk - base) / size) * 3;
        cells[j] = (cells[j] as number) + f;
        cells[j + 1] = (cells[j + 1] as number) + b;
        cells[j + 2] = (cells[j + 2] as number) + p;
        if (nk < min) min = nk;
        if (nk > max) max = nk;
      }
    }
    this.cells = cells;
    this.base = base;
    this.size = size;
    this.min = min;
    this.max = max;
  }

  /** Folds the buckets into the smallest ladder size of at least `atLeast` that keeps the range under maxPoints. */
  growTo(atLeast: number): void {
    let size = this.size;
    const fits = (s: number): boolean =>
      !(this.min <= this.max) || Math.floor(this.max / s) - Math.floor(this.min / s) + 1 <= this.maxPoints;
    while (size < atLeast || !fits(size)) size = nextSize(size);
    if (size === this.size) return;
    if (this.min <= this.max) this.rebuild(size, this.min, this.max);
    else this.size = size;
  }

  /**
   * Grows two series to one bucket size, so that the dashboard can overlay them (the Network and Security tabs'
   * series). Growing one may need a size the other's range refuses, hence the second round.
   */
  static align(a: TimeSeriesBuilder, b: TimeSeriesBuilder): void {
    const size = Math.max(a.bucketSeconds, b.bucketSeconds);
    a.growTo(size);
    b.growTo(size);
    if (a.bucketSeconds !== b.bucketSeconds) {
      const s2 = Math.max(a.bucketSeconds, b.bucketSeconds);
      a.growTo(s2);
      b.growTo(s2);
    }
  }

  /** A builder holding a part's buckets (merge.ts), to grow and read the series from. */
  static fromPart(p: SeriesPart, maxPoints: number): TimeSeriesBuilder {
    const b = new TimeSeriesBuilder(maxPoints);
    b.size = p.size;
    if (p.min <= p.max) {
      b.min = p.min;
      b.max = p.max;
      const span = (p.max - p.min) / p.size + 1;
      b.base = p.min - Math.floor((b.slots - span) / 2) * p.size;
      for (let i = 0; i < p.t.length; i++) {
        const j = ((p.t[i]! - b.base) / p.size) * 3;
        b.cells.set(p.vals.subarray(3 * i, 3 * i + 3), j);
      }
    }
    return b;
  }

  /** The buckets, as plain data (part.ts). */
  part(): SeriesPart {
    const ts: number[] = [];
    const vals: number[] = [];
    if (this.min <= this.max) {
      for (let t = this.min; t <= this.max; t += this.size) {
        const j = ((t - this.base) / this.size) * 3;
        const f = this.cells[j]!;
        const b = this.cells[j + 1]!;
        const p = this.cells[j + 2]!;
        if (f === 0 && b === 0 && p === 0) continue;
        ts.push(t);
        vals.push(f, b, p);
      }
    }
    return { size: this.size, min: this.min, max: this.max, t: Float64Array.from(ts), vals: Float64Array.from(vals) };
  }

  /** The series from the first to the last bucket, empty buckets included as zeros. */
  result(): TimeSeries {
    const points: TimeSeries['points'] = [];
    if (this.min <= this.max) {
      for (let t = this.min; t <= this.max; t += this.size) {
        const j = ((t - this.base) / this.size) * 3;
        points.push({ t, flows: this.cells[j] ?? 0, bytes: this.cells[j + 1] ?? 0, packets: this.cells[j + 2] ?? 0 });
      }
    }
    return { bucketSeconds: this.size, points };
  }
}

/**
 * The series of two parts' flows together: exactly what one builder fed both parts' flows gives (bucket sizes
 * along the ladder divide each other, and the size one builder ends with is the smallest ladder size that fits
 * the range, whatever the order of the flows).
 */
export function mergeSeries(a: SeriesPart, b: SeriesPart, maxPoints: number): SeriesPart {
  if (!(b.min <= b.max)) return a.size >= b.size ? a : { ...a, size: b.size, min: Infinity, max: -Infinity };
  if (!(a.min <= a.max)) return mergeSeries(b, a, maxPoints);
  const lo = Math.min(a.min, b.min);
  const hi = Math.max(a.max, b.max);
  let size = Math.max(a.size, b.size);
  while (Math.floor(hi / size) - Math.floor(lo / size) + 1 > maxPoints) size = nextSize(size);
  const buckets = new Map<number, [number, number, number]>();
  for (const p of [a, b]) {
    for (let i = 0; i < p.t.length; i++) {
      const k = floorTo(p.t[i]!, size);
      const cell = buckets.get(k);
      if (cell === undefined) buckets.set(k, [p.vals[3 * i]!, p.vals[3 * i + 1]!, p.vals[3 * i + 2]!]);
      else {
        cell[0] += p.vals[3 * i]!;
        cell[1] += p.vals[3 * i + 1]!;
        cell[2] += p.vals[3 * i + 2]!;
      }
    }
  }
  const keys = [...buckets.keys()].sort((x, y) => x - y);
  const vals = new Float64Array(3 * keys.length);
  keys.forEach((k, i) => vals.set(buckets.get(k)!, 3 * i));
  return { size, min: floorTo(lo, size), max: floorTo(hi, size), t: Float64Array.from(keys), vals };
}
