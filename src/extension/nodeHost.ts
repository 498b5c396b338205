// The Node extension host's side of `Host` (services.ts): local files streamed from disk with node:fs (Parquet files
// read at positions, their gzip pages inflated by node:zlib), gzip inflated by the core with node:zlib
// (src/node/zlibInflater.ts), setImmediate between analysis slices, and the document worker (dist/documentWorker.js,
// a worker thread next to dist/extension.js) that analyses documents.
// Imported only by the Node entry (extension.ts) and Node-side tests, so the browser bundle never contains a Node
// built-in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { inputKind } from '../core/input/inflate';
import { analyzeFileInWorker, analyzeInputs } from '../node/analyzeInputs';
import { fileBuffer, NODE_PARQUET } from '../node/parquetFile';
import { zlibInflater } from '../node/zlibInflater';
import { CHUNK_BYTES, type StreamInfo, type StreamOptions } from './analyzeFile';
import type { Host, TextWriter, WorkerChannel } from './services';

export function createNodeHost(): Host {
  // The bundle's own folder (dist/); a bundle built without the worker entry next to it analyses in-thread.
  const workerFile = path.join(__dirname, 'documentWorker.js');
  return {
    name: 'node',
    yieldToEventLoop: () => new Promise((resolve) => setImmediate(resolve)),
    localFiles: { stream: streamWithNode, openTextWriter, openParquet: fileBuffer, parquetOptions: NODE_PARQUET },
    inflater: zlibInflater(zlib),
    // Analyze Folder…: the worker pool (dist/analysisWorker.js beside this bundle).
    analyzeInputs,
    // Analyze File…: one file whole on a worker thread (the same analysis worker script).
    analyzeFile: analyzeFileInWorker,
    documentWorker: fs.existsSync(workerFile) ? () => startWorker(workerFile) : undefined,
  };
}

/** A worker thread running `file`; it does not keep the extension host alive. */
function startWorker(file: string): WorkerChannel {
  const worker = new Worker(file);
  worker.unref();
  let exited = false;
  const exitListeners: ((error: Error | undefined) => void)[] = [];
  const exit = (error: Error | undefined): void => {
    if (exited) return;
    exited = true;
    for (const l of exitListeners) l(error);
  };
  worker.on('error', (e) => exit(e));
  worker.on('exit', (code) => exit(code === 0 ? undefined : new Error(`exit code ${code}`)));
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer ? [...transfer] : undefined),
    onMessage: (listener) => void worker.on('message', listener),
    onExit: (listener) => void exitListeners.push(listener),
    terminate: () => void worker.terminate(),
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
