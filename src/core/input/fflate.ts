// The pure-JavaScript inflater (fflate): what the browser build passes, and the default when a host passes none.
// Synchronous. Node hosts pass the native one instead (src/node/zlibInflater.ts). PURE.
import { Gunzip } from 'fflate';
import type { GunzipOut, GunzipStream, Inflater } from './inflate';
import { errorText } from '../text';

/**
 * Most compressed bytes given to the inflater at a time: what one push decompresses to stays bounded
 * (about a thousand times this for a gzip of zeros), so a zip bomb streams through in pieces.
 */
const PIECE = 16 * 1024;

class FflateGunzip implements GunzipStream {
  private readonly g: Gunzip;
  private failed = false;
  /** The last four compressed bytes, and the bytes the current member decompressed to. */
  private tail: Uint8Array = new Uint8Array(0);
  private memberOut = 0;

  constructor(private readonly out: GunzipOut) {
    this.g = new Gunzip((data) => {
      this.memberOut += data.length;
      out.data(data);
    });
    // A new member starts: its size is checked against its own trailer.
    this.g.onmember = () => {
      this.memberOut = 0;
    };
  }

  push(chunk: Uint8Array): void {
    if (this.failed) return;
    this.tail = tail4(this.tail, chunk);
    try {
      for (let at = 0; at < chunk.length && !this.failed; at += PIECE)
        this.g.push(chunk.subarray(at, at + PIECE), false);
    } catch (e) {
      this.fail(e);
    }
  }

  end(): void {
    if (this.failed) return;
    try {
      this.g.push(new Uint8Array(0), true);
      // fflate does not always notice a stream cut short: the last member's trailer ends with its size
      // (mod 2^32), which the bytes of a cut stream almost never match.
      const t = this.tail;
      const isize = t.length === 4 ? (t[0]! | (t[1]! << 8) | (t[2]! << 16) | (t[3]! << 24)) >>> 0 : -1;
      if (isize !== this.memberOut % 2 ** 32) throw new Error('unexpected EOF');
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    this.failed = true;
    const detail = errorText(e);
    this.out.damaged({ truncated: /unexpected EOF/i.test(detail), detail });
  }
}

/** The last four bytes of `prev` followed by `next`. */
function tail4(prev: Uint8Array, next: Uint8Array): Uint8Array {
  if (next.length >= 4) return next.slice(next.length - 4);
  const both = new Uint8Array(prev.length + next.length);
  both.set(prev, 0);
  both.set(next, prev.length);
  return both.slice(Math.max(0, both.length - 4));
}

/** Gunzip (multi-member aware). Undefined when the data is not a valid gzip stream or inflates past `max` bytes. */
function gunzipOnce(bytes: Uint8Array, max: number): Uint8Array | undefined {
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    const g = new Gunzip((chunk) => {
      total += chunk.length;
      if (total > max) throw new RangeError('gzip payload too large');
      parts.push(chunk);
    });
    g.push(bytes, true);
  } catch {
    return undefined;
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const fflateInflater: Inflater = {
  gunzipStream: (out) => new FflateGunzip(out),
  gunzip: gunzipOnce,
};
