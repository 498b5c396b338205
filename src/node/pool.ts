// A small worker_threads pool: a fixed number of workers started on demand, tasks queued in order, progress
// messages passed through. Each worker holds up to DEPTH tasks and runs them one after the other, so that it
// starts its next task as soon as it posts a result instead of waiting for this thread (busy combining parts) to
// hand one over. A worker that dies (crash, out of memory) fails the task it was running and is replaced; the task it
// held next runs on another. Node only.
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
  /** The tasks it holds, in the order it runs them. */
  jobs: Map<number, Job<T, R, P>>;
}

/** Tasks held per worker: the one it runs and the next. */
const DEPTH = 2;

/** Runs a task on the calling thread (see WorkerPool's `local`). */
export type LocalRunner<T, R, P> = (task: T, onProgress?: (p: P) => void) => Promise<R>;

/**
 * Workers running `script` (a CommonJS file), each given `workerData` when it starts. With `local`, the calling
 * thread is one of the `size` slots (it runs one task at a time through `local`, after the workers have been handed
 * theirs): on a thread that has nothing else to do while the workers run (the CLI), that saves starting one worker
 * and copying one part back. Not for a thread others wait for (the extension host).
 */
export class WorkerPool<T, R, P = unknown> {
  private readonly slots: Slot<T, R, P>[] = [];
  private readonly queue: Job<T, R, P>[] = [];
  private nextId = 1;
  private closed = false;
  /** The task the calling thread runs (`local`), if any. */
  private localJob: Job<T, R, P> | null = null;

  constructor(
    private readonly script: string,
    readonly size: number,
    private readonly workerData: unknown,
    private readonly local?: LocalRunner<T, R, P>,
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
    return this.queue.length + this.slots.reduce((n, s) => n + s.jobs.size, 0) + (this.localJob ? 1 : 0);
  }

  /** Stops every worker; tasks still queued or running are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const err = new Error('cancelled');
    for (const j of this.queue.splice(0)) j.reject(err);
    // A task on the calling thread cannot be stopped: its result is no longer awaited.
    this.localJob?.reject(err);
    const slots = this.slots.splice(0);
    for (const s of slots) {
      for (const j of s.jobs.values()) j.reject(err);
      s.jobs.clear();
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    const workers = this.local ? this.size - 1 : this.size;
    while (this.queue.length > 0) {
      // An idle worker first (starting one if the pool is not full), then the calling thread, then the least loaded
      // worker with room.
      let slot = this.slots.find((s) => s.jobs.size === 0);
      if (!slot && this.slots.length < workers) slot = this.spawn();
      if (!slot && this.local && this.localJob === null) {
        const job = this.queue.shift()!;
        this.localJob = job;
        // On the next turn, once this loop has handed the workers their tasks.
        setImmediate(() => void this.runLocal(job));
        continue;
      }
      if (!slot) {
        for (const s of this.slots) if (s.jobs.size < DEPTH && (!slot || s.jobs.size < slot.jobs.size)) slot = s;
      }
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.jobs.set(job.id, job);
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, task: job.task });
    }
  }

  private async runLocal(job: Job<T, R, P>): Promise<void> {
    try {
      job.resolve(await this.local!(job.task, job.onProgress));
    } catch (e) {
      job.reject(e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.localJob = null;
      if (!this.closed) this.pump();
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
    const slot: Slot<T, R, P> = { worker, jobs: new Map() };
    worker.on('message', (m: WorkerReply<R, P>) => {
      const job = slot.jobs.get(m.id);
      if (!job) return;
      if (m.type === 'progress') {
        job.onProgress?.(m.progress);
        return;
      }
      slot.jobs.delete(m.id);
      if (slot.jobs.size === 0) worker.unref();
      if (m.type === 'done') job.resolve(m.result);
      else job.reject(new Error(m.message));
      this.pump();
    });
    const lost = (err: Error): void => {
      const i = this.slots.indexOf(slot);
      if (i < 0) return; // closed, or already replaced
      this.slots.splice(i, 1);
      // The task it was running fails; the one it held next had not started: it goes back to the queue's front.
      const [running, ...waiting] = slot.jobs.values();
      slot.jobs.clear();
      running?.reject(err);
      this.queue.unshift(...waiting);
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
