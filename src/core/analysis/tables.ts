// Span-keyed counting helpers of the analyzer: address tables (IPv4 numeric or text) and span hashing, over a
// record's text or its ASCII bytes (the fused path) alike. PURE: no vscode, no DOM, no Node built-ins.

import type { TopTable } from '../../shared/summary';
import type { AddrTopPart } from './part';
import { ipv4Text } from './layout';
import { NumTopCounter } from './topN';

/**
 * A top-N table of addresses (or address pairs): IPv4 keys go to an allocation-free numeric counter,
 * anything else (IPv6) to a string-keyed one; the two are merged when the table is read.
 */
export class AddrTop {
  readonly v4: NumTopCounter;
  /** IPv6 (or any non-IPv4) keys, by text hash. */
  readonly other: NumTopCounter;
  constructor(
    cap: number,
    private readonly rankBy: 'flows' | 'bytes',
    private readonly pair: boolean,
  ) {
    this.v4 = new NumTopCounter(cap, rankBy);
    this.other = new NumTopCounter(cap, rankBy);
  }

  /** A table holding a part's counters (merge.ts). */
  static fromPart(p: AddrTopPart, cap: number, rankBy: 'flows' | 'bytes', pair: boolean): AddrTop {
    const t = new AddrTop(0, rankBy, pair);
    (t as { v4: NumTopCounter }).v4 = NumTopCounter.fromPart(p.v4, cap, rankBy);
    (t as { other: NumTopCounter }).other = NumTopCounter.fromPart(p.other, cap, rankBy);
    return t;
  }

  part(): AddrTopPart {
    return { v4: this.v4.part(), other: this.other.part() };
  }

  table(n: number): TopTable {
    const sep = ' ↔ ';
    const rows = [
      ...this.v4.top(n).map((r) => ({
        key: this.pair ? `${ipv4Text(r.hi)}${sep}${ipv4Text(r.lo)}` : ipv4Text(r.lo),
        flows: r.flows,
        bytes: r.bytes,
        packets: r.packets,
      })),
      ...this.other.top(n).map((r) => ({
        key: this.pair ? r.text.replace('\u0000', sep) : r.text,
        flows: r.flows,
        bytes: r.bytes,
        packets: r.packets,
      })),
    ];
    const by = this.rankBy;
    rows.sort((a, b) => b[by] - a[by] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return {
      rows: rows.slice(0, n).map((r) => ({ ...r, label: r.key })),
      approximate: this.v4.approximate || this.other.approximate,
      distinct: this.v4.distinct + this.other.distinct,
    };
  }
}

/** Compares text[a1, a2) with text[b1, b2) like strings (u8 instead of text when not null: ASCII bytes). */
export function compareSpans(
  text: string,
  u8: Uint8Array | null,
  a1: number,
  a2: number,
  b1: number,
  b2: number,
): number {
  const n = Math.min(a2 - a1, b2 - b1);
  for (let i = 0; i < n; i++) {
    const d = u8 !== null ? u8[a1 + i]! - u8[b1 + i]! : text.charCodeAt(a1 + i) - text.charCodeAt(b1 + i);
    if (d !== 0) return d;
  }
  return a2 - a1 - (b2 - b1);
}
