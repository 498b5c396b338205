// Flows, bytes and packets over time in one pass, with buckets sized to the range seen so far.
// PURE: no vscode, no DOM, no Node built-ins.
//
// Buckets start at 1 second and grow along a ladder where each size is a multiple of the previous one
// (1, 5, 10, 30, 60 s, 5, 10, 30 min, 1, 3, 6, 12 h, 1 day, 1 week, then doubling), so merging is exact:
// whenever the range would need more than `maxPoints` buckets, every bucket folds into the next size.
// Buckets are aligned to multiples of their size in Unix time (UTC). Memory: at most maxPoints + 1 buckets.

import type { TimeSeries } from '../../shared/summary';

const LADDER = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10800, 21600, 43200, 86400, 604800];

function nextSize(size: number): number {
  for (const s of LADDER) if (s > size) return s;
  return size * 2;
}

interface Bucket {
  flows: number;
  bytes: number;
  packets: number;
}

export class TimeSeriesBuilder {
  private size = 1;
  private readonly buckets = new Map<number, Bucket>();
  private min = Infinity;
  private max = -Infinity;
  private lastKey = NaN;
  private last: Bucket | undefined;

  constructor(private readonly maxPoints = 240) {}

  get bucketSeconds(): number {
    return this.size;
  }

  /** Adds a flow that started at `t` (Unix seconds, >= 0). */
  add(t: number, flows: number, bytes: number, packets: number): void {
    const key = t - (t % this.size);
    let b: Bucket | undefined;
    if (key === this.lastKey) b = this.last;
    else {
      b = this.buckets.get(key);
      if (b === undefined) {
        b = { flows: 0, bytes: 0, packets: 0 };
        this.buckets.set(key, b);
        if (key < this.min) this.min = key;
        if (key > this.max) this.max = key;
        if ((this.max - this.min) / this.size + 1 > this.maxPoints) {
          this.growTo(this.size);
          this.add(t, flows, bytes, packets);
          return;
        }
      }
      this.lastKey = key;
      this.last = b;
    }
    if (b === undefined) return;
    b.flows += flows;
    b.bytes += bytes;
    b.packets += packets;
  }

  /** Folds the buckets into the smallest ladder size above `atLeast` that keeps the range under maxPoints. */
  growTo(atLeast: number): void {
    const fits = (size: number): boolean =>
      !(this.min <= this.max) || Math.floor(this.max / size) - Math.floor(this.min / size) + 1 <= this.maxPoints;
    let size = this.size;
    while (size < atLeast || !fits(size)) size = nextSize(size);
    if (size === this.size) return;
    const old = [...this.buckets];
    this.buckets.clear();
    this.min = Infinity;
    this.max = -Infinity;
    for (const [k, b] of old) {
      const nk = k - (k % size);
      const into = this.buckets.get(nk);
      if (into) {
        into.flows += b.flows;
        into.bytes += b.bytes;
        into.packets += b.packets;
      } else this.buckets.set(nk, b);
      if (nk < this.min) this.min = nk;
      if (nk > this.max) this.max = nk;
    }
    this.size = size;
    this.lastKey = NaN;
    this.last = undefined;
  }

  /** The series from the first to the last bucket, empty buckets included as zeros. */
  result(): TimeSeries {
    const points: TimeSeries['points'] = [];
    if (this.min <= this.max) {
      for (let t = this.min; t <= this.max; t += this.size) {
        const b = this.buckets.get(t);
        points.push({ t, flows: b?.flows ?? 0, bytes: b?.bytes ?? 0, packets: b?.packets ?? 0 });
      }
    }
    return { bucketSeconds: this.size, points };
  }
}
