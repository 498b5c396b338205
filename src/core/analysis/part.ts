// What one FlowAnalyzer learned from one part of the input, as plain data (structured-clone safe: numbers,
// strings, typed arrays, arrays, plain objects), so that a worker can post it and merge.ts can combine parts in
// input order. PURE: no vscode, no DOM, no Node built-ins.
//
// Every counter travels as what it holds (sparse typed arrays: only the keys seen), never as class instances.
// Line numbers are numbered within the part until merge.ts localises them (offset by the lines of earlier parts
// of the same file, tagged with the file).

import type { AnalysisSummary, MitreRef, TriggerHitSummary } from '../../shared/summary';
import { trafficPathMeaning } from '../decode';
import type { ParseStats } from '../types';
import { DERIVED, STATEFUL } from './evaluate';
import type { RowFilter } from './rows';

/** A DenseCounter's non-zero keys: keys[i] with vals[3i..3i+2] = flows, bytes, packets; keys ascending. */
export interface DensePart {
  keys: Int32Array;
  vals: Float64Array;
}

/**
 * A NumTopCounter's counters: keys[2i], keys[2i+1] = (hi, lo); vals[4i..4i+3] = flows, bytes, packets, err;
 * texts[i] the key text of text-keyed tables (empty array otherwise). `approx`: past the exact-tracking cap.
 */
export interface TopPart {
  approx: boolean;
  keys: Float64Array;
  vals: Float64Array;
  texts: string[];
}

/** An AddrTop: IPv4 keys and text (IPv6, ...) keys. */
export interface AddrTopPart {
  v4: TopPart;
  other: TopPart;
}

/**
 * A TimeSeriesBuilder: bucket size, first and last bucket (min > max when empty), and the non-zero buckets
 * (t[i], vals[3i..3i+2] = flows, bytes, packets), t ascending.
 */
export interface SeriesPart {
  size: number;
  min: number;
  max: number;
  t: Float64Array;
  vals: Float64Array;
}

/** One trigger's count and first hits (lines within the part, or localised). */
export interface TriggerPart {
  count: number;
  hits: TriggerHitSummary[];
  /** The part sequence of each hit (once localised), to order hits across parts. */
  seq?: number[];
}

/**
 * One row of the MITRE table: hits, the distinct sources (IPv4 as numbers, anything else as text; capped:
 * `capped` once a new source arrived when full), and where the row was created (`at`: part sequence, line,
 * rank within the record) so that the combined table orders ties as one pass does.
 */
export interface MitrePart {
  mitre: MitreRef;
  hits: number;
  nums: Float64Array;
  texts: string[];
  capped: boolean;
  at: [number, number, number];
}

/**
 * Port-scan observations, in input order (ScanLog): per observation, f[4i..4i+3] = key a, key b, start time,
 * IPv4 source (-1 when not IPv4); i32[OBS_I*i ..] = line, dport, sport, protocol, flags, source text ref, target
 * text ref, part sequence, file (-1: none). A text ref indexes `texts` (-1: the canonical IPv4 text of the
 * address). See scanLog.ts.
 */
export interface ScanPart {
  n: number;
  f: Float64Array;
  i32: Int32Array;
  texts: string[];
  /**
   * Present once the observations are decided (ScanReplay.decide, as PartCombiner takes parts in input order):
   * only those that fired are kept, and fired[2i], fired[2i+1] are the ports and hosts observation i reached
   * (0 for a direction that did not fire). Absent: every observation, to be replayed by the summary.
   */
  fired?: Int32Array;
}

/** Everything one FlowAnalyzer learned from one part of the input: plain data (structured-clone safe, typed arrays ok). */
export interface AnalysisPart {
  readonly kind: 'vpcflow-analysis-part';
  /** The filters the analyzer applied (null: none). */
  filters: RowFilter[] | null;
  matched: number;
  /** The files of the first and last part it holds, once localised (-1: no files). */
  fileFirst: number;
  fileLast: number;
  // parser facts
  lines: number;
  headers: number;
  blank: number;
  unparsedLines: number;
  envelopeLines: number;
  noFlowMessages: number;
  flaggedRecords: number;
  /** Records the parser read (whatever the filters). */
  parsedRecords: number;
  formats: AnalysisSummary['formats'];
  envelopes: AnalysisSummary['envelopes'];
  // analyzer totals
  records: number;
  accepted: number;
  rejected: number;
  noData: number;
  skipData: number;
  other: number;
  /** Exact sums, in decimal. */
  bytes: string;
  packets: string;
  oversize: number;
  alerts: number;
  /** Unix seconds over records' start/end; null when no record had times. */
  tMin: number | null;
  tMax: number | null;
  unparsed: { line: number; reason: string; file?: number }[];
  // network
  netSeries: SeriesPart;
  protocols: DensePart;
  dstPorts: DensePart;
  talkers: AddrTopPart;
  conversations: AddrTopPart;
  regions: TopPart;
  azs: TopPart;
  vpcs: TopPart;
  interfaces: TopPart;
  directions: TopPart;
  paths: DensePart;
  pathUnknown: number;
  // security
  secSeries: SeriesPart;
  blockedSources: AddrTopPart;
  blockedPorts: DensePart;
  /** One per trigger declaration, in TRIGGERS order. */
  triggers: TriggerPart[];
  mitre: MitrePart[];
  scans: ScanPart;
  /**
   * A part of consecutive whole files read by one analyzer (FileBatch, batch.ts): the lines of each file, in
   * order. Its lines are numbered across those files (the first line of file k is 1 + the lines of the files before
   * it) until merge.ts localises them to their own file. Absent: one file, or a byte range of one.
   */
  fileLines?: number[];
}

/**
 * Whether an analysis with these filters can be split into parts: not when a filter selects the port-scan row,
 * the derived MITRE-threat row or the port-scan technique's MITRE row, since whether a record is in them depends
 * on the records before it (possibly in another part).
 */
export function splittableFilters(filters: readonly RowFilter[]): boolean {
  return filters.every(
    (f) =>
      !(f.dimension === 'trigger' && (f.key === STATEFUL.id || f.key === DERIVED.id)) &&
      !(f.dimension === 'mitre' && f.key === STATEFUL.mitre?.technique),
  );
}

type StatsPart = Pick<
  AnalysisPart,
  | 'kind'
  | 'filters'
  | 'matched'
  | 'lines'
  | 'headers'
  | 'blank'
  | 'unparsedLines'
  | 'envelopeLines'
  | 'noFlowMessages'
  | 'flaggedRecords'
  | 'parsedRecords'
  | 'fileFirst'
  | 'fileLast'
  | 'formats'
  | 'envelopes'
>;

/**
 * The parser's facts of a part, and the filters. Several stats (the files of a FileBatch, in order) are joined as
 * mergeParts joins the parts of different files.
 */
export function partOfStats(
  stats: ParseStats | readonly ParseStats[],
  filters: readonly RowFilter[] | null,
  matched: number,
): StatsPart {
  const list: readonly ParseStats[] = Array.isArray(stats) ? stats : [stats as ParseStats];
  const part: StatsPart = {
    kind: 'vpcflow-analysis-part',
    filters: filters === null ? null : filters.map((f) => ({ ...f })),
    matched,
    lines: 0,
    headers: 0,
    blank: 0,
    unparsedLines: 0,
    envelopeLines: 0,
    noFlowMessages: 0,
    flaggedRecords: 0,
    parsedRecords: 0,
    fileFirst: -1,
    fileLast: -1,
    formats: [],
    envelopes: [],
  };
  // As joinFormats over the files in order (no file continues another): every file's formats that parsed
  // records, and all of the last file's; written in one pass (a batch holds hundreds of files).
  list.forEach((s, i) => {
    part.lines += s.lines;
    part.headers += s.headers;
    part.blank += s.blank;
    part.unparsedLines += s.unparsed;
    part.envelopeLines += s.envelopeLines;
    part.noFlowMessages += s.noFlowMessages;
    part.flaggedRecords += s.flaggedRecords;
    part.parsedRecords += s.records;
    for (const f of s.formats) if (f.records > 0 || i === list.length - 1) part.formats.push(formatEntry(f));
    for (const e of s.envelopes) {
      const same = part.envelopes.find((x) => x.kind === e.kind);
      if (same) same.records += e.records;
      else part.envelopes.push({ kind: e.kind, records: e.records });
    }
  });
  return part;
}

/** A format the parser used, with its records, as the summary lists it. */
export function formatEntry(f: ParseStats['formats'][number]): AnalysisSummary['formats'][number] {
  return {
    label: f.format.label,
    source: f.format.source,
    confidence: f.format.confidence,
    fields: [...f.format.fields],
    records: f.records,
    notes: [...f.format.notes],
  };
}

/** Whether two format entries read the same layout: label, source and fields (how sure, and the notes, aside). */
function sameLayout(a: AnalysisSummary['formats'][number], b: AnalysisSummary['formats'][number]): boolean {
  return (
    a.label === b.label &&
    a.source === b.source &&
    a.fields.length === b.fields.length &&
    a.fields.every((f, i) => f === b.fields[i])
  );
}

/** Whether two format entries describe the same format (their records aside). */
export function sameFormat(a: AnalysisSummary['formats'][number], b: AnalysisSummary['formats'][number]): boolean {
  return (
    sameLayout(a, b) &&
    a.confidence === b.confidence &&
    a.notes.length === b.notes.length &&
    a.notes.every((n, i) => n === b.notes[i])
  );
}

/**
 * The formats as a summary shows them: each distinct layout (label, source and fields) once, where it first
 * appears, with the records of every stretch of input read in it, the lowest confidence any stretch was read with,
 * and every stretch's notes once each. Parts and the parser keep one entry per stretch (per header line, per file),
 * which is what makes a split join exactly; a folder of 2,880 S3 objects, or their concatenation, would otherwise
 * list "header (14 fields)" 2,880 times, and a folder of header-less files "default v2" once per file it was
 * inferred in (each with its own confidence and notes).
 */
export function distinctFormats(formats: AnalysisSummary['formats']): AnalysisSummary['formats'] {
  const out: AnalysisSummary['formats'] = [];
  for (const f of formats) {
    const same = out.find((o) => sameLayout(o, f));
    if (!same) {
      out.push({ ...f, fields: [...f.fields], notes: [...f.notes] });
      continue;
    }
    same.records += f.records;
    same.confidence = Math.min(same.confidence, f.confidence);
    for (const n of f.notes) if (!same.notes.includes(n)) same.notes.push(n);
  }
  return out;
}

/**
 * The formats of two parts, `a` before `b`, as the parser lists them: those that parsed records, and the one in
 * force at the end (b's). `continues`: b's first format is a's last one going on (the same file, the same format):
 * their records add up in one entry.
 */
export function joinFormats(
  a: AnalysisSummary['formats'],
  b: AnalysisSummary['formats'],
  continues: boolean,
): AnalysisSummary['formats'] {
  const last = a[a.length - 1];
  const formats = a.filter((f) => f.records > 0 && (!continues || f !== last)).map((f) => ({ ...f }));
  b.forEach((f, i) => {
    formats.push(continues && i === 0 && last !== undefined ? { ...f, records: f.records + last.records } : { ...f });
  });
  return formats;
}

/** The envelope counts of two parts, added by kind (a's kinds first). */
export function joinEnvelopes(
  a: AnalysisSummary['envelopes'],
  b: AnalysisSummary['envelopes'],
): AnalysisSummary['envelopes'] {
  const envelopes = a.map((e) => ({ ...e }));
  for (const e of b) {
    const same = envelopes.find((x) => x.kind === e.kind);
    if (same) same.records += e.records;
    else envelopes.push({ ...e });
  }
  return envelopes;
}

/** The byte and packet totals of a summary from their exact sums. */
export function bigTotals(
  bytes: bigint,
  packets: bigint,
  oversize: number,
): Pick<AnalysisSummary['totals'], 'bytes' | 'packets' | 'bytesExact' | 'packetsExact' | 'oversizeValues'> {
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return {
    bytes: Number(bytes),
    packets: Number(packets),
    ...(bytes > max ? { bytesExact: bytes.toString() } : {}),
    ...(packets > max ? { packetsExact: packets.toString() } : {}),
    ...(oversize > 0 ? { oversizeValues: oversize } : {}),
  };
}

/** The traffic-path table's label of a code. */
export function pathLabel(k: number): string {
  const meaning = trafficPathMeaning(String(k));
  return meaning ? `${k}: ${meaning}` : String(k);
}
