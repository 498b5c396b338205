// Format resolution without a header or user format: the well-known layouts (validated by value shapes, not
// token count alone), then inference of a custom layout from the shapes of the values over many lines. PURE.
import { FIELD_LIST, TWIN_GROUPS, type FieldEntry } from './fields';
import {
  ALPHABETICAL_29,
  DEFAULT_V2,
  DOCUMENTED_LAYOUTS,
  DOCUMENTED_ORDER,
  makeFormat,
  TGW_DEFAULT_FIELDS,
  withResolution,
} from './format';
import { isEphemeralPort, isServicePort } from './ports';
import { failedMetadata, FLAGGED, scanRecord } from './record';
import type { FlowFormat } from './types';
import { compileFormat, FLOW_FIELDS, isIPv4, isIPv6 } from './validate';

/** Below this, an inferred layout is not used (web server logs, CSV and prose score far lower). */
const MIN_INFERRED_CONFIDENCE = 0.2;
/** A layout needs real evidence: at least this many fields, one of them a flow field recognised by its values. */
const MIN_INFERRED_FIELDS = 3;

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** How sample lines fit a format: clean records, records with a flagged metadata value, and the rest. */
interface Fit {
  readonly clean: number;
  readonly flagged: number;
}

/**
 * Lines that are records of `format`: clean ones, and those with a flagged metadata value, as long as few of
 * their metadata values are flagged (one, or a tenth of them). A line whose metadata mostly does not fit is
 * not evidence for the layout even though its flow fields pass.
 */
function fitOf(texts: readonly string[], format: FlowFormat): Fit {
  const cf = compileFormat(format);
  const spans = new Int32Array(cf.n * 2);
  let metadata = 0;
  for (let k = 0; k < cf.n; k++) if (cf.codes[k] !== 0 && !cf.strict[k]) metadata++;
  const tolerated = Math.max(1, Math.floor(metadata / 10));
  let clean = 0;
  let flagged = 0;
  for (const t of texts) {
    const r = scanRecord(t, cf, format.fields, spans);
    if (r === undefined) clean++;
    else if (r === FLAGGED && failedMetadata(t, spans, cf, format.fields, tolerated + 1).length <= tolerated) flagged++;
  }
  return { clean, flagged };
}

/** Lines that are records of the format (clean, or with few flagged metadata values). */
function countValid(texts: readonly string[], format: FlowFormat): number {
  const f = fitOf(texts, format);
  return f.clean + f.flagged;
}

/** Orders candidates: more clean records, then more records, then a better fit of the values to the fields. */
function better(a: Fit, aShape: number, b: Fit, bShape: number): boolean {
  if (a.clean !== b.clean) return a.clean > b.clean;
  if (a.flagged !== b.flagged) return a.flagged > b.flagged;
  return aShape > bShape + 1e-9;
}

/**
 * Resolve the format of header-less text from a sample of record candidates: AWS's documented layouts first
 * (the default format, the 29-field alphabetical layout, the Transit Gateway default, every version prefix of
 * the documented field order and the documentation's example formats), each scored against the values; then
 * inference. Never throws.
 */
export function resolveFormat(texts: readonly string[]): FlowFormat {
  const n = texts.length;
  if (n === 0)
    return withResolution(DEFAULT_V2, {
      source: 'default',
      confidence: 0.5,
      notes: ['no records to judge by; assumed the default format'],
    });
  const counts = tokenCountHistogram(texts);
  let best = DEFAULT_V2;
  let bestFit: Fit = { clean: -1, flagged: 0 };
  let bestShape = 0;
  for (const f of DOCUMENTED_LAYOUTS) {
    // A layout no sample line has the token count of cannot win; DEFAULT_V2 stays the fallback.
    if (!counts.has(f.fields.length) && f !== DEFAULT_V2) continue;
    const fit = fitOf(texts, f);
    if (fit.clean + fit.flagged === 0 && f !== DEFAULT_V2) continue;
    const shape = shapeScore(texts, f.fields);
    if (better(fit, shape, bestFit, bestShape)) {
      best = f;
      bestFit = fit;
      bestShape = shape;
    }
  }
  const bestValid = Math.max(0, bestFit.clean + bestFit.flagged);
  const frac = bestValid / n;
  const knownConfidence = round2(frac * (0.85 + 0.13 * Math.min(1, bestValid / 20)));
  const knownNotes = (): string[] => {
    const notes: string[] = [];
    if (best.source === 'inferred') notes.push(`matched AWS's documented layout '${best.label}' by the values`);
    if (bestValid < n) notes.push(`${n - bestValid} of ${n} sample lines do not fit this layout`);
    if (bestFit.flagged > 0)
      notes.push(`${bestFit.flagged} sample line(s) have a metadata value that does not fit its field (kept, flagged)`);
    if (bestValid <= 2) notes.push(`decided on ${bestValid} line${bestValid === 1 ? '' : 's'} only`);
    return notes;
  };
  if (frac >= 0.5)
    return withResolution(best, { source: best.source, confidence: knownConfidence, notes: knownNotes() });

  const inferred = inferFormat(texts);
  if (inferred && inferred.valid > bestValid && inferred.format.confidence >= MIN_INFERRED_CONFIDENCE)
    return inferred.format;
  if (bestValid > 0)
    return withResolution(best, { source: best.source, confidence: knownConfidence, notes: knownNotes() });
  const notes = ['no sample line fits a known layout and no layout could be inferred; assumed the default format'];
  for (const f of [DEFAULT_V2, ALPHABETICAL_29]) {
    if (counts.get(f.fields.length))
      notes.push(
        `${counts.get(f.fields.length)} line(s) have the ${f.fields.length} tokens of '${f.label}' but their values do not fit it`,
      );
  }
  if (inferred)
    notes.push(
      `inference was not confident enough: ${inferred.format.label}, confidence ${inferred.format.confidence}`,
    );
  return withResolution(DEFAULT_V2, { source: 'default', confidence: 0.1, notes });
}

/** Mean fit (0..1) of the sample's columns to `fields`, over the lines with that many tokens. */
function shapeScore(texts: readonly string[], fields: readonly string[]): number {
  const k = fields.length;
  const rows = texts.map(tokenize).filter((r) => r.length === k);
  if (rows.length === 0) return 0;
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const col = columnOf(rows, c);
    const scorer = SCORERS.get(fields[c]!);
    sum += col.vals.length === 0 ? 0.5 : scorer ? scorer(col.vals, col) : 0.05;
  }
  return sum / k;
}

function tokenize(t: string): string[] {
  const s = t.trim();
  return s === '' ? [] : s.split(/[ \t]+/);
}

function tokenCountHistogram(texts: readonly string[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const t of texts) {
    const k = tokenize(t).length;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

// ------------------------------------------------------------------------------------------ inference

/** Field -> how well a column of values fits it, 0..1 (0 = impossible). `vals` are the non-`-` values. */
type Scorer = (vals: readonly string[], col: Column) => number;

interface Column {
  readonly vals: readonly string[];
  readonly nums: readonly number[] | null; // all values digits -> numbers
  readonly distinct: number;
}

/** Column `c` of token rows, `-` left out. */
function columnOf(rows: readonly (readonly string[])[], c: number): Column {
  const vals = rows.map((r) => r[c]!).filter((v) => v !== undefined && v !== '-');
  const allNum = vals.length > 0 && vals.every(isDigits);
  return { vals, nums: allNum ? vals.map(Number) : null, distinct: new Set(vals).size };
}

const isDigits = (v: string): boolean => v.length > 0 && v.length <= 20 && /^[0-9]+$/.test(v);
const EPOCH_MIN = 946_684_800; // 2000-01-01
const EPOCH_MAX = 4_102_444_800; // 2100-01-01
const VPC_FLAGS = new Set([0, 1, 2, 3, 4, 5, 6, 7, 18, 19, 22, 23]);
const COMMON_PROTOCOLS = new Set([1, 6, 17, 58]);

function all(vals: readonly string[], pred: (v: string) => boolean, tolerance = 0.02): boolean {
  let bad = 0;
  for (const v of vals) if (!pred(v)) bad++;
  return bad <= Math.floor(vals.length * tolerance);
}

function nums(col: Column, pred: (n: number) => boolean): boolean {
  return col.nums !== null && col.nums.every(pred);
}

const prefix =
  (p: string, weight: number, not?: string): Scorer =>
  (vals) =>
    all(vals, (v) => v.startsWith(p) && v.length > p.length && !(not !== undefined && v.startsWith(not))) ? weight : 0;
const oneOf =
  (words: readonly string[], weight: number): Scorer =>
  (vals) =>
    all(vals, (v) => words.includes(v), 0) ? weight : 0;
const ip =
  (weight: number): Scorer =>
  (vals) =>
    all(vals, (v) => (v.includes(':') ? isIPv6(v, 0, v.length) : isIPv4(v, 0, v.length))) ? weight : 0;
const epoch: Scorer = (_v, col) =>
  nums(col, (n) => (n >= EPOCH_MIN && n <= EPOCH_MAX) || (n >= EPOCH_MIN * 1000 && n <= EPOCH_MAX * 1000)) ? 0.95 : 0;
const count =
  (weight: number): Scorer =>
  (_v, col) =>
    col.nums !== null ? weight : 0;
const port: Scorer = (_v, col) => (nums(col, (n) => n <= 65535) ? (col.nums!.some((n) => n > 255) ? 0.75 : 0.5) : 0);
const account =
  (weight: number): Scorer =>
  (vals) =>
    all(vals, (v) => v === 'unknown' || (/^[0-9]+$/.test(v) && v.length === 12))
      ? weight
      : all(vals, (v) => /^[0-9]{10,12}$/.test(v))
        ? weight * 0.6
        : 0;
const az =
  (weight: number): Scorer =>
  (vals) =>
    all(vals, (v) => /^[a-z]{2,6}[0-9]{1,2}(-[a-z0-9]+)?-az[0-9]+$/.test(v)) ? weight : 0;
const arn =
  (kind: string): Scorer =>
  (vals) =>
    all(vals, (v) => v.startsWith('arn:') && v.includes(`:${kind}/`)) ? 1 : 0;
const hex =
  (len: number, weight: number): Scorer =>
  (vals) =>
    all(vals, (v) => v.length === len && /^[0-9a-f]+$/.test(v))
      ? weight
      : all(vals, (v) => v.length >= 8 && v.length <= len && /^[0-9a-f]+$/.test(v))
        ? weight / 3
        : 0;
const text: Scorer = () => 0.05;
const upperWord =
  (not: readonly string[], weight: number): Scorer =>
  (vals) =>
    all(vals, (v) => /^[A-Z][A-Z0-9_]*$/.test(v) && !not.includes(v)) ? weight : 0;
const snakeWord =
  (weight: number): Scorer =>
  (vals) =>
    all(vals, (v) => /^[a-z][a-z_]*$/.test(v)) ? weight : 0;
const version: Scorer = (_v, col) => (nums(col, (n) => n >= 2 && n <= 11) ? (col.distinct === 1 ? 0.85 : 0.4) : 0);
const protocol: Scorer = (_v, col) =>
  nums(col, (n) => n <= 255) ? (col.nums!.every((n) => COMMON_PROTOCOLS.has(n)) ? 0.8 : 0.3) : 0;
const tcpFlags: Scorer = (_v, col) =>
  nums(col, (n) => VPC_FLAGS.has(n)) ? 0.6 : nums(col, (n) => n <= 63) ? 0.4 : nums(col, (n) => n <= 255) ? 0.2 : 0;
const region: Scorer = (vals) => (all(vals, (v) => /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/.test(v)) ? 0.95 : 0);

/** The scorer of a catalogue entry's inference hint. */
function scorerOf(d: FieldEntry): Scorer {
  const h = d.infer;
  switch (h.by) {
    case 'prefix':
      return prefix(h.prefix, h.weight, h.not);
    case 'words':
      return oneOf(d.words, h.weight);
    case 'ip':
      return ip(h.weight);
    case 'count':
      return count(h.weight);
    case 'account':
      return account(h.weight);
    case 'az':
      return az(h.weight);
    case 'range':
      return (_v, col) => (nums(col, (n) => n >= h.min && n <= h.max) ? h.weight : 0);
    case 'arn':
      return arn(h.resource);
    case 'hex':
      return hex(h.length, h.weight);
    case 'upperWord':
      return upperWord(h.not, h.weight);
    case 'snakeWord':
      return snakeWord(h.weight);
    case 'epoch':
      return epoch;
    case 'portNumber':
      return port;
    case 'protocolNumber':
      return protocol;
    case 'flagBits':
      return tcpFlags;
    case 'versionNumber':
      return version;
    case 'regionCode':
      return region;
    case 'text':
      return text;
  }
}

/** Field name -> its scorer, for every catalogue entry. */
const SCORERS: ReadonlyMap<string, Scorer> = new Map(FIELD_LIST.map((d) => [d.name, scorerOf(d)]));

/** How well sample values (`-` left out) fit a catalogue field, 0..1; undefined for a name not in the catalogue. */
export function fieldFit(name: string, values: readonly string[]): number | undefined {
  const scorer = SCORERS.get(name);
  if (scorer === undefined) return undefined;
  const col = columnOf(
    values.map((v) => [v]),
    0,
  );
  return col.vals.length === 0 ? 0 : scorer(col.vals, col);
}

const ENTRIES: readonly FieldEntry[] = FIELD_LIST;
const CANDIDATES: readonly string[] = ENTRIES.map((d) => d.name);
/** Candidates usually in the first column (`leads`). */
const LEADS: readonly number[] = ENTRIES.flatMap((d, j) => (d.leads ? [j] : []));

/** Minimum-cost assignment of n rows to m >= n columns (Hungarian algorithm). Returns row -> column. */
export function assign(cost: readonly (readonly number[])[]): number[] {
  const n = cost.length;
  const m = n === 0 ? 0 : cost[0]!.length;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const out = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) out[p[j]! - 1] = j - 1;
  return out;
}

export interface InferenceResult {
  readonly format: FlowFormat;
  /** Sample lines that validate with the inferred format. */
  readonly valid: number;
}

/**
 * Infer a header-less layout from sample lines. Columns are matched to fields by value shape (Hungarian
 * assignment over fit scores); fields that values cannot tell apart are ordered by what their semantics imply
 * (start <= end, bytes >= packets, SYN packets go to the service port) and the result says so in `notes`;
 * where nothing decides, AWS's order is used and the format is marked `ambiguous`.
 * Returns undefined when the sample has no usable lines.
 */
export function inferFormat(texts: readonly string[]): InferenceResult | undefined {
  const rowsAll = texts.map(tokenize).filter((r) => r.length > 0);
  if (rowsAll.length === 0) return undefined;
  const hist = new Map<number, number>();
  for (const r of rowsAll) hist.set(r.length, (hist.get(r.length) ?? 0) + 1);
  let k = 0;
  let kCount = 0;
  for (const [len, c] of hist) if (c > kCount || (c === kCount && len > k)) [k, kCount] = [len, c];
  if (k > CANDIDATES.length || k < MIN_INFERRED_FIELDS) return undefined;
  const rows = rowsAll.filter((r) => r.length === k);

  const columns: Column[] = [];
  for (let c = 0; c < k; c++) columns.push(columnOf(rows, c));
  const scores = columns.map((col) =>
    CANDIDATES.map((f) => (col.vals.length === 0 ? 0 : SCORERS.get(f)!(col.vals, col))),
  );
  // Transit Gateway records (a tgw- or tgw-attach- column) use the TGW field set: prefer its fields over
  // the VPC-only ones of the same shape.
  const tgwMode = scores.some((row) => row.some((sc, j) => sc > 0 && ENTRIES[j]!.marksTgw));
  const family = ENTRIES.map((d) => d.family);
  // Most formats start with `version` (`leads`): a small nudge for column 1 (it only decides between equal shapes).
  for (let c = 0; c < k; c++) {
    const row = scores[c]!;
    for (let j = 0; j < row.length; j++) {
      if (row[j]! <= 0) continue;
      if (tgwMode && family[j] === 'vpc') row[j] = row[j]! * 0.5;
    }
    if (c === 0) for (const j of LEADS) if (row[j]! > 0) row[j] = Math.min(1, row[j]! + 0.1);
  }
  const freePick = assign(scores.map((row) => row.map((s) => 1 - s)));
  const free = finishLayout(
    texts,
    rows,
    rowsAll.length,
    columns,
    freePick.map((j) => CANDIDATES[j]!),
    freePick.map((j, c) => scores[c]![j]!),
    null,
  );
  // Fields in one of AWS's orders (a subset of the documented order, an alphabetical one, the Transit Gateway
  // order) are what the console and the documentation produce: preferred when they explain the values about
  // as well, since the order itself then tells apart the fields values cannot (srcaddr/dstaddr, ...).
  let chosen = free;
  if (free !== undefined) {
    for (const [order, name] of ORDERS) {
      const aligned = alignInOrder(scores, columns, order);
      if (aligned === undefined) continue;
      // Only where it reads every column as well as the free assignment (or the free one had no idea):
      // the order then decides what the values leave open, and never overrides what they say.
      const asGood = aligned.colScore.every((sc, c) => sc >= free.colScore[c]! - 0.02 || free.colScore[c]! < 0.1);
      if (!asGood) continue;
      const r = finishLayout(texts, rows, rowsAll.length, columns, aligned.fields, aligned.colScore, name);
      if (r !== undefined && r.valid >= chosen!.valid) {
        chosen = r;
        break;
      }
    }
  }
  return chosen === undefined ? undefined : { format: chosen.format, valid: chosen.valid };
}

/** The orders AWS lists fields in, for `alignInOrder`. */
const ORDERS: readonly (readonly [readonly string[], string])[] = [
  [DOCUMENTED_ORDER, "AWS's documented field order"],
  [TGW_DEFAULT_FIELDS, 'the Transit Gateway field order'],
];

/**
 * The best assignment of columns to fields that keeps `order` (column i before column j means field i before
 * field j in `order`), by dynamic programming over (column, field). A column whose values cannot be its field
 * (score 0) is not allowed; an all-`-` column can be any field. Undefined when no such assignment exists.
 */
function alignInOrder(
  scores: readonly (readonly number[])[],
  columns: readonly Column[],
  order: readonly string[],
): { fields: string[]; colScore: number[] } | undefined {
  const idx = order.map((f) => CANDIDATES.indexOf(f)).filter((j) => j >= 0);
  const k = scores.length;
  const F = idx.length;
  if (k === 0 || k > F) return undefined;
  const cell = (c: number, j: number): number => {
    if (columns[c]!.vals.length === 0) return 0.01;
    const s = scores[c]![idx[j]!]!;
    return s > 0 ? s : -Infinity;
  };
  const dp = new Float64Array(k * F).fill(-Infinity);
  const from = new Int32Array(k * F).fill(-1);
  for (let j = 0; j < F; j++) dp[j] = cell(0, j);
  for (let c = 1; c < k; c++) {
    let bestPrev = -Infinity;
    let bestPrevJ = -1;
    for (let j = 0; j < F; j++) {
      if (bestPrev > -Infinity) {
        const v = bestPrev + cell(c, j);
        if (v > dp[c * F + j]!) {
          dp[c * F + j] = v;
          from[c * F + j] = bestPrevJ;
        }
      }
      const prev = dp[(c - 1) * F + j]!;
      if (prev > bestPrev) {
        bestPrev = prev;
        bestPrevJ = j;
      }
    }
  }
  let end = -1;
  for (let j = 0; j < F; j++) if (dp[(k - 1) * F + j]! > (end < 0 ? -Infinity : dp[(k - 1) * F + end]!)) end = j;
  if (end < 0 || dp[(k - 1) * F + end] === -Infinity) return undefined;
  const fields = new Array<string>(k);
  const colScore = new Array<number>(k);
  for (let c = k - 1, j = end; c >= 0; c--) {
    fields[c] = CANDIDATES[idx[j]!]!;
    colScore[c] = columns[c]!.vals.length === 0 ? 0 : scores[c]![idx[j]!]!;
    j = from[c * F + j]!;
  }
  return { fields, colScore };
}

interface Finished {
  readonly format: FlowFormat;
  readonly valid: number;
  /** Fit of each column to its field, 0..1. */
  readonly colScore: readonly number[];
}

/**
 * Settle the fields that values cannot tell apart (by semantics where the sample shows them, else by the
 * order: AWS's order for a free assignment, `ordered` for one that keeps an AWS order), count the sample lines
 * that validate and rate the result. Undefined when the layout has no flow field recognised by its values
 * (a file of one word per line, prose, a CSV of other things: not a flow log).
 */
function finishLayout(
  texts: readonly string[],
  rows: readonly (readonly string[])[],
  rowCount: number,
  columns: readonly Column[],
  fields: string[],
  colScore: readonly number[],
  ordered: string | null,
): Finished | undefined {
  const k = fields.length;
  if (!fields.some((f, c) => FLOW_FIELDS.has(f) && colScore[c]! >= 0.5)) return undefined;
  const notes: string[] = [];
  let ambiguous = false;
  let twinAmbiguous = false;
  if (ordered !== null) notes.push(`fields read in ${ordered}, which fits the values`);

  // Columns nothing could identify.
  columns.forEach((col, c) => {
    if (col.vals.length === 0) {
      ambiguous = true;
      notes.push(`column ${c + 1} is '-' in every sample line: its field cannot be told (read as ${fields[c]})`);
    } else if (colScore[c]! < 0.1) {
      ambiguous = true;
      notes.push(`column ${c + 1} matches no distinctive field shape (read as ${fields[c]})`);
    }
  });

  const numAt = (c: number, r: readonly string[]): number | undefined => {
    const v = r[c];
    return v === undefined || v === '-' || !isDigits(v) ? undefined : Number(v);
  };
  /** Compare two numeric columns over the rows: 'le' when a <= b everywhere and < somewhere, 'ge', 'eq', or 'mixed'. */
  const order = (a: number, b: number): 'le' | 'ge' | 'eq' | 'mixed' | 'none' => {
    let lt = 0;
    let gt = 0;
    let seen = 0;
    for (const r of rows) {
      const x = numAt(a, r);
      const y = numAt(b, r);
      if (x === undefined || y === undefined) continue;
      seen++;
      if (x < y) lt++;
      else if (x > y) gt++;
    }
    if (seen === 0) return 'none';
    if (lt > 0 && gt === 0) return 'le';
    if (gt > 0 && lt === 0) return 'ge';
    if (lt === 0 && gt === 0) return 'eq';
    return 'mixed';
  };

  for (const twins of TWIN_GROUPS) {
    const group = twins.fields;
    const tell = twins.tell;
    const cols = fields.map((f, c) => (group.includes(f) ? c : -1)).filter((c) => c >= 0);
    if (cols.length === 0) continue;
    if (ordered === null) {
      // Default: AWS's order (the canonical order of the group), by column position.
      const assigned = cols.map((c) => fields[c]!).sort((a, b) => group.indexOf(a) - group.indexOf(b));
      cols.forEach((c, i) => (fields[c] = assigned[i]!));
    }
    const label = group.length === 2 ? `${group[0]}/${group[1]}` : group.join('/');
    if (cols.length === 1) {
      if (group.length > 1 && columns[cols[0]!]!.vals.length > 0) {
        // One column of a twin group: which twin it is cannot be told from its values.
        twinAmbiguous = true;
        notes.push(`column ${cols[0]! + 1} could be any of ${label}; read as ${fields[cols[0]!]}`);
      }
      continue;
    }
    const [a, b] = [cols[0]!, cols[1]!];
    const [first, second] = [group[0]!, group[1]!];
    if (cols.length === 2 && tell?.by === 'smallerFirst') {
      const [lo, hi] = [first, second];
      const o = order(a, b);
      if (o === 'le' || o === 'ge') {
        fields[a] = o === 'le' ? lo : hi;
        fields[b] = o === 'le' ? hi : lo;
        notes.push(`${lo}/${hi} told apart by ${lo} <= ${hi} (columns ${a + 1} and ${b + 1})`);
      } else if (o === 'eq') {
        notes.push(`${lo}/${hi} are equal in every sample line; their order does not change any value`);
      } else {
        twinAmbiguous = true;
        notes.push(
          `${lo}/${hi} cannot be told apart (${o === 'mixed' ? 'neither is always the larger' : 'no numeric values'}); read in AWS's order`,
        );
      }
      continue;
    }
    if (cols.length === 2 && tell?.by === 'servicePort') {
      // A lone SYN is sent by the client: from its ephemeral port to the service port.
      const flagsCol = fields.indexOf(tell.flags);
      let srcFirst = 0;
      let dstFirst = 0;
      if (flagsCol >= 0) {
        for (const r of rows) {
          if (r[flagsCol] !== tell.syn) continue;
          const x = numAt(a, r);
          const y = numAt(b, r);
          if (x === undefined || y === undefined || x === y) continue;
          if (x > y) srcFirst++;
          else dstFirst++;
        }
      }
      // A rejected flow has no reply: its packets go from an ephemeral port to the service port (below 1024
      // or a well-known service). Used when there are no SYN packets to go by, and only when rejected lines agree.
      const actionCol = fields.indexOf(tell.action);
      let rejSrcFirst = 0;
      let rejDstFirst = 0;
      if (actionCol >= 0 && srcFirst + dstFirst === 0) {
        for (const r of rows) {
          if (r[actionCol] !== tell.reject) continue;
          const x = numAt(a, r);
          const y = numAt(b, r);
          if (x === undefined || y === undefined) continue;
          if (isEphemeralPort(x) && isServicePort(y)) rejSrcFirst++;
          else if (isEphemeralPort(y) && isServicePort(x)) rejDstFirst++;
        }
      }
      const rej = rejSrcFirst + rejDstFirst;
      const rejMajority = Math.max(rejSrcFirst, rejDstFirst);
      if (srcFirst + dstFirst > 0 && (srcFirst === 0 || dstFirst === 0)) {
        fields[a] = srcFirst > 0 ? first : second;
        fields[b] = srcFirst > 0 ? second : first;
        notes.push(
          `${label} told apart by SYN packets (${tell.flags} ${tell.syn}), which go from an ephemeral port to the service port`,
        );
      } else if (rej >= 3 && rejMajority >= 0.9 * rej) {
        fields[a] = rejSrcFirst >= rejDstFirst ? first : second;
        fields[b] = rejSrcFirst >= rejDstFirst ? second : first;
        notes.push(
          `${label} told apart by ${tell.reject} records (${rejMajority} of ${rej}), which go from an ephemeral port to a service port`,
        );
      } else {
        twinAmbiguous = true;
        notes.push(`${label} cannot be told apart by value; read in AWS order (source first)`);
      }
      continue;
    }
    twinAmbiguous = true;
    notes.push(
      `${label} cannot be told apart by value; read in AWS order (${cols.map((c) => `column ${c + 1} = ${fields[c]}`).join(', ')})`,
    );
  }

  if (ordered !== null && twinAmbiguous) notes.push(`fields that values cannot tell apart are read in ${ordered}`);
  ambiguous ||= twinAmbiguous;
  const format0 = makeFormat(fields, { source: 'inferred' });
  const valid = countValid(texts, format0);
  const used = colScore.filter((s) => s > 0);
  const mean = used.length ? used.reduce((x, y) => x + y, 0) / k : 0;
  const strong = colScore.filter((s) => s >= 0.7).length;
  let confidence = mean * (valid / texts.length);
  if (strong === 0) confidence *= 0.5;
  if (ambiguous) confidence *= 0.7;
  confidence = round2(Math.min(0.95, confidence));
  if (rows.length < rowCount) notes.push(`${rowCount - rows.length} sample lines have a token count other than ${k}`);
  const format = makeFormat(fields, {
    source: 'inferred',
    confidence,
    label: `inferred (${k} fields)`,
    notes,
    ambiguous,
  });
  return { format, valid, colScore };
}
