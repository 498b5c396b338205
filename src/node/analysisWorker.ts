// The analysis worker (worker_threads entry, bundled by esbuild.mjs into dist/analysisWorker.js): takes tasks
// from the pool (pool.ts), runs them one at a time (analyzeTask.ts) and posts progress and the part back.
// workerData is the AnalysisSetup every task shares. Node only.
import { parentPort, workerData } from 'node:worker_threads';
import { runTask, type AnalysisSetup, type AnalysisTask, type TaskProgress, type TaskResult } from './analyzeTask';
import type { WorkerReply } from './pool';

const setup = workerData as AnalysisSetup;
const port = parentPort;

/**
 * The buffers under the typed arrays of a part: moved to the pool's thread rather than copied (a part of a large
 * range holds megabytes of them; the analyzer that made them is done with them).
 */
function buffers(value: unknown, out: Set<ArrayBuffer>): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) if (typeof v === 'object' && v !== null) buffers(v, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const k in value) {
      const v = (value as Record<string, unknown>)[k];
      if (typeof v === 'object' && v !== null) buffers(v, out);
    }
  }
  return out;
}

if (port) {
  // Tasks run one after the other, in the order they came (the pool hands a worker its next task early).
  let last: Promise<void> = Promise.resolve();
  port.on('message', (m: { id: number; task: AnalysisTask }) => {
    const post = (reply: WorkerReply<TaskResult, TaskProgress>): void =>
      port.postMessage(reply, reply.type === 'done' ? [...buffers(reply.result.part, new Set())] : []);
    last = last.then(() =>
      runTask(m.task, setup, (progress) => post({ type: 'progress', id: m.id, progress })).then(
        (result) => post({ type: 'done', id: m.id, result }),
        (err: unknown) => post({ type: 'error', id: m.id, message: err instanceof Error ? err.message : String(err) }),
      ),
    );
  });
}
