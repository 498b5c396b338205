// A file on disk as the AsyncBuffer the Parquet reader asks (src/core/input/parquet.ts): positional reads on one
// file handle, so only the footer and the column chunks of the row group being read are in memory. A small file
// (an S3 object of a few minutes, up to WHOLE_MAX) is read in one go on the first request instead: one read rather
// than one per column chunk. Node only.
import * as fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { AsyncBuffer, ParquetOptions } from '../core/input/parquet';

/** Node's Parquet options: node:zlib's native gunzip for GZIP pages (AWS's codec), the pure-JS ones for the rest. */
export const NODE_PARQUET: ParquetOptions = {
  compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)) },
};

/** Files up to this size are read whole on the first request. */
const WHOLE_MAX = 8 << 20;

/** An AsyncBuffer over the file at `path` (close it when done). Rejects like fs.promises.open/stat. */
export async function fileBuffer(path: string): Promise<AsyncBuffer & { close(): Promise<void> }> {
  const fd = await fs.promises.open(path, 'r');
  let byteLength: number;
  try {
    byteLength = (await fd.stat()).size;
  } catch (e) {
    await fd.close();
    throw e;
  }
  let closed = false;
  let whole: Promise<Uint8Array<ArrayBuffer>> | undefined;
  const read = async (from: number, length: number): Promise<Uint8Array<ArrayBuffer>> => {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await fd.read(out, done, length - done, from + done);
      // The file got shorter since it was opened: what is missing reads as truncation to the Parquet reader.
      if (bytesRead === 0) return out.subarray(0, done);
      done += bytesRead;
    }
    return out;
  };
  return {
    byteLength,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const from = Math.max(0, start < 0 ? byteLength + start : Math.min(start, byteLength));
      const e = end === undefined ? byteLength : end < 0 ? byteLength + end : Math.min(end, byteLength);
      const length = Math.max(0, e - from);
      if (byteLength <= WHOLE_MAX) {
        whole ??= read(0, byteLength);
        const all = await whole;
        return all.slice(from, Math.min(from + length, all.length)).buffer;
      }
      const out = await read(from, length);
      return out.length === out.buffer.byteLength ? out.buffer : out.slice().buffer;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await fd.close();
    },
  };
}
