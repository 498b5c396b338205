// Shared CLI input/output: a small io abstraction (so tests can capture output) and streaming input from a
// file or stdin, with gzip detected by its magic bytes and decompressed by node:zlib. Node only.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

export interface Writer {
  write(s: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** Read when the input is `-`. */
  readonly stdin: AsyncIterable<Uint8Array | string>;
}

/** The process's own streams. */
export function nodeIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

const CHUNK = 1 << 20;

/** An input error with a message fit for the user (`vpcflow: <message>`). */
export class InputError extends Error {}

function describeFsError(path: string, err: unknown): InputError {
  const code = (err as { code?: string } | null)?.code;
  if (code === 'ENOENT') return new InputError(`cannot read '${path}': no such file`);
  if (code === 'EISDIR') return new InputError(`cannot read '${path}': it is a directory`);
  if (code === 'EACCES' || code === 'EPERM') return new InputError(`cannot read '${path}': permission denied`);
  return new InputError(`cannot read '${path}': ${err instanceof Error ? err.message : String(err)}`);
}

function toBytes(c: Uint8Array | string): Uint8Array {
  return typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
}

/**
 * Stream `input` (a path, or `-` for stdin) to `onChunk` in order. Gzip input (magic 1f 8b) is decompressed
 * (multi-member files included). `onProgress(doneBytes, totalBytes?)` reports raw bytes read. Rejects with an
 * InputError (missing file, unreadable, corrupt gzip).
 */
export async function readInput(
  input: string,
  io: CliIo,
  onChunk: (chunk: Uint8Array) => void,
  onProgress?: (done: number, total: number | undefined) => void,
): Promise<void> {
  let source: AsyncIterable<Uint8Array | string>;
  let total: number | undefined;
  if (input === '-') source = io.stdin;
  else {
    try {
      const st = await fs.promises.stat(input);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      total = st.size;
      const fd = await fs.promises.open(input, 'r');
      await fd.close();
    } catch (err) {
      throw describeFsError(input, err);
    }
    source = fs.createReadStream(input, { highWaterMark: CHUNK });
  }

  const it = source[Symbol.asyncIterator]();
  let done = 0;
  const next = async (): Promise<Uint8Array | undefined> => {
    let r: IteratorResult<Uint8Array | string>;
    try {
      r = await it.next();
    } catch (err) {
      throw describeFsError(input === '-' ? '(stdin)' : input, err);
    }
    if (r.done) return undefined;
    const bytes = toBytes(r.value);
    done += bytes.length;
    onProgress?.(done, total);
    return bytes;
  };

  // Sniff the first two bytes (they may come in separate chunks).
  let head: Uint8Array = new Uint8Array(0);
  while (head.length < 2) {
    const c = await next();
    if (!c) break;
    head = head.length === 0 ? c : Buffer.concat([head, c]);
  }
  if (head.length === 0) return;
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  if (!gzip) {
    onChunk(head);
    for (let c = await next(); c; c = await next()) onChunk(c);
    return;
  }

  const gunzip = zlib.createGunzip({ chunkSize: CHUNK });
  const feed = async (): Promise<void> => {
    try {
      let c: Uint8Array | undefined = head;
      while (c) {
        if (!gunzip.write(c)) await new Promise<void>((resolve) => gunzip.once('drain', resolve));
        c = await next();
      }
      gunzip.end();
    } catch (err) {
      gunzip.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  };
  const consume = async (): Promise<void> => {
    try {
      for await (const out of gunzip) onChunk(out as Uint8Array);
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(
        `cannot decompress '${input === '-' ? '(stdin)' : input}': ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  };
  await Promise.all([feed(), consume()]);
}
