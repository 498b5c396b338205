// The analysis worker (worker_threads entry, bundled by esbuild.mjs into dist/analysisWorker.js): takes tasks
// from the pool (pool.ts) one at a time, runs them (analyzeTask.ts) and posts progress and the part back.
// workerData is the AnalysisSetup every task shares. Node only.
import { parentPort, workerData } from 'node:worker_threads';
import { runTask, type AnalysisSetup, type AnalysisTask, type TaskProgress, type TaskResult } from './analyzeTask';
import type { WorkerReply } from './pool';

const setup = workerData as AnalysisSetup;
const port = parentPort;

if (port) {
  port.on('message', (m: { id: number; task: AnalysisTask }) => {
    const post = (reply: WorkerReply<TaskResult, TaskProgress>): void => port.postMessage(reply);
    runTask(m.task, setup, (progress) => post({ type: 'progress', id: m.id, progress })).then(
      (result) => post({ type: 'done', id: m.id, result }),
      (err: unknown) => post({ type: 'error', id: m.id, message: err instanceof Error ? err.message : String(err) }),
    );
  });
}
