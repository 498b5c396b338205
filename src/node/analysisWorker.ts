// The analysis worker (worker_threads entry, bundled by esbuild.mjs into dist/analysisWorker.js): takes tasks
// from the pool (pool.ts), runs them one at a time (analyzeTask.ts) and posts progress and the part back.
// workerData is the AnalysisSetup every task shares. Node only.
import { parentPort, workerData } from 'node:worker_threads';
import {
  analyzeWholeFile,
  runBatch,
  runTask,
  type AnalysisSetup,
  type TaskProgress,
  type WorkerResult,
  type WorkerTask,
} from './analyzeTask';
import type { WorkerReply } from './pool';
import { errorText } from '../core/text';

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
  port.on('message', (m: { id: number; task: WorkerTask }) => {
    const post = (reply: WorkerReply<WorkerResult, TaskProgress>): void =>
      port.postMessage(
        reply,
        reply.type === 'done' && 'part' in reply.result ? [...buffers(reply.result.part, new Set())] : [],
      );
    const onProgress = (progress: TaskProgress): void => post({ type: 'progress', id: m.id, progress });
    const task = m.task;
    last = last.then(() =>
      ('whole' in task
        ? analyzeWholeFile(task.whole, setup, onProgress)
        : 'batch' in task
          ? runBatch(task, setup, onProgress)
          : runTask(task, setup, onProgress)
      ).then(
        (result) => post({ type: 'done', id: m.id, result }),
        (err: unknown) => post({ type: 'error', id: m.id, message: errorText(err) }),
      ),
    );
  });
}
