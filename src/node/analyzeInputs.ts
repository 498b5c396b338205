// Many inputs, one summary, on every core: files, folders (walked recursively, S3 objects in time order) and
// stdin are analysed in parallel by a pool of worker threads (pool.ts, analysisWorker.ts), a large plain file in
// byte ranges cut at line ends, and the parts are combined by merge.ts in input order. Used by the CLI
// (vpcflow analyze <path...>) and the Node extension host (Analyze Folder…). Node only.
//
// Memory: tasks are handed out as workers free up (at most two per worker in flight), and what is kept per file
// is its part and its FileFacts. A file that is no flow log (nothing parsed), unreadable, or not a flow-log Parquet
// file is skipped with a note and never stops the rest; a damaged one (truncated gzip or Parquet) counts what
// decoded.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import type { AnalysisConfig } from '../core/analysis/config';
import type { RowFilter } from '../core/analysis/rows';
import { inputKind, SNIFF_BYTES } from '../core/input/inflate';
import { orderByObjectTime } from '../core/input/objects';
import type { AnalysisSummary, FileFacts } from '../shared/summary';
import {
  analyzeStream,
  fsReason,
  runBatch,
  probeFormat,
  runTask,
  sameFormat,
  type AnalysisSetup,
  type AnalysisTask,
  type BatchResult,
  type BatchTask,
  type TaskProgress,
  type TaskResult,
  type WholeFileResult,
  type WorkerResult,
  type WorkerTask,
} from './analyzeTask';
import { notAFlowLog } from '../core/input/verdict';
import { PartCombiner } from './partCombiner';
import { WorkerPool } from './pool';
import { errorText } from '../core/text';

export interface InputsProgress {
  filesDone: number;
  filesTotal: number;
  lines: number;
  bytes: number;
}

export interface AnalyzeInputsOptions {
  /** Worker threads (default: the cores available, or 1 for less than 4 MB in all). 1 analyses in the calling thread. */
  jobs?: number;
  format?: string;
  config: AnalysisConfig;
  filters?: RowFilter[];
  top?: number;
  maxHits?: number;
  onProgress?(p: InputsProgress): void;
  signal?: AbortSignal;
  /** Where the worker script is (dist/analysisWorker.js); defaults to beside the running bundle. */
  workerScript?: string;
  /** Where stdin (`-`) is read from (default process.stdin). */
  stdin?: AsyncIterable<Uint8Array | string>;
  /** Split plain files of at least this many bytes into ranges (default 16 MiB; tests set it low). */
  splitBytes?: number;
  /** Keep `files` in the summary even for one input (default: only for several inputs or a folder). */
  files?: boolean;
  /**
   * Read consecutive small files (each at most 8 MiB) in batches of up to this many bytes, one analyzer per batch
   * (default: the input's size over the workers, from 1 to 16 MiB; 0: every file on its own).
   */
  batchBytes?: number;
  /**
   * The calling thread serves others (the extension host): what runs on it without workers (one job, or too little
   * input for workers) pauses after every piece read. Default false (the CLI: the thread is its own).
   */
  sharedThread?: boolean;
}

export interface InputsAnalysis {
  summary: AnalysisSummary;
  skipped: { path: string; reason: string }[];
  damaged: { path: string; damage: string }[];
  cancelled: boolean;
}

export interface InputEntry {
  /** Where to read it (`-` for stdin). */
  path: string;
  /** How to show it: as the user named it, or the folder given joined with the path inside it. */
  display: string;
  bytes: number;
  /** A file found in a folder that could not be read (its folder, or the file itself). */
  skipped?: string;
}

/** An input that cannot be analysed at all (a path that does not exist). */
export class InputsError extends Error {}

async function walk(dir: string, display: string, out: InputEntry[]): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch (err) {
    out.push({ path: dir, display, bytes: 0, skipped: `unreadable folder: ${fsReason(err)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // The files' sizes are asked for all at once: one after the other, 2,880 S3 objects cost 250-450 ms of round
  // trips to the file system before any analysis began. Each entry gets its slot first, so the order stays the
  // sorted one.
  const slots: InputEntry[][] = [];
  const pending: Promise<void>[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue; // hidden files and folders (.DS_Store, .git)
    const path = nodePath.join(dir, e.name);
    const shown = nodePath.join(display, e.name);
    const slot: InputEntry[] = [];
    slots.push(slot);
    if (e.isDirectory()) pending.push(walk(path, shown, slot));
    else if (e.isFile() || e.isSymbolicLink()) {
      pending.push(
        fs.promises.stat(path).then(
          (st) => {
            if (st.isFile()) slot.push({ path, display: shown, bytes: st.size }); // a link to a folder is not followed
          },
          (err: unknown) => {
            slot.push({ path, display: shown, bytes: 0, skipped: `unreadable: ${fsReason(err)}` });
          },
        ),
      );
    }
  }
  await Promise.all(pending);
  for (const slot of slots) out.push(...slot);
}

/**
 * The files `paths` name: files as given, `-` (stdin), folders walked recursively (hidden entries left out), the
 * files of each folder in time order (S3 object names, Hive partitions: see objects.ts), then by name. Rejects with
 * an InputsError for a path that does not exist or cannot be read.
 */
export async function listInputs(paths: readonly string[]): Promise<InputEntry[]> {
  const out: InputEntry[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push({ path: '-', display: '-', bytes: 0 });
      continue;
    }
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(p);
    } catch (err) {
      throw new InputsError(`cannot read '${p}': ${fsReason(err)}`);
    }
    if (st.isDirectory()) {
      const found: InputEntry[] = [];
      await walk(p, p, found);
      out.push(...orderByObjectTime(found, (e) => e.display));
    } else out.push({ path: p, display: p, bytes: st.size });
  }
  return out;
}

/** The worker script beside the running code: dist/analysisWorker.js in a bundle, the .ts source under tsx. */
export function defaultWorkerScript(): string {
  return __filename.endsWith('.ts')
    ? nodePath.join(__dirname, 'analysisWorker.ts')
    : nodePath.join(__dirname, 'analysisWorker.js');
}

/** The bytes a split file's format is resolved from (the inference sample is 200 record lines). */
const HEAD = 256 * 1024;
const SPLIT_MIN = 16 << 20;
/** Batches of small files (runBatch): files of at most BATCH_FILE_MAX, BATCH_MIN to BATCH_MAX bytes in all. */
const BATCH_FILE_MAX = 8 << 20;
const BATCH_MIN = 1 << 20;
const BATCH_MAX = 16 << 20;
/**
 * Batches per worker a folder aims at (within BATCH_MIN..BATCH_MAX). Each batch costs its own analyzer's tables
 * filling up again, a part and a merge; on a folder of equal S3 objects one batch per worker was the fastest
 * (288 objects on 2 cores: 2.2-2.3 s against 2.6 s with two and 2.7-2.8 s with four per worker).
 */
const TASKS_PER_JOB = 1;
/** Inputs smaller than this in all are read in the calling thread when no job count is given. */
const SMALL_INPUTS = 4 << 20;
/** How far past a cut to look for the line end it moves to. */
const LINE_SEARCH = 4 << 20;

async function readAt(fd: fs.promises.FileHandle, pos: number, n: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(n);
  const { bytesRead } = await fd.read(buf, 0, n, pos);
  return buf.subarray(0, bytesRead);
}

/** What the first bytes say (kind) and, for a plain file worth splitting, its ranges with their formats. */
async function planFile(
  path: string,
  size: number,
  ranges: number,
  format: string | undefined,
): Promise<AnalysisTask[]> {
  const fd = await fs.promises.open(path, 'r');
  try {
    const head = await readAt(fd, 0, ranges > 1 ? Math.min(HEAD, size) : SNIFF_BYTES);
    const kind = inputKind(head);
    if (kind !== 'plain' || ranges <= 1) return [{ path, kind }];
    const lastNl = head.lastIndexOf(10);
    if (lastNl < 0) return [{ path, kind }];
    const probe = probeFormat(head.subarray(0, lastNl + 1), format);
    if (probe.json || probe.format === null) return [{ path, kind }];
    // Cuts at about size * i / ranges, each moved to just after the next line end.
    const cuts = [0];
    for (let i = 1; i < ranges; i++) {
      const at = Math.floor((size * i) / ranges);
      if (at <= cuts[cuts.length - 1]!) continue;
      let cut = -1;
      for (let pos = at; pos < size && pos < at + LINE_SEARCH; pos += 64 * 1024) {
        const b = await readAt(fd, pos, 64 * 1024);
        const nl = b.indexOf(10);
        if (nl >= 0) {
          cut = pos + nl + 1;
          break;
        }
      }
      if (cut > cuts[cuts.length - 1]! && cut < size) cuts.push(cut);
    }
    if (cuts.length === 1) return [{ path, kind }];
    cuts.push(size);
    const tasks: AnalysisTask[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      tasks.push({ path, kind, start: cuts[i], end: cuts[i + 1], ...(i > 0 ? { preset: probe.format } : {}) });
    }
    return tasks;
  } finally {
    await fd.close();
  }
}

interface FileState {
  entry: InputEntry;
  /** The batch it is read in (see runBatch), if any. */
  batch?: Batch;
  facts: Omit<FileFacts, 'lines' | 'records' | 'unparsedLines' | 'format' | 'timeRange'>;
  results: (TaskResult | undefined)[];
  tasks: AnalysisTask[];
  waiting: number;
  done: boolean;
}

interface Batch {
  files: FileState[];
  result?: BatchResult;
}

/** Analyses `paths` (files, folders, `-`) into one summary. Rejects with an InputsError when a path does not exist. */
export async function analyzeInputs(paths: readonly string[], options: AnalyzeInputsOptions): Promise<InputsAnalysis> {
  const entries = await listInputs(paths);
  // By default every core, unless there is too little to read for workers to pay off (they take tens of ms to start).
  const total = entries.reduce((n, e) => n + e.bytes, 0);
  const jobs = Math.max(1, Math.floor(options.jobs ?? (total < SMALL_INPUTS ? 1 : os.availableParallelism())));
  const setup: AnalysisSetup = {
    config: options.config,
    ...(options.filters && options.filters.length > 0 ? { filters: options.filters } : {}),
    ...(options.format !== undefined ? { format: options.format } : {}),
  };
  const splitBytes = options.splitBytes ?? SPLIT_MIN;
  const signal = options.signal;
  const hasFiles = entries.some((e) => e.path !== '-' && e.skipped === undefined);
  const pool =
    jobs > 1 && hasFiles
      ? new WorkerPool<AnalysisTask | BatchTask, TaskResult | BatchResult, TaskProgress>(
          options.workerScript ?? defaultWorkerScript(),
          jobs,
          setup,
          // A thread that serves nothing else (the CLI) is one of the `jobs`: one worker fewer to start, one part
          // fewer to copy back.
          options.sharedThread === true
            ? undefined
            : (task, onProgress) =>
                'batch' in task ? runBatch(task, setup, onProgress) : runTask(task, setup, onProgress),
        )
      : null;
  const run = (task: AnalysisTask, onProgress: (p: TaskProgress) => void): Promise<TaskResult> =>
    pool
      ? (pool.run(task, onProgress) as Promise<TaskResult>)
      : runTask(task, setup, onProgress, options.sharedThread === true);
  const runFiles = (task: BatchTask, onProgress: (p: TaskProgress) => void): Promise<BatchResult> =>
    pool
      ? (pool.run(task, onProgress) as Promise<BatchResult>)
      : runBatch(task, setup, onProgress, options.sharedThread === true);
  const batchBytes =
    options.batchBytes ?? Math.min(BATCH_MAX, Math.max(BATCH_MIN, Math.floor(total / (jobs * TASKS_PER_JOB))));

  const several = options.files === true || entries.length !== 1 || paths.length !== 1 || entries[0]?.path !== paths[0];
  const combiner = new PartCombiner(options.config, several, {
    filters: options.filters,
    top: options.top,
    maxHits: options.maxHits,
  });
  const files: FileState[] = entries.map((entry) => ({
    entry,
    facts: {
      path: entry.display,
      kind: 'plain',
      bytes: entry.bytes,
      ...(entry.skipped !== undefined ? { skipped: entry.skipped } : {}),
    },
    results: [],
    tasks: [],
    waiting: 0,
    done: entry.skipped !== undefined,
  }));

  // Progress: lines and bytes of finished tasks plus what running tasks last said.
  let linesDone = 0;
  let bytesDone = 0;
  let filesDone = 0;
  const running = new Map<AnalysisTask | BatchTask, TaskProgress>();
  let lastTold = 0;
  const tell = (force: boolean): void => {
    if (!options.onProgress) return;
    const now = Date.now();
    if (!force && now - lastTold < 100) return;
    lastTold = now;
    let lines = linesDone;
    let bytes = bytesDone;
    let read = filesDone;
    for (const p of running.values()) {
      lines += p.lines;
      bytes += p.bytes;
      read += p.files ?? 0;
    }
    options.onProgress({ filesDone: read, filesTotal: files.length, lines, bytes });
  };

  let cancelled = signal?.aborted === true;
  let wake: (() => void) | null = null;
  const onAbort = (): void => {
    cancelled = true;
    wake?.();
  };
  signal?.addEventListener('abort', onAbort);

  const inFlight = new Set<Promise<unknown>>();
  /** Tasks running, or done and waiting for an earlier file to be combined first. */
  let held = 0;
  const limit = pool ? jobs * 3 : 1;
  /** The next file to combine: files go to the combiner in order, as soon as they and those before are done. */
  let next = 0;
  const feed = (): void => {
    while (next < files.length && files[next]!.done) {
      const b = files[next]!.batch;
      if (b?.result !== undefined) {
        // Its files are done together: one part for all of them.
        const first = combiner.file(b.files[0]!.facts);
        for (const f of b.files.slice(1)) combiner.file(f.facts);
        combiner.addBatch(
          b.result.part,
          first,
          b.result.files.map((x) => x.counts),
        );
        held--;
        b.result = undefined;
        next += b.files.length;
        continue;
      }
      const f = files[next++]!;
      const index = combiner.file(f.facts);
      for (const r of f.results) combiner.add(r!.part, index);
      held -= f.tasks.length;
      f.results = [];
      f.tasks = [];
    }
  };
  const fileDone = (f: FileState): void => {
    f.done = true;
    filesDone++;
    feed();
    tell(true);
    wake?.();
  };

  const finishFile = (f: FileState): void => {
    const results = f.results as TaskResult[];
    const splitOk = results.every(
      (r, i) => i === 0 || (!results[i - 1]!.jsonOpen && sameFormat(results[i - 1]!.endFormat, f.tasks[i]!.preset)),
    );
    if (!splitOk) {
      // The format changed inside a range, or a JSON document crossed a cut: not one pass. Read it whole.
      const whole: AnalysisTask = { path: f.entry.path, kind: 'plain' };
      held -= f.tasks.length - 1;
      f.tasks = [whole];
      f.results = [];
      f.waiting = 1;
      launch(f, whole, 0);
      return;
    }
    const records = results.reduce((n, r) => n + r.records, 0);
    const unparsed = results.reduce((n, r) => n + r.unparsed, 0);
    const damage = results.find((r) => r.damage !== undefined)?.damage;
    const skipped =
      results.find((r) => r.skipped !== undefined)?.skipped ??
      notAFlowLog(records, unparsed, damage, results.find((r) => r.firstProblem)?.firstProblem);
    if (skipped !== undefined) {
      f.facts.skipped = skipped;
      f.results = [];
    } else if (damage !== undefined) f.facts.damage = damage;
    fileDone(f);
  };

  /** Work in flight, waited for before the summary. */
  const track = (p: Promise<unknown>): void => {
    const tracked = p.finally(() => {
      inFlight.delete(tracked);
      wake?.();
    });
    inFlight.add(tracked);
  };

  const launch = (f: FileState, task: AnalysisTask, i: number): void => {
    const onProgress = (p: TaskProgress): void => {
      running.set(task, p);
      tell(false);
    };
    const p = (
      task.path === '-' ? analyzeStream(options.stdin ?? process.stdin, setup, onProgress) : run(task, onProgress)
    ).then(
      (r) => {
        running.delete(task);
        linesDone += r.lines;
        bytesDone += task.end !== undefined ? task.end - (task.start ?? 0) : f.entry.bytes;
        if (f.tasks[i] !== task) return; // replaced (read whole again)
        f.results[i] = r;
        if (--f.waiting === 0) finishFile(f);
      },
      (err: unknown) => {
        running.delete(task);
        if (cancelled || f.tasks[i] !== task) return;
        f.facts.skipped = `unreadable: ${errorText(err)}`;
        f.results = [];
        f.waiting = 0;
        fileDone(f);
      },
    );
    track(p);
  };

  const waitForRoom = async (): Promise<void> => {
    while (held >= limit && !cancelled) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  };

  /** Plans one file (its kind; ranges for a large plain file) and starts its tasks; `room`: wait for room first. */
  const startFile = async (f: FileState, room: boolean): Promise<void> => {
    const e = f.entry;
    if (e.path === '-') {
      f.facts.kind = 'plain';
      f.tasks = [{ path: '-', kind: 'plain' }];
    } else {
      try {
        const ranges =
          jobs > 1 && e.bytes >= splitBytes ? Math.min(jobs, Math.max(2, Math.floor(e.bytes / splitBytes))) : 1;
        f.tasks = await planFile(e.path, e.bytes, ranges, options.format);
        f.facts.kind = f.tasks[0]!.kind;
      } catch (err) {
        f.facts.skipped = `unreadable: ${fsReason(err)}`;
        f.tasks = [];
        fileDone(f);
        return;
      }
    }
    f.waiting = f.tasks.length;
    for (let i = 0; i < f.tasks.length; i++) {
      if (room) await waitForRoom();
      if (cancelled) break;
      held++;
      f.tasks[i]!.hitRoom = combiner.hitRoom();
      launch(f, f.tasks[i]!, i);
    }
  };

  /** Small files read whole, one after the other, from files[i] on (none, or at least two). */
  const batchAt = (i: number): FileState[] => {
    const fits = (f: FileState): boolean =>
      !f.done && f.entry.path !== '-' && f.entry.bytes <= BATCH_FILE_MAX && !(jobs > 1 && f.entry.bytes >= splitBytes);
    const run: FileState[] = [];
    let bytes = 0;
    for (let j = i; j < files.length && fits(files[j]!); j++) {
      const f = files[j]!;
      if (run.length > 0 && bytes + f.entry.bytes > batchBytes) break;
      bytes += f.entry.bytes;
      run.push(f);
    }
    return run.length >= 2 && batchBytes > 0 ? run : [];
  };

  /** Reads `run` as one batch; when it cannot be (see runBatch), each of its files on its own. */
  const launchBatch = (run: FileState[]): void => {
    const task: BatchTask = { batch: run.map((f) => f.entry.path), hitRoom: combiner.hitRoom() };
    const b: Batch = { files: run };
    for (const f of run) f.batch = b;
    const p = runFiles(task, (progress) => {
      running.set(task, progress);
      tell(false);
    }).then(
      (r) => {
        running.delete(task);
        for (const [k, f] of run.entries()) {
          const x = r.files[k]!;
          f.facts.kind = x.kind;
          if (x.skipped !== undefined) f.facts.skipped = x.skipped;
          else if (x.damage !== undefined) f.facts.damage = x.damage;
          linesDone += x.counts?.lines ?? 0;
          bytesDone += f.entry.bytes;
          f.done = true;
          filesDone++;
        }
        b.result = r;
        feed();
        tell(true);
        wake?.();
      },
      (_err: unknown) => {
        running.delete(task);
        if (cancelled) return undefined;
        held--;
        for (const f of run) f.batch = undefined;
        return Promise.all(run.map((f) => startFile(f, false))).then(() => undefined);
      },
    );
    track(p);
  };

  try {
    tell(true);
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      if (cancelled) break;
      if (f.done) {
        feed();
        continue;
      }
      const run = batchAt(i);
      if (run.length > 0) {
        await waitForRoom();
        if (cancelled) break;
        held++;
        launchBatch(run);
        i += run.length - 1;
        continue;
      }
      await startFile(f, true);
    }
    feed();
    while (inFlight.size > 0 && !cancelled) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Idle workers never hold the process: they stop while the parts are combined.
    if (pool) void pool.close().catch(() => undefined);
  }

  // A cancelled analysis covers the files combined so far (those done before the first one that was not).
  const kept = files.slice(0, next);
  const summary = combiner.summary();
  tell(true);
  return {
    summary,
    skipped: kept
      .filter((f) => f.facts.skipped !== undefined)
      .map((f) => ({ path: f.facts.path, reason: f.facts.skipped! })),
    damaged: kept
      .filter((f) => f.facts.damage !== undefined)
      .map((f) => ({ path: f.facts.path, damage: f.facts.damage! })),
    cancelled,
  };
}

export interface WholeFileOptions {
  config: AnalysisConfig;
  /** The user's format for header-less input. */
  format?: string;
  onProgress?(p: TaskProgress): void;
  signal?: AbortSignal;
  /** Where the worker script is (dist/analysisWorker.js); defaults to beside the running bundle. */
  workerScript?: string;
}

/**
 * One file analysed whole on a worker thread (Analyze File… in the Node extension host, so that the host's thread
 * stays free): the summary one pass gives, what the file is, and its size. Rejects when the file cannot be read or
 * is a Parquet file that is not a flow log, and with 'cancelled' once `signal` aborts.
 */
export async function analyzeFileInWorker(path: string, options: WholeFileOptions): Promise<WholeFileResult> {
  const setup: AnalysisSetup = {
    config: options.config,
    ...(options.format !== undefined ? { format: options.format } : {}),
  };
  const pool = new WorkerPool<WorkerTask, WorkerResult, TaskProgress>(
    options.workerScript ?? defaultWorkerScript(),
    1,
    setup,
  );
  const signal = options.signal;
  const onAbort = (): void => void pool.close().catch(() => undefined);
  signal?.addEventListener('abort', onAbort);
  try {
    if (signal?.aborted) throw new Error('cancelled');
    return (await pool.run({ whole: path }, (p) => options.onProgress?.(p))) as WholeFileResult;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    void pool.close().catch(() => undefined);
  }
}
