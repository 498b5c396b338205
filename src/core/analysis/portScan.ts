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
// pairs are held per scan kind: when full, pairs idle for longer than the window are dropped, and if that
// is not enough the least recently created go, down to three quarters of the cap (a scan from a dropped pair may then be missed).

import { ownString } from './topN';

interface PairState<E> {
  /** item -> latest start time it was reached. */
  readonly items: Map<E, number>;
  /** Smallest time in `items` (a lower bound), to skip pruning when nothing can expire. */
  oldest: number;
  /** Latest flow time seen on this pair. */
  lastSeen: number;
  /** Time of the last detection, or -Infinity. */
  firedAt: number;
}

export class ScanTracker<E extends string | number> {
  private readonly pairs = new Map<string, PairState<E>>();
  /** Pairs dropped because the table was full (for diagnostics). */
  evicted = 0;

  constructor(
    private readonly threshold: number,
    private readonly window: number,
    private readonly maxTracked: number,
  ) {}

  get tracked(): number {
    return this.pairs.size;
  }

  /**
   * Records that `pairKey` reached `item` in a flow starting at `t`. Returns the number of distinct
   * items when this flow makes the pair reach the threshold (a detection), else 0.
   */
  observe(pairKey: string, item: E, t: number): number {
    let s = this.pairs.get(pairKey);
    if (s === undefined) {
      if (this.pairs.size >= this.maxTracked) this.evict(t);
      s = { items: new Map<E, number>(), oldest: t, lastSeen: t, firedAt: -Infinity };
      this.pairs.set(ownString(pairKey), s);
    }
    if (t > s.lastSeen) s.lastSeen = t;
    if (s.firedAt !== -Infinity) {
      if (t - s.firedAt <= this.window) return 0;
      s.firedAt = -Infinity;
    }
    const items = s.items;
    const prev = items.get(item);
    if (prev === undefined) {
      items.set(typeof item === 'string' ? (ownString(item) as E) : item, t);
      if (t < s.oldest) s.oldest = t;
    } else if (t > prev) items.set(item, t);
    if (t - this.window > s.oldest) {
      const cutoff = t - this.window;
      let oldest = t;
      for (const [k, at] of items) {
        if (at < cutoff) items.delete(k);
        else if (at < oldest) oldest = at;
      }
      s.oldest = oldest;
    }
    if (items.size >= this.threshold) {
      const n = items.size;
      items.clear();
      s.oldest = t;
      s.firedAt = t;
      return n;
    }
    return 0;
  }

  private evict(now: number): void {
    const cutoff = now - this.window;
    for (const [k, s] of this.pairs) {
      if (s.lastSeen < cutoff) {
        this.pairs.delete(k);
        this.evicted++;
      }
    }
    // Free at least a quarter so that sweeps stay rare (amortised O(1) per new pair).
    const keep = Math.floor(this.maxTracked * 0.75);
    let drop = this.pairs.size - keep;
    for (const k of this.pairs.keys()) {
      if (drop-- <= 0) break;
      this.pairs.delete(k);
      this.evicted++;
    }
  }
}
