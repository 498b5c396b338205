// The Node extension host's side of `Host` (services.ts): local files streamed from disk with node:fs, gzip
// inflated by the core with node:zlib (src/node/zlibInflater.ts), and setImmediate between analysis slices.
// Imported only by the Node entry (extension.ts) and Node-side tests, so the browser bundle never contains a Node
// built-in.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { inputKind } from '../core/input/inflate';
import { analyzeInputs } from '../node/analyzeInputs';
import { zlibInflater } from '../node/zlibInflater';
import { CHUNK_BYTES, type StreamInfo, type StreamOptions } from './analyzeFile';
import type { Host, TextWriter } from './services';

export function createNodeHost(): Host {
  return {
    name: 'node',
    yieldToEventLoop: () => new Promise((resolve) => setImmediate(resolve)),
    localFiles: { stream: streamWithNode, openTextWriter },
    inflater: zlibInflater(zlib),
    // Analyze Folder…: the worker pool (dist/analysisWorker.js beside this bundle).
    analyzeInputs,
  };
}

/** Streams the bytes of a local file as they are on disk (the core decompresses), awaiting `onChunk` each time. */
async function streamWithNode(
  path: string,
  onChunk: (chunk: Uint8Array) => void | Promise<void>,
  { token, onProgress, stop, between }: StreamOptions,
): Promise<StreamInfo> {
  const size = (await fs.promises.stat(path)).size;
  const raw = fs.createReadStream(path, { highWaterMark: CHUNK_BYTES });
  let read = 0;
  let compressed = false;
  try {
    for await (const chunk of raw as AsyncIterable<Buffer>) {
      if (token?.isCancellationRequested) throw new vscode.CancellationError();
      if (read === 0) compressed = inputKind(chunk) === 'gzip';
      read += chunk.length;
      onProgress?.(read, size);
      await onChunk(chunk);
      if (stop?.()) break;
      if (between) await between();
    }
  } finally {
    raw.destroy();
  }
  return { size, compressed };
}

/** A write stream to a local file; `abort` removes the partial file. */
async function openTextWriter(path: string): Promise<TextWriter> {
  const out = fs.createWriteStream(path, { encoding: 'utf8' });
  await new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', reject);
  });
  return {
    write: (text) => void out.write(text),
    drain: () =>
      out.writableNeedDrain ? new Promise((resolve) => out.once('drain', () => resolve())) : Promise.resolve(),
    close: () => new Promise((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve()))),
    abort: async () => {
      out.destroy();
      await fs.promises.rm(path, { force: true });
    },
  };
}
