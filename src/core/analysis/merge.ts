// Combining analysis parts (part.ts) into one AnalysisSummary, so that a file, a byte range of a file and a
// folder are the same computation. PURE: no vscode, no DOM, no Node built-ins.
//
// Laws (test/core/analysis/merge.test.ts, test/property/merge.property.test.ts): combining the parts of a split
// gives what one pass over the whole gives for every exact figure (totals, exact top tables, time series, MITRE
// table, trigger counts and hit lists with their lines, port scans, alerts, unparsed lines, formats), and
// mergeParts is associative for them. What each piece does:
// - counters, totals, dense tables (ports, protocols): add.
// - top tables: exact counters add while the distinct keys of all parts fit under the exact-tracking cap. Past
//   it the table is approximate, as one pass would mark it (same `approximate`, same `distinct`): see mergeTop
//   for the error bound.
// - time series: buckets fold to the common ladder size and add (exact).
// - hit lists and unparsed lines: in input order, capped; counts exact. Lines are numbered within their part
//   until combineParts offsets them by the lines of the earlier parts of the same file (and tags the file).
// - port scans: each part records its observations (scanLog.ts); they are replayed in input order through one set
//   of trackers (ScanReplay: by the summary, or part by part as the parts come, keeping only those that fired), so
//   windows across part and file boundaries fire exactly as in one pass.

import type { AnalysisSummary, FileFacts } from '../../shared/summary';
import type { FileCounts } from './batch';
import type { AnalysisConfig } from './config';
import type { AddrTopPart, AnalysisPart, DensePart, MitrePart, TopPart, TriggerPart } from './part';
import { joinEnvelopes, joinFormats, partOfStats, sameFormat } from './part';
import { summaryOfPart } from './partSummary';
import type { RowFilter } from './rows';
import { concatScans, O_FILE, O_LINE, O_SEQ, OBS_I, ScanReplay } from './scanLog';
import { hash2 } from './slotTable';
import { mergeSeries } from './timeSeries';
import { SKETCH_SIZE, type RankBy } from './topN';
import { TRIGGERS } from './triggers';

export type { AnalysisPart } from './part';
export { splittableFilters } from './part';

/**
 * Where a part comes from: parts of one file are consecutive and in order. Parts are made by
 * `new FlowAnalyzer(config, { filters, part: true })` fed by a FlowParser, then `analyzer.part(parser.end())`;
 * every part of one combine uses the same configuration and filters. A byte range after the first of a plain file
 * must be parsed with the format in force at its start (ParseOptions.format), and its format entry then merges
 * with the previous range's when both describe the same format (label, source, confidence, fields, notes).
 */
export interface PartSource {
  file: number;
}

/** What the caller knows of an input; combineParts fills in the rest from its parts. */
export type FileInput = Omit<FileFacts, 'lines' | 'records' | 'unparsedLines' | 'format' | 'timeRange'>;

export interface CombineOptions {
  /** The filters the parts were analysed with (the summary's `filtered`); by default the parts'. */
  filters?: RowFilter[];
  /** Rows per top table (default config.topN). */
  top?: number;
  /** Hits kept per trigger (default config.maxHitsPerTrigger; parts kept no more than the config's). */
  maxHits?: number;
}

/**
 * Combines parts, in input order, into one summary. With `files`, each part's `file` indexes it: hits and
 * unparsed lines are numbered within their file and tagged with it, and the summary's `files` holds each file's
 * facts. Without, the parts are consecutive pieces of one input. Combining one part gives exactly what
 * FlowAnalyzer.finish gives for the whole input.
 */
export function combineParts(
  config: AnalysisConfig,
  parts: readonly { part: AnalysisPart; file: number }[],
  files: readonly FileInput[] | undefined,
  options?: CombineOptions,
): AnalysisSummary {
  const limits = limitsOf(config, options);
  let acc: AnalysisPart | null = null;
  const offsets = new Map<number, number>();
  const facts = files?.map((f): FileFacts => ({
    ...f,
    lines: 0,
    records: 0,
    unparsedLines: 0,
    format: null,
    timeRange: null,
  }));
  // Each part's port-scan observations are decided as it comes, in input order (as PartCombiner does): only those
  // that fired are localised and carried on, instead of every part's log copied into every merge.
  const scans = new ScanReplay(config);
  parts.forEach(({ part, file }, seq) => {
    if (part.fileLines !== undefined) throw new Error('a part of several files is combined by PartCombiner.addBatch');
    const key = files === undefined ? -1 : file;
    const offset = offsets.get(key) ?? 0;
    offsets.set(key, offset + part.lines);
    const decided = { ...part, scans: scans.decide(part.scans) };
    const local = localizePart(decided, seq, offset, files === undefined ? undefined : file);
    acc = acc === null ? local : mergeParts(config, acc, local, limits);
    const ff = facts?.[file];
    if (ff !== undefined) addFileCounts(ff, partCounts(part));
  });
  const whole: AnalysisPart = acc ?? emptyPart(options?.filters ?? null);
  const summary = summaryOfPart(config, whole, options);
  if (facts !== undefined) summary.files = facts;
  return summary;
}

/** What a part of one file holds of that file's facts. */
export function partCounts(part: AnalysisPart): FileCounts {
  return {
    lines: part.lines,
    records: part.parsedRecords,
    unparsedLines: part.unparsedLines,
    format: part.formats.find((f) => f.records > 0)?.label ?? null,
    timeRange: part.tMin !== null && part.tMax !== null ? { start: part.tMin, end: part.tMax } : null,
  };
}

/** Adds what a part (or a FileBatch) holds of a file to the file's facts. */
export function addFileCounts(ff: FileFacts, c: FileCounts): void {
  ff.lines += c.lines;
  ff.records += c.records;
  ff.unparsedLines += c.unparsedLines;
  if (ff.format === null) ff.format = c.format;
  const t = c.timeRange;
  if (t !== null) {
    ff.timeRange =
      ff.timeRange === null
        ? { ...t }
        : { start: Math.min(ff.timeRange.start, t.start), end: Math.max(ff.timeRange.end, t.end) };
  }
}

/** The caps a merge applies. */
export interface Limits {
  maxHits: number;
  maxUnparsed: number;
  cap: number;
  maxPoints: number;
  maxSources: number;
}

function limitsOf(config: AnalysisConfig, options: CombineOptions | undefined): Limits {
  return {
    maxHits: options?.maxHits ?? config.maxHitsPerTrigger,
    maxUnparsed: config.maxUnparsed,
    cap: config.exactKeyCap,
    maxPoints: config.maxTimeBuckets,
    maxSources: config.maxMitreSources,
  };
}

function emptyPart(filters: RowFilter[] | null): AnalysisPart {
  const top: TopPart = { approx: false, keys: new Float64Array(0), vals: new Float64Array(0), texts: [] };
  const addr: AddrTopPart = { v4: top, other: top };
  const dense: DensePart = { keys: new Int32Array(0), vals: new Float64Array(0) };
  const series = { size: 1, min: Infinity, max: -Infinity, t: new Float64Array(0), vals: new Float64Array(0) };
  return {
    ...partOfStats([], filters, 0),
    records: 0,
    accepted: 0,
    rejected: 0,
    noData: 0,
    skipData: 0,
    other: 0,
    bytes: '0',
    packets: '0',
    oversize: 0,
    alerts: 0,
    tMin: null,
    tMax: null,
    unparsed: [],
    netSeries: series,
    protocols: dense,
    dstPorts: dense,
    talkers: addr,
    conversations: addr,
    regions: top,
    azs: top,
    vpcs: top,
    interfaces: top,
    directions: top,
    paths: dense,
    pathUnknown: 0,
    secSeries: series,
    blockedSources: addr,
    blockedPorts: dense,
    triggers: TRIGGERS.map(() => ({ count: 0, hits: [], seq: [] })),
    mitre: [],
    scans: { n: 0, f: new Float64Array(0), i32: new Int32Array(0), texts: [] },
  };
}

/**
 * Where the files of lines numbered across files (FileBatch) start: `starts[k]` is the lines of the files before
 * file k, so file k holds lines starts[k] + 1 …; `within(line)` is the file of a line (a file of no lines holds
 * none). No `fileLines`: one file.
 */
function fileStarts(fileLines: readonly number[] | undefined): {
  starts: number[];
  within: (line: number) => number;
} {
  const starts: number[] = [];
  if (fileLines !== undefined) fileLines.reduce((n, l) => (starts.push(n), n + l), 0);
  const within = (line: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! < line) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return { starts, within };
}

/**
 * The summary of one pass over files read one after the other (FileBatch with an analyzer that is not in part
 * mode), with each hit and unparsed line given back to its file (`first` + its index among `fileLines`) and its
 * line in that file, as a folder's combined summary names them.
 */
export function localizeSummary(summary: AnalysisSummary, fileLines: readonly number[], first = 0): AnalysisSummary {
  const { starts, within } = fileStarts(fileLines);
  const tag = <T extends { line: number }>(x: T): T => {
    const k = within(x.line);
    return { ...x, line: x.line - (starts[k] ?? 0), file: first + k };
  };
  return {
    ...summary,
    unparsed: summary.unparsed.map(tag),
    triggers: summary.triggers.map((t) => ({ ...t, hits: t.hits.map(tag) })),
  };
}

/**
 * A part placed in the input: its lines offset by `offset` (the lines of the earlier parts of its file), tagged
 * with `file` (when defined) and with its sequence number (its index among the parts), which orders hits and
 * MITRE rows across parts. A part of several whole files (`fileLines`, see FileBatch) takes the files `file`,
 * `file + 1`, … and the sequence numbers `seq`, `seq + 1`, … (one per file), and each line goes back to its own
 * file's numbering (`offset` is then 0: whole files have no earlier parts).
 */
export function localizePart(part: AnalysisPart, seq: number, offset: number, file: number | undefined): AnalysisPart {
  const { fileLines, ...rest } = part;
  const { starts, within } = fileStarts(fileLines);
  const lineIn = (line: number, k: number): number => line + offset - (starts[k] ?? 0);
  const tag = <T extends { line: number }>(x: T): T => {
    const k = within(x.line);
    return { ...x, line: lineIn(x.line, k), ...(file !== undefined ? { file: file + k } : {}) };
  };
  const i32 = part.scans.i32.slice();
  for (let j = 0; j < part.scans.n; j++) {
    const o = j * OBS_I;
    const k = within(i32[o + O_LINE]!);
    i32[o + O_LINE] = lineIn(i32[o + O_LINE]!, k);
    i32[o + O_SEQ] = seq + k;
    i32[o + O_FILE] = file !== undefined ? file + k : -1;
  }
  return {
    ...rest,
    fileFirst: file ?? -1,
    fileLast: file !== undefined ? file + Math.max(0, (fileLines?.length ?? 1) - 1) : -1,
    unparsed: part.unparsed.map(tag),
    triggers: part.triggers.map((t) => ({
      count: t.count,
      hits: t.hits.map(tag),
      seq: t.hits.map((h) => seq + within(h.line)),
    })),
    mitre: part.mitre.map((m) => {
      const k = within(m.at[1]);
      return { ...m, at: [seq + k, lineIn(m.at[1], k), m.at[2]] };
    }),
    scans: { ...part.scans, i32 },
  };
}

function capped<T>(a: readonly T[], b: readonly T[], cap: number): T[] {
  if (a.length >= cap) return a.slice(0, cap);
  return a.concat(b.slice(0, cap - a.length));
}

/**
 * Two localised parts, `a` before `b`, as one (associative for every exact figure). Formats: `b`'s first format
 * continues `a`'s last when both are of the same file (or no files) and describe the same format.
 */
export function mergeParts(config: AnalysisConfig, a: AnalysisPart, b: AnalysisPart, limits?: Limits): AnalysisPart {
  const lim = limits ?? limitsOf(config, undefined);
  const last = a.formats[a.formats.length - 1];
  const first = b.formats[0];
  const continues = a.fileLast === b.fileFirst && last !== undefined && first !== undefined && sameFormat(last, first);
  const formats = joinFormats(a.formats, b.formats, continues);
  const envelopes = joinEnvelopes(a.envelopes, b.envelopes);
  const cap = lim.cap;
  return {
    kind: 'vpcflow-analysis-part',
    filters: a.filters,
    matched: a.matched + b.matched,
    fileFirst: a.fileFirst,
    fileLast: b.fileLast,
    lines: a.lines + b.lines,
    headers: a.headers + b.headers,
    blank: a.blank + b.blank,
    unparsedLines: a.unparsedLines + b.unparsedLines,
    envelopeLines: a.envelopeLines + b.envelopeLines,
    noFlowMessages: a.noFlowMessages + b.noFlowMessages,
    flaggedRecords: a.flaggedRecords + b.flaggedRecords,
    parsedRecords: a.parsedRecords + b.parsedRecords,
    formats,
    envelopes,
    records: a.records + b.records,
    accepted: a.accepted + b.accepted,
    rejected: a.rejected + b.rejected,
    noData: a.noData + b.noData,
    skipData: a.skipData + b.skipData,
    other: a.other + b.other,
    bytes: (BigInt(a.bytes) + BigInt(b.bytes)).toString(),
    packets: (BigInt(a.packets) + BigInt(b.packets)).toString(),
    oversize: a.oversize + b.oversize,
    alerts: a.alerts + b.alerts,
    tMin: a.tMin === null ? b.tMin : b.tMin === null ? a.tMin : Math.min(a.tMin, b.tMin),
    tMax: a.tMax === null ? b.tMax : b.tMax === null ? a.tMax : Math.max(a.tMax, b.tMax),
    unparsed: capped(a.unparsed, b.unparsed, lim.maxUnparsed),
    netSeries: mergeSeries(a.netSeries, b.netSeries, lim.maxPoints),
    protocols: mergeDense(a.protocols, b.protocols),
    dstPorts: mergeDense(a.dstPorts, b.dstPorts),
    talkers: mergeAddr(a.talkers, b.talkers, cap, 'bytes'),
    conversations: mergeAddr(a.conversations, b.conversations, cap, 'bytes'),
    regions: mergeTop(a.regions, b.regions, cap, 'flows'),
    azs: mergeTop(a.azs, b.azs, cap, 'flows'),
    vpcs: mergeTop(a.vpcs, b.vpcs, cap, 'flows'),
    interfaces: mergeTop(a.interfaces, b.interfaces, cap, 'flows'),
    directions: mergeTop(a.directions, b.directions, cap, 'flows'),
    paths: mergeDense(a.paths, b.paths),
    pathUnknown: a.pathUnknown + b.pathUnknown,
    secSeries: mergeSeries(a.secSeries, b.secSeries, lim.maxPoints),
    blockedSources: mergeAddr(a.blockedSources, b.blockedSources, cap, 'flows'),
    blockedPorts: mergeDense(a.blockedPorts, b.blockedPorts),
    triggers: a.triggers.map((t, i) => mergeTrigger(t, b.triggers[i]!, lim.maxHits)),
    mitre: mergeMitre(a.mitre, b.mitre, lim.maxSources),
    scans: concatScans(a.scans, b.scans),
  };
}

function mergeTrigger(a: TriggerPart, b: TriggerPart, maxHits: number): TriggerPart {
  return {
    count: a.count + b.count,
    hits: capped(a.hits, b.hits, maxHits),
    seq: capped(a.seq ?? [], b.seq ?? [], maxHits),
  };
}

/** Dense counters add (exact). Both parts' keys ascend (DenseCounter.part, and this), so one linear pass merges them. */
export function mergeDense(a: DensePart, b: DensePart): DensePart {
  const na = a.keys.length;
  const nb = b.keys.length;
  const keys = new Int32Array(na + nb);
  const vals = new Float64Array(3 * (na + nb));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < na || j < nb) {
    const ka = i < na ? a.keys[i]! : Infinity;
    const kb = j < nb ? b.keys[j]! : Infinity;
    if (ka <= kb) {
      keys[n] = ka;
      vals[3 * n] = a.vals[3 * i]!;
      vals[3 * n + 1] = a.vals[3 * i + 1]!;
      vals[3 * n + 2] = a.vals[3 * i + 2]!;
      i++;
      if (ka === kb) {
        vals[3 * n] = vals[3 * n]! + b.vals[3 * j]!;
        vals[3 * n + 1] = vals[3 * n + 1]! + b.vals[3 * j + 1]!;
        vals[3 * n + 2] = vals[3 * n + 2]! + b.vals[3 * j + 2]!;
        j++;
      }
    } else {
      keys[n] = kb;
      vals[3 * n] = b.vals[3 * j]!;
      vals[3 * n + 1] = b.vals[3 * j + 1]!;
      vals[3 * n + 2] = b.vals[3 * j + 2]!;
      j++;
    }
    n++;
  }
  return { keys: keys.slice(0, n), vals: vals.slice(0, 3 * n) };
}

/**
 * Two top tables' counters together. While both are exact and their distinct keys together fit under `cap`,
 * the counters add and the table is exact, as one pass gives it. Otherwise the table is approximate (as one pass
 * would mark it: more than `cap` distinct keys, `distinct` reported as cap + 1) and keeps the heaviest
 * SKETCH_SIZE (or cap) merged counters. Error bound, per key: a part that stayed exact contributes its exact
 * counts; an approximate part contributes its sketch's estimate, which over-counts the ranking weight by at
 * most the counter's `err` and under-counts it by at most the weight that part did not keep for the key (in
 * Space-Saving at most that part's smallest counter; in the randomized admission the analyzer uses, in
 * expectation). So a merged ranking weight w̃ of a key with true weight w satisfies
 * w − Σ_j min_j ≤ w̃ ≤ w + Σ_j err_j over the parts j that were approximate (or dropped the key in a merge), and
 * errs add up in `vals` (err). The other two metrics are under-estimates. A key heavier than Σ_j min_j in total
 * is never lost by the merge itself unless SKETCH_SIZE heavier keys exist.
 *
 * Keys are pairs of unsigned 32-bit numbers (topN.ts), looked up in an open-addressing index (slotTable.ts's
 * hash) built for this merge: no Map or string per key. The merged counters keep a's order, then b's new keys.
 */
export function mergeTop(a: TopPart, b: TopPart, cap: number, rankBy: RankBy): TopPart {
  const total = (a.keys.length + b.keys.length) / 2;
  let size = 4;
  while (size < total * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size); // counter index + 1, 0 = empty
  const keys = new Float64Array(2 * total);
  const vals = new Float64Array(4 * total);
  const texts: string[] = [];
  const withText = a.texts.length > 0 || b.texts.length > 0;
  let n = 0;
  for (const p of [a, b]) {
    const m = p.keys.length / 2;
    const pk = p.keys;
    const pv = p.vals;
    for (let i = 0; i < m; i++) {
      const hi = pk[2 * i]!;
      const lo = pk[2 * i + 1]!;
      let at = hash2(hi, lo) & mask;
      let c = -1;
      for (;;) {
        const s = slots[at]!;
        if (s === 0) break;
        if (keys[2 * (s - 1) + 1] === lo && keys[2 * (s - 1)] === hi) {
          c = s - 1;
          break;
        }
        at = (at + 1) & mask;
      }
      if (c < 0) {
        slots[at] = n + 1;
        keys[2 * n] = hi;
        keys[2 * n + 1] = lo;
        vals[4 * n] = pv[4 * i]!;
        vals[4 * n + 1] = pv[4 * i + 1]!;
        vals[4 * n + 2] = pv[4 * i + 2]!;
        vals[4 * n + 3] = pv[4 * i + 3]!;
        if (withText) texts.push(p.texts[i] ?? '');
        n++;
      } else {
        vals[4 * c] = vals[4 * c]! + pv[4 * i]!;
        vals[4 * c + 1] = vals[4 * c + 1]! + pv[4 * i + 1]!;
        vals[4 * c + 2] = vals[4 * c + 2]! + pv[4 * i + 2]!;
        vals[4 * c + 3] = vals[4 * c + 3]! + pv[4 * i + 3]!;
      }
    }
  }
  if (!a.approx && !b.approx && n <= cap) {
    return { approx: false, keys: keys.slice(0, 2 * n), vals: vals.slice(0, 4 * n), texts };
  }
  const keep = Math.min(n, cap, SKETCH_SIZE);
  const chosen = heaviest(n, keep, vals, rankBy === 'bytes' ? 1 : 0, keys, withText ? texts : null);
  const kk = new Float64Array(2 * keep);
  const vv = new Float64Array(4 * keep);
  const tt: string[] = [];
  for (let to = 0; to < keep; to++) {
    const from = chosen[to]!;
    kk[2 * to] = keys[2 * from]!;
    kk[2 * to + 1] = keys[2 * from + 1]!;
    for (let j = 0; j < 4; j++) vv[4 * to + j] = vals[4 * from + j]!;
    if (withText) tt.push(texts[from] ?? '');
  }
  return { approx: true, keys: kk, vals: vv, texts: tt };
}

/**
 * The `keep` heaviest of `n` counters, in the order NumTopCounter.top ranks them (weight descending, then key
 * text, then key), returned in counter order: the weights alone are searched to
 * find the weight of the last one kept (a selection, linear on average); only the counters tied at that weight are ordered by key. (The order of
 * an approximate part's counters is never read: tables are ranked again by NumTopCounter.top.)
 */
function heaviest(
  n: number,
  keep: number,
  vals: Float64Array,
  w: number,
  keys: Float64Array,
  texts: readonly string[] | null,
): Int32Array {
  const out = new Int32Array(keep);
  if (keep >= n) {
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }
  const ws = new Float64Array(n);
  for (let i = 0; i < n; i++) ws[i] = vals[4 * i + w]!;
  const t = kthSmallest(ws, n - keep);
  const ties: number[] = [];
  let m = 0;
  for (let i = 0; i < n; i++) {
    const wi = vals[4 * i + w]!;
    if (wi > t) out[m++] = i;
    else if (wi === t) ties.push(i);
  }
  ties.sort((x, y) => {
    if (texts !== null) {
      const a = texts[x] ?? '';
      const b = texts[y] ?? '';
      if (a !== b) return a < b ? -1 : 1;
    }
    return keys[2 * x]! - keys[2 * y]! || keys[2 * x + 1]! - keys[2 * y + 1]!;
  });
  for (let j = 0; m < keep; j++) out[m++] = ties[j]!;
  return out.sort();
}

/** The k-th smallest (0-based) of `a`, which it reorders (quickselect, median-of-three pivots). */
function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const tmp = a[i]!;
        a[i++] = a[j]!;
        a[j--] = tmp;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

function mergeAddr(a: AddrTopPart, b: AddrTopPart, cap: number, rankBy: RankBy): AddrTopPart {
  return { v4: mergeTop(a.v4, b.v4, cap, rankBy), other: mergeTop(a.other, b.other, cap, rankBy) };
}

/**
 * MITRE rows by technique: hits add; sources are the union, capped (one pass keeps the first `cap` distinct
 * sources and flags the row once more arrive, so the size min(distinct, cap) and the flag are exact); a row
 * keeps the place where it was first created.
 */
export function mergeMitre(a: readonly MitrePart[], b: readonly MitrePart[], cap: number): MitrePart[] {
  const out = a.map((r) => ({ ...r }));
  for (const r of b) {
    const i = out.findIndex((x) => x.mitre.technique === r.mitre.technique);
    if (i < 0) {
      out.push({ ...r });
      continue;
    }
    const x = out[i]!;
    const before =
      x.at[0] < r.at[0] || (x.at[0] === r.at[0] && (x.at[1] < r.at[1] || (x.at[1] === r.at[1] && x.at[2] <= r.at[2])));
    const nums = new Set<number>(x.nums);
    const texts = new Set<string>(x.texts);
    let over = x.capped || r.capped;
    for (const k of r.nums) {
      if (nums.has(k)) continue;
      if (nums.size + texts.size >= cap) over = true;
      else nums.add(k);
    }
    for (const k of r.texts) {
      if (texts.has(k)) continue;
      if (nums.size + texts.size >= cap) over = true;
      else texts.add(k);
    }
    out[i] = {
      mitre: before ? x.mitre : r.mitre,
      hits: x.hits + r.hits,
      nums: Float64Array.from(nums),
      texts: [...texts],
      capped: over,
      at: before ? x.at : r.at,
    };
  }
  return out;
}

export { summaryOfPart } from './partSummary';
