// A file on disk as the AsyncBuffer the Parquet reader asks (src/core/input/parquet.ts): positional reads on one
// file handle, so only the footer and the column chunks of the row group being read are in memory. Node only.
import * as fs from 'node:fs';
import type { AsyncBuffer } from '../core/input/parquet';

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
  return {
    byteLength,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const from = Math.max(0, start < 0 ? byteLength + start : Math.min(start, byteLength));
      const e = end === undefined ? byteLength : end < 0 ? byteLength + end : Math.min(end, byteLength);
      const length = Math.max(0, e - from);
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fd.read(out, done, length - done, from + done);
        // The file got shorter since it was opened: what is missing reads as truncation to the Parquet reader.
        if (bytesRead === 0) return out.buffer.slice(0, done);
        done += bytesRead;
      }
      return out.buffer;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await fd.close();
    },
  };
}
