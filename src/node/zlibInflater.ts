// The Node hosts' inflater (CLI and the Node extension entry): the core's Inflater on node:zlib, native speed.
// The zlib module is passed in (a type-only import here), so a bundle that never calls this never loads it.
// gzip members are framed here and only their deflate data goes to zlib's raw inflater: node's own Gunzip drops
// the last output it made when the bytes after a member are not gzip, and the records in it must be kept.
import type * as Zlib from 'node:zlib';
import type { GunzipOut, GunzipStream, Inflater } from '../core/input/inflate';

/** Output bytes per zlib callback. */
const OUT_CHUNK = 1 << 20;
/** A gzip header (with its optional name and comment) longer than this is taken for junk. */
const MAX_HEADER = 64 * 1024;
const EMPTY = new Uint8Array(0);

/** Length of the gzip member header at the start of `b`: 0 when more bytes are needed, -1 when it is not one. */
function headerLength(b: Uint8Array): number {
  if (b.length >= 1 && b[0] !== 0x1f) return -1;
  if (b.length >= 2 && b[1] !== 0x8b) return -1;
  if (b.length >= 3 && b[2] !== 8) return -1;
  if (b.length < 10) return 0;
  const flags = b[3]!;
  let at = 10;
  if (flags & 4) {
    if (b.length < at + 2) return 0;
    at += 2 + (b[at]! | (b[at + 1]! << 8));
  }
  for (const bit of [8, 16]) {
    if (!(flags & bit)) continue;
    while (at < b.length && b[at] !== 0) at++;
    if (at >= b.length) return 0;
    at++;
  }
  if (flags & 2) at += 2;
  return at <= b.length ? at : 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

class ZlibGunzip implements GunzipStream {
  private state: 'header' | 'body' | 'trailer' = 'header';
  /** Header or trailer bytes gathered so far. */
  private held: Uint8Array = EMPTY;
  private raw: Zlib.InflateRaw | null = null;
  private memberOut = 0;
  private failed = false;

  constructor(
    private readonly zlib: typeof Zlib,
    private readonly out: GunzipOut,
  ) {}

  async push(chunk: Uint8Array): Promise<void> {
    let rest = chunk;
    while (rest.length > 0 && !this.failed) {
      if (this.state === 'body') {
        rest = await this.inflate(rest);
        continue;
      }
      this.held = concat(this.held, rest);
      rest = EMPTY;
      if (this.state === 'header') {
        const n = headerLength(this.held);
        if (n < 0 || (n === 0 && this.held.length > MAX_HEADER)) return this.fail(false, 'invalid gzip data');
        if (n === 0) return;
        rest = this.held.subarray(n);
        this.held = EMPTY;
        this.startMember();
      } else {
        if (this.held.length < 8) return;
        const t = this.held;
        const isize = (t[4]! | (t[5]! << 8) | (t[6]! << 16) | (t[7]! << 24)) >>> 0;
        if (isize !== this.memberOut % 2 ** 32) return this.fail(false, 'gzip member size does not match its trailer');
        rest = t.subarray(8);
        this.held = EMPTY;
        this.state = 'header';
      }
    }
  }

  async end(): Promise<void> {
    if (this.failed) return;
    if (this.state === 'body') {
      const raw = this.raw!;
      const error = await new Promise<Error | undefined>((resolve) => {
        raw.once('error', resolve);
        raw.once('end', () => resolve(undefined));
        raw.end();
      });
      if (error && (error as { code?: string }).code !== 'Z_BUF_ERROR') return this.fail(false, error.message);
      return this.fail(true, 'unexpected EOF');
    }
    if (this.state === 'trailer') return this.fail(true, 'unexpected EOF');
    if (this.held.length > 0) return this.fail(true, 'unexpected EOF');
  }

  private startMember(): void {
    this.state = 'body';
    this.memberOut = 0;
    const raw = this.zlib.createInflateRaw({ chunkSize: OUT_CHUNK });
    raw.on('data', (data: Buffer) => {
      this.memberOut += data.length;
      this.out.data(data);
    });
    this.raw = raw;
  }

  /** Deflate data of the current member: resolves to the bytes after its end (empty while it goes on). */
  private inflate(bytes: Uint8Array): Promise<Uint8Array> {
    const raw = this.raw!;
    const before = raw.bytesWritten;
    return new Promise<Uint8Array>((resolve) => {
      const onError = (e: Error): void => {
        this.fail(false, e.message);
        resolve(EMPTY);
      };
      raw.once('error', onError);
      raw.write(bytes, () => {
        raw.off('error', onError);
        if (this.failed) return resolve(EMPTY);
        const used = raw.bytesWritten - before;
        if (used >= bytes.length) return resolve(EMPTY);
        // The member's deflate data ended inside this chunk: its trailer and what follows are the rest, read
        // once the last output of this member has come out.
        this.state = 'trailer';
        this.raw = null;
        const rest = bytes.subarray(used);
        if (raw.readableEnded) resolve(rest);
        else raw.once('end', () => resolve(rest));
      });
    });
  }

  private fail(truncated: boolean, detail: string): void {
    if (this.failed) return;
    this.failed = true;
    this.raw?.destroy();
    this.raw = null;
    this.out.damaged({ truncated, detail });
  }
}

/** The Inflater on node:zlib (pass the module: `zlibInflater(await import('node:zlib'))`). */
export function zlibInflater(zlib: typeof Zlib): Inflater {
  return {
    gunzipStream: (out) => new ZlibGunzip(zlib, out),
    gunzip(bytes, max) {
      try {
        return zlib.gunzipSync(bytes, { maxOutputLength: max });
      } catch {
        return undefined;
      }
    },
  };
}

/** Most bytes a whole input is inflated to at once (WholeGunzip); a larger one is streamed. */
const WHOLE_MAX_OUT = 256 << 20;
/** Largest output buffer asked of zlib at once for a whole input. */
const WHOLE_CHUNK_MAX = 64 << 20;

/**
 * A gzip input held whole (a small S3 object of a batch): gathered as it is pushed, then inflated in one
 * synchronous call at `end` (no round trip to zlib's threads per 64 KiB). That call is used only when it decodes
 * every byte (zlib checks each member's CRC and size); anything else (truncated, corrupt, followed by other bytes,
 * too large) goes through ZlibGunzip, so the output and the damage reported are the streaming reader's.
 */
class WholeGunzip implements GunzipStream {
  private readonly chunks: Uint8Array[] = [];

  constructor(
    private readonly zlib: typeof Zlib,
    private readonly out: GunzipOut,
  ) {}

  /** Keeps `chunk` as it is, not a copy: the caller (runBatch) holds the whole input and never reuses it. */
  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
  }

  end(): void | Promise<void> {
    const input = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    try {
      // The last member's trailer gives its size (the whole output for one member): zlib's output then comes in one
      // buffer instead of 16 KiB pieces concatenated at the end.
      const n = input.length;
      const size =
        n >= 4 ? (input[n - 4]! | (input[n - 3]! << 8) | (input[n - 2]! << 16) | (input[n - 1]! << 24)) >>> 0 : 0;
      const { buffer, engine } = this.zlib.gunzipSync(input, {
        info: true,
        chunkSize: Math.min(WHOLE_CHUNK_MAX, Math.max(16 * 1024, size + 1)),
        maxOutputLength: WHOLE_MAX_OUT,
      }) as unknown as {
        buffer: Buffer;
        engine: Zlib.Gunzip;
      };
      if (engine.bytesWritten === input.length) {
        for (let at = 0; at < buffer.length; at += OUT_CHUNK) this.out.data(buffer.subarray(at, at + OUT_CHUNK));
        return undefined;
      }
    } catch {
      // read as a stream below
    }
    const stream = new ZlibGunzip(this.zlib, this.out);
    return (async () => {
      await stream.push(input);
      await stream.end();
    })();
  }
}

/** zlibInflater for inputs held whole in memory (runBatch's small files): see WholeGunzip. */
export function wholeInputInflater(zlib: typeof Zlib): Inflater {
  const inflater = zlibInflater(zlib);
  return { ...inflater, gunzipStream: (out) => new WholeGunzip(zlib, out) };
}
