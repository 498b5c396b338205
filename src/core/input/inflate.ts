// What kind of input a byte stream is (plain, gzip, Parquet), and the decompressor a host hands the core. PURE.
// The core sniffs and reports; decompressing is the host's: node:zlib in Node (src/node/zlibInflater.ts), the
// pure-JS fflate in the browser (./fflate.ts, also the default when a host passes none).

/** What the first bytes of an input say it is. */
export type InputKind = 'plain' | 'gzip' | 'parquet';

/** Bytes needed to tell the kinds apart (`PAR1` is four bytes). */
export const SNIFF_BYTES = 4;

/** The kind of an input that starts with `head` (at least SNIFF_BYTES of it, unless the input is shorter). */
export function inputKind(head: Uint8Array): InputKind {
  if (isGzip(head)) return 'gzip';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31)
    return 'parquet';
  return 'plain';
}

/** The gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Why a gzip stream stopped before its end. What decoded before it has been delivered. */
export interface GzipDamage {
  /** The data ends early (cut short), rather than being corrupt or followed by bytes that are not gzip. */
  readonly truncated: boolean;
  /** The decompressor's words (for truncation, 'unexpected EOF'). */
  readonly detail: string;
}

/** Where a gzip stream's output goes. */
export interface GunzipOut {
  /** Decompressed bytes, in order (the array may be reused once this returns: copy what is kept). */
  data(bytes: Uint8Array): void;
  /** Called at most once; nothing is delivered after it. */
  damaged(damage: GzipDamage): void;
}

/**
 * A streaming gunzip (multi-member, as `cat a.gz b.gz`). A synchronous host returns nothing; an asynchronous one
 * returns a promise from `push` and `end`, and the caller awaits it before the next call (output arrives before
 * it resolves). Never throws: damage goes to `out.damaged`.
 */
export interface GunzipStream {
  push(chunk: Uint8Array): void | Promise<void>;
  /** No more input: a stream that stops inside a member is reported as truncated. */
  end(): void | Promise<void>;
}

/** The decompressor a host gives the core. */
export interface Inflater {
  /** A streaming gunzip for a whole gzip input. */
  gunzipStream(out: GunzipOut): GunzipStream;
  /**
   * One small gzip payload at once (a base64 field inside an envelope), synchronously: its bytes, or undefined
   * when it is not valid gzip or inflates past `max` bytes.
   */
  gunzip(bytes: Uint8Array, max: number): Uint8Array | undefined;
}

/** Most bytes a gzip payload inside an envelope may inflate to (a small record must not become gigabytes). */
export const MAX_INFLATED = 64 * 1024 * 1024;

/** The summary of a damaged gzip input (FullParseStats.damage) and the reason of its unparsed line. */
export function damageReport(d: GzipDamage): { damage: string; reason: string } {
  return {
    damage: d.truncated
      ? 'the gzip data ends early (truncated)'
      : `the gzip data is corrupt, or followed by bytes that are not gzip (${d.detail})`,
    reason: `gzip data is corrupt or truncated: ${d.detail}`,
  };
}
