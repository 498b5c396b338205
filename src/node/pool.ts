// A small worker_threads pool: a fixed number of workers started on demand, one task at a time each, tasks
// queued in order, progress messages passed through. A worker that dies (crash, out of memory) fails the task
// it held and is replaced. Node only.
import { Worker } from 'node:worker_threads';

/** What a pool worker posts: progress while a task runs, then its result or an error (see analysisWorker.ts). */
export type WorkerReply<R, P> =
  | { type: 'progress'; id: number; progress: P }
  | { type: 'done'; id: number; result: R }
  | { type: 'error'; id: number; message: string };

interface Job<T, R, P> {
  id: number;
  task: T;
  onProgress?: (p: P) => void;
  resolve(r: R): void;
  reject(e: Error): void;
}

interface Slot<T, R, P> {
  worker: Worker;
  job: Job<T, R, P> | null;
}

/** Workers running `script` (a CommonJS file), each given `workerData` when it starts. */
export class WorkerPool<T, R, P = unknown> {
  private readonly slots: Slot<T, R, P>[] = [];
  private readonly queue: Job<T, R, P>[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly script: string,
    readonly size: number,
    private readonly workerData: unknown,
  ) {}

  /** Runs `task` on the first free worker; resolves with what it posted as its result. */
  run(task: T, onProgress?: (p: P) => void): Promise<R> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, onProgress, resolve, reject });
      this.pump();
    });
  }

  /** Tasks waiting or running. */
  get busy(): number {
    return this.queue.length + this.slots.filter((s) => s.job !== null).length;
  }

  /** Stops every worker; tasks still queued or running are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const err = new Error('cancelled');
    for (const j of this.queue.splice(0)) j.reject(err);
    const slots = this.slots.splice(0);
    for (const s of slots) {
      s.job?.reject(err);
      s.job = null;
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, task: job.task });
    }
  }

  private spawn(): Slot<T, R, P> {
    // From the TypeScript sources (tests, tsx), the worker registers tsx itself: loader hooks do not reach workers.
    const worker = this.script.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(this.script)});`, {
          eval: true,
          workerData: this.workerData,
        })
      : new Worker(this.script, { workerData: this.workerData });
    const slot: Slot<T, R, P> = { worker, job: null };
    worker.on('message', (m: WorkerReply<R, P>) => {
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      if (m.type === 'progress') {
        job.onProgress?.(m.progress);
        return;
      }
      slot.job = null;
      worker.unref();
      if (m.type === 'done') job.resolve(m.result);
      else job.reject(new Error(m.message));
      this.pump();
    });
    const lost = (err: Error): void => {
      const i = this.slots.indexOf(slot);
      if (i < 0) return; // closed, or already replaced
      this.slots.splice(i, 1);
      const job = slot.job;
      slot.job = null;
      job?.reject(err);
      void worker.terminate();
      this.pump();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`analysis worker stopped (exit code ${code})`)));
    // A worker keeps the process alive only while it holds a task: an idle pool never does.
    worker.unref();
    this.slots.push(slot);
    return slot;
  }
}
