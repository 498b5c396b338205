// combineParts (src/core/analysis/merge.ts) as parts arrive: each part is localised (lines offset within its
// file, tagged with it) and merged in a balanced tree, as a binary counter does, instead of folded one by one.
// mergeParts is associative for every exact figure, so the summary is the same; the work is O(total · log parts)
// instead of O(parts · accumulated size) (a folder of 2,880 objects re-copied the whole accumulated part, scan
// log included, 2,880 times), and only log2(parts) merged parts are alive at a time: memory stays flat in the
// number of files. Each part's port-scan observations are replayed as it comes (parts come in input order) and
// only those that fired are kept, so memory stays flat in the size of the input too. PURE (no Node built-ins);
// used by analyzeInputs.ts.
import type { FileCounts } from '../core/analysis/batch';
import type { AnalysisConfig } from '../core/analysis/config';
import {
  addFileCounts,
  combineParts,
  localizePart,
  mergeParts,
  partCounts,
  type AnalysisPart,
  type FileInput,
} from '../core/analysis/merge';
import { summaryOfPart } from '../core/analysis/partSummary';
import type { RowFilter } from '../core/analysis/rows';
import { ScanReplay } from '../core/analysis/scanLog';
import { TRIGGERS } from '../core/analysis/triggers';
import type { AnalysisSummary, FileFacts } from '../shared/summary';

export interface CombinerOptions {
  filters?: RowFilter[];
  top?: number;
  maxHits?: number;
}

export class PartCombiner {
  /** Merged runs, earliest first; rank r holds 2^r parts (ranks strictly decrease up the stack). */
  private readonly stack: { part: AnalysisPart; rank: number }[] = [];
  private seq = 0;
  private readonly offsets = new Map<number, number>();
  private readonly scans: ScanReplay;
  private readonly facts: FileFacts[] = [];
  /** Hits kept so far per trigger, and unparsed lines (see trimmed). */
  private readonly hitsKept: number[] = [];
  private unparsedKept = 0;
  private readonly limits: {
    maxHits: number;
    maxUnparsed: number;
    cap: number;
    maxPoints: number;
    maxSources: number;
  };

  /** `withFiles`: the summary covers several inputs (hits and unparsed lines tagged with their file, `files` set). */
  constructor(
    private readonly config: AnalysisConfig,
    private readonly withFiles: boolean,
    private readonly options: CombinerOptions = {},
  ) {
    this.scans = new ScanReplay(config);
    this.limits = {
      maxHits: options.maxHits ?? config.maxHitsPerTrigger,
      maxUnparsed: config.maxUnparsed,
      cap: config.exactKeyCap,
      maxPoints: config.maxTimeBuckets,
      maxSources: config.maxMitreSources,
    };
  }

  /** The next input, in order (its parts follow with `add`). Returns its index. */
  file(input: FileInput): number {
    this.facts.push({ ...input, lines: 0, records: 0, unparsedLines: 0, format: null, timeRange: null });
    return this.facts.length - 1;
  }

  /** The next part, in input order, of file `file` (an index `file` returned). */
  add(part: AnalysisPart, file: number): void {
    const key = this.withFiles ? file : -1;
    const offset = this.offsets.get(key) ?? 0;
    this.offsets.set(key, offset + part.lines);
    const ff = this.facts[file];
    if (ff !== undefined) addFileCounts(ff, partCounts(part));
    this.push(localizePart(this.decided(this.trimmed(part)), this.seq++, offset, this.withFiles ? file : undefined));
  }

  /**
   * The part of a FileBatch (whole files `file`, `file + 1`, …: indices `file` returned, one per entry of
   * `counts`), with each file's counts (null for a file left out of it). Needs `withFiles`.
   */
  addBatch(part: AnalysisPart, file: number, counts: readonly (FileCounts | null)[]): void {
    if (!this.withFiles) throw new Error('a batch of files needs a combiner of several files');
    counts.forEach((c, k) => {
      this.offsets.set(file + k, part.fileLines?.[k] ?? 0);
      const ff = this.facts[file + k];
      if (c !== null && ff !== undefined) addFileCounts(ff, c);
    });
    this.push(localizePart(this.decided(this.trimmed(part)), this.seq, 0, file));
    this.seq += counts.length;
  }

  /**
   * The part with its port-scan observations decided: parts come in input order, so they are replayed here through
   * trackers that carry on from the part before, and only those that fired go on (and are localised, not the log).
   */
  private decided(part: AnalysisPart): AnalysisPart {
    return { ...part, scans: this.scans.decide(part.scans) };
  }

  /** A localised part, merged in the balanced tree. */
  private push(part: AnalysisPart): void {
    let top = { part, rank: 0 };
    for (;;) {
      const below = this.stack[this.stack.length - 1];
      if (below === undefined || below.rank !== top.rank) break;
      this.stack.pop();
      top = { part: mergeParts(this.config, below.part, top.part, this.limits), rank: top.rank + 1 };
    }
    this.stack.push(top);
  }

  /**
   * The part without the hits and unparsed lines that can no longer be kept: merging keeps the first `maxHits`
   * hits per trigger (and `maxUnparsed` lines) in input order, and parts arrive in input order, so once those
   * are in, later parts' lists are dropped here instead of being tagged and copied up the merge tree. Counts
   * are untouched.
   */
  private trimmed(part: AnalysisPart): AnalysisPart {
    let changed = false;
    const triggers = part.triggers.map((t, i) => {
      const kept = this.hitsKept[i] ?? 0;
      const room = Math.max(0, this.limits.maxHits - kept);
      this.hitsKept[i] = kept + Math.min(room, t.hits.length);
      if (t.hits.length <= room) return t;
      changed = true;
      return { ...t, hits: t.hits.slice(0, room) };
    });
    const room = Math.max(0, this.limits.maxUnparsed - this.unparsedKept);
    this.unparsedKept += Math.min(room, part.unparsed.length);
    if (part.unparsed.length > room) return { ...part, triggers, unparsed: part.unparsed.slice(0, room) };
    return changed ? { ...part, triggers } : part;
  }

  /**
   * Hits any later part can still contribute, per trigger (TRIGGERS order): for the analyzer of a part that is
   * not combined yet (AnalyzerOptions.hitRoom), so that it does not describe hits that would be dropped.
   */
  hitRoom(): number[] {
    return TRIGGERS.map((_, i) => Math.max(0, this.limits.maxHits - (this.hitsKept[i] ?? 0)));
  }

  /** The summary of everything added. */
  summary(): AnalysisSummary {
    const files = this.withFiles ? this.facts : undefined;
    const opts = { filters: this.options.filters, top: this.options.top, maxHits: this.options.maxHits };
    if (this.stack.length === 0) return combineParts(this.config, [], files, opts);
    let whole = this.stack[0]!.part;
    for (let i = 1; i < this.stack.length; i++)
      whole = mergeParts(this.config, whole, this.stack[i]!.part, this.limits);
    const summary = summaryOfPart(this.config, whole, opts);
    if (files !== undefined) summary.files = files;
    return summary;
  }
}
