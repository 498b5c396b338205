// The Node extension host's side of `Host` (services.ts): local files streamed from disk with node:fs and
// inflated with node:zlib, and setImmediate between analysis slices. Imported only by the Node entry
// (extension.ts) and Node-side tests, so the browser bundle never contains a Node built-in.
import * as vscode from 'vscode';
import { CHUNK_BYTES, isGzip, type StreamInfo, type StreamOptions } from './analyzeFile';
import type { Host } from './services';

export function createNodeHost(): Host {
  return {
    name: 'node',
    yieldToEventLoop: () => new Promise((resolve) => setImmediate(resolve)),
    localFiles: { stream: streamWithNode },
  };
}

async function streamWithNode(
  path: string,
  onChunk: (chunk: Uint8Array) => void,
  { token, onProgress, stop, between }: StreamOptions,
): Promise<StreamInfo> {
  const fs = await import('node:fs');
  const zlib = await import('node:zlib');
  const size = (await fs.promises.stat(path)).size;
  const head = Buffer.alloc(2);
  const fd = await fs.promises.open(path, 'r');
  try {
    await fd.read(head, 0, 2, 0);
  } finally {
    await fd.close();
  }
  const compressed = isGzip(head);
  await new Promise<void>((resolve, reject) => {
    const raw = fs.createReadStream(path, { highWaterMark: CHUNK_BYTES });
    const data = compressed ? raw.pipe(zlib.createGunzip({ chunkSize: CHUNK_BYTES })) : raw;
    let read = 0;
    let settled = false;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      raw.destroy();
      if (data !== raw) data.destroy();
      if (err) reject(err);
      else resolve();
    };
    const asError = (err: unknown): Error => (err instanceof Error ? err : new Error('stream failed'));
    raw.on('data', (chunk) => {
      read += chunk.length;
      onProgress?.(read, size);
    });
    data.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (token?.isCancellationRequested) return finish(new vscode.CancellationError());
      try {
        onChunk(chunk);
      } catch (err) {
        return finish(asError(err));
      }
      if (stop?.()) return finish();
      if (between) {
        data.pause();
        between().then(
          () => data.resume(),
          (err: unknown) => finish(asError(err)),
        );
      }
    });
    data.on('end', () => finish());
    data.on('error', (err: Error) => finish(err));
    raw.on('error', (err) => finish(err));
  });
  return { size, compressed };
}
