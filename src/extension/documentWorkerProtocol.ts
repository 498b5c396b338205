// The messages between the extension host (documentWorkerClient.ts) and the document worker (documentWorker.ts).
// The worker keeps the text of each synced document (sent once, as UTF-8 bytes in line-aligned chunks, then kept up
// to date by edits) and sends back per-line facts as typed arrays (their buffers transferred, never copied twice).
import type { AnalysisConfig } from '../core/analysis/config';
import type { FieldWarning } from '../core/record';
import type { FlowFormat, FullParseStats } from '../core/types';
import type { AnalysisSummary } from '../shared/summary';
import type { LineFacts } from './lineFacts';

/** One change of a text, as VS Code reports it (UTF-16 offsets in the text before the change). */
export interface TextChange {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

/**
 * Where the worker may read a document's text itself: the saved file of an unmodified `file:` document. The worker
 * uses it only when the file is plain ASCII (the same text in every encoding VS Code could have decoded it with)
 * and matches the document (its length, line count, first and last lines); otherwise it replies `unsynced` and the
 * extension host streams the text.
 */
export interface FileSource {
  readonly path: string;
  /** The document's length in UTF-16 units (line breaks included). */
  readonly length: number;
  readonly firstLine: string;
  readonly lastLine: string;
}

export type ToWorker =
  /**
   * Analyse document `doc` at `version`. With `stream`, the text follows as `chunk` messages and an `end` (the worker
   * keeps it for later analyses); with `file`, the worker reads it from disk (see FileSource); with neither, the
   * worker analyses the text it holds, which must be of `version`.
   */
  | {
      readonly type: 'analyze';
      readonly job: number;
      readonly doc: number;
      readonly version: number;
      readonly lineCount: number;
      readonly stream: boolean;
      readonly file?: FileSource;
      /** The requested format ('' = auto). */
      readonly format: string;
      readonly config: AnalysisConfig;
      /** Send partial facts as the analysis goes (a document's first analysis). */
      readonly progress: boolean;
    }
  /** The next lines of a streamed text (UTF-8, whole lines, each with its line break but maybe the last). */
  | { readonly type: 'chunk'; readonly job: number; readonly bytes: Uint8Array; readonly lines: number }
  | { readonly type: 'end'; readonly job: number }
  | { readonly type: 'cancel'; readonly job: number }
  /** Edits that take the text the worker holds to `version`; `length` is the new text's length (a check). */
  | {
      readonly type: 'edit';
      readonly doc: number;
      readonly version: number;
      readonly changes: readonly TextChange[];
      readonly length: number;
    }
  | { readonly type: 'close'; readonly doc: number };

/** Per-line facts of lines [from, to) (1-based), while a first analysis runs. */
export interface PartialFacts {
  readonly type: 'partial';
  readonly job: number;
  readonly from: number;
  readonly to: number;
  readonly flags: Uint8Array;
  readonly formatIds: Uint16Array;
  readonly offsets: Int32Array | null;
  readonly triggerMasks: Uint32Array | null;
  /** Every format seen so far (formatIds index it). */
  readonly formats: readonly FlowFormat[];
  readonly unparsed: readonly (readonly [number, string])[];
  readonly flagged: readonly (readonly [number, FieldWarning])[];
}

export interface DoneFacts extends LineFacts {
  readonly type: 'done';
  readonly job: number;
  readonly alertLines: Int32Array;
  readonly summary: AnalysisSummary;
  readonly stats: FullParseStats;
  readonly mainFormat: FlowFormat | undefined;
  /** How long the job took in the worker, from the request to the facts posted (ms). */
  readonly workerMs: number;
}

export type FromWorker =
  | PartialFacts
  | DoneFacts
  /** The job ended without a result: `unsynced` when the worker does not hold the text of that version. */
  | {
      readonly type: 'failed';
      readonly job: number;
      readonly reason: 'unsynced' | 'cancelled' | 'error';
      readonly message: string;
    }
  /** The worker dropped the text of `doc` (an edit did not apply cleanly): the next analysis streams it again. */
  | { readonly type: 'desync'; readonly doc: number };
