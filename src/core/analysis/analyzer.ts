// The analysis engine: event classes, security triggers, MITRE ATT&CK table and dashboard data, in one
// streaming pass over parsed records. PURE: no vscode, no DOM, no Node built-ins.
//
// Hot path notes: field positions are resolved once per FlowFormat (cached by identity); values are read
// straight from the record text by span (`charCodeAt`), numbers without substrings; ports and protocols
// are counted in typed arrays; IPv4 addresses (and pairs of them) are numeric keys of allocation-free
// hash tables; other keys (IPv6, interface/VPC ids, regions) are hashed from their span and copied only
// when they take a table slot. Memory is bounded by the caps in AnalysisConfig whatever the input size.
//
// Classes: ACCEPT → network, REJECT → security; NODATA and SKIPDATA (log-status) have no class and are
// counted apart; a record without an action field (Transit Gateway logs) is counted as `other`.
// FlowAnalyzer keeps the totals and reads each record once; the sections own their tables: networkSection.ts
// (ACCEPT records only), securitySection.ts (REJECT records only) and triggerSection.ts (triggers, MITRE table,
// port-scan trackers).

import type { EnvelopeKind, FlowFormat, FlowRecord, ParseOptions, ParseStats, UnparsedLine } from '../types';
import type { AnalysisSummary } from '../../shared/summary';
import { FlowParser, type FusedRecordSink } from '../parser';
import type { AnalysisConfig, AnalysisConfigInput } from './config';
import { configOf, isReplyFlow, scanEligible } from './evaluate';
import {
  ACCEPTED,
  countedPort,
  layoutOf,
  NODATA,
  present,
  readIPv4,
  readUint,
  recordOfBytes,
  REJECTED,
  seconds,
  SKIPDATA,
  statusOf,
  type Layout,
} from './layout';
import { recordInRows, type RowContext, type RowFilter } from './rows';
import { bigTotals, distinctFormats, partOfStats, splittableFilters, type AnalysisPart } from './part';
import { TimeSeriesBuilder } from './timeSeries';
import { ownString } from './topN';
import { NetworkSection } from './networkSection';
import { SecuritySection } from './securitySection';
import { TriggerSection } from './triggerSection';

// What one record fires (hovers, diagnostics) lives in evaluate.ts; re-exported here for the front ends.
export { eventClass, recordTriggers, triggerRule, type EventClass, type FiredTrigger } from './evaluate';
export { ipv4Text } from './layout';

// ---------------------------------------------------------------------------------------------------
// The streaming analyzer

/** Options of a FlowAnalyzer beyond the configuration. */
export interface AnalyzerOptions {
  /**
   * Rows to analyse (AND): the summary is computed over the records every filter's row counts (rows.ts), while
   * port-scan trackers still observe every record, so a record fires the same triggers as in the whole input.
   */
  readonly filters?: readonly RowFilter[];
  /**
   * The analyzer reads one part of a larger input (a file of a folder, a byte range of a file): port-scan
   * observations are recorded, not decided, so that `part()` can be combined with other parts (merge.ts).
   * Filters on the port-scan or MITRE rows cannot be split (see splittableFilters).
   */
  readonly part?: boolean;
  /**
   * Part mode: hits to keep per trigger (TRIGGERS order; absent: the config's maxHitsPerTrigger). A folder's
   * combiner keeps the first hits in input order, so a part that comes after enough of them needs none: its
   * hits are counted but not described.
   */
  readonly hitRoom?: readonly number[];
}

export class FlowAnalyzer implements FusedRecordSink {
  readonly config: AnalysisConfig;

  // totals
  private records = 0;
  private accepted = 0;
  private rejected = 0;
  private noData = 0;
  private skipData = 0;
  private other = 0;
  // Byte and packet totals: summed in doubles while exact (below 2^52), spilled into BigInts past that.
  private bytes = 0;
  private packets = 0;
  private bytesBig = 0n;
  private packetsBig = 0n;
  private oversize = 0;
  private unparsedCount = 0;
  private headerCount = 0;
  private readonly unparsedKept: { line: number; reason: string }[] = [];
  private tMin = Infinity;
  private tMax = -Infinity;
  /** The time range of the files before the current one (fileTimeRange). */
  private doneMin = Infinity;
  private doneMax = -Infinity;
  private readonly envelopeRecords = new Map<EnvelopeKind, number>();
  private readonly formatRecords = new Map<FlowFormat, number>();

  // The sections, each owning its tables: network (accepted), security (rejected), and the triggers, the MITRE
  // table and the port-scan trackers (rejected).
  private readonly network: NetworkSection;
  private readonly security: SecuritySection;
  private readonly triggerSection: TriggerSection;

  private lastFormat: FlowFormat | undefined;
  private layout: Layout | undefined;
  /** Field values of the record being analysed (record(): read here; recordValues(): from the parser). */
  private scratch = new Float64Array(32);

  /** The filters (null: every record). */
  private readonly filters: readonly RowFilter[] | null;
  /** Records the filters selected. */
  private matched = 0;
  /** The filter's view of port-scan: the record being read fired it (filtered mode). */
  private readonly rowContext: RowContext;
  private scanLine = -1;
  /** Set while a filtered record is analysed: the scan trackers already observed it. */
  private preScanned = false;

  constructor(config?: AnalysisConfigInput | Partial<AnalysisConfig>, options?: AnalyzerOptions) {
    const c = configOf(config);
    this.config = c;
    this.filters = options?.filters && options.filters.length > 0 ? options.filters.slice() : null;
    this.rowContext = { config: c, portScanLines: { has: (line) => line === this.scanLine } };
    this.network = new NetworkSection(c);
    this.security = new SecuritySection(c);
    this.triggerSection = new TriggerSection(c, options?.part === true, options?.hitRoom);
    if (options?.part === true && this.filters !== null && !splittableFilters(this.filters)) {
      throw new Error('filters on the port-scan, MITRE threat or its technique rows need one pass over the input');
    }
  }

  header(_line: number, _format: FlowFormat): void {
    this.headerCount++;
  }

  unparsed(entry: UnparsedLine): void {
    this.unparsedCount++;
    if (this.unparsedKept.length < this.config.maxUnparsed) {
      this.unparsedKept.push({ line: entry.line, reason: ownString(entry.reason) });
    }
  }

  record(rec: FlowRecord): void {
    const format = rec.format;
    let l = this.layout;
    if (format !== this.lastFormat || l === undefined) {
      l = layoutOf(format);
      this.layout = l;
      this.lastFormat = format;
    }
    const v = this.valuesOf(rec, l);
    const status = statusOf(rec, l);
    if (this.filters !== null) {
      // Stateful triggers see every record; only the selected ones are counted.
      this.preScan(rec.text, rec.spans, v, status, rec.line, l);
      if (!recordInRows(rec, this.filters, this.rowContext)) return;
      this.matched++;
      this.preScanned = true;
      this.analyze(rec.text, null, rec.spans, v, status, rec.line, l);
      this.preScanned = false;
      return;
    }
    this.analyze(rec.text, null, rec.spans, v, status, rec.line, l);
  }

  /** The values the analysis reads, into the scratch array (as the fused path gets them from the parser). */
  private valuesOf(rec: FlowRecord, l: Layout): Float64Array {
    const text = rec.text;
    const sp = rec.spans;
    // Read the values the analysis needs into the scratch array, as the fused path gets them from the parser.
    let v = this.scratch;
    if (v.length < rec.format.fields.length) {
      v = new Float64Array(rec.format.fields.length);
      this.scratch = v;
    }
    if (l.start >= 0) v[l.start] = readUint(text, sp[2 * l.start]!, sp[2 * l.start + 1]!);
    if (l.end >= 0) v[l.end] = readUint(text, sp[2 * l.end]!, sp[2 * l.end + 1]!);
    if (l.packets >= 0) v[l.packets] = readUint(text, sp[2 * l.packets]!, sp[2 * l.packets + 1]!);
    if (l.bytes >= 0) v[l.bytes] = readUint(text, sp[2 * l.bytes]!, sp[2 * l.bytes + 1]!);
    if (l.protocol >= 0) v[l.protocol] = readUint(text, sp[2 * l.protocol]!, sp[2 * l.protocol + 1]!);
    if (l.dstport >= 0) v[l.dstport] = readUint(text, sp[2 * l.dstport]!, sp[2 * l.dstport + 1]!);
    if (l.srcport >= 0) v[l.srcport] = readUint(text, sp[2 * l.srcport]!, sp[2 * l.srcport + 1]!);
    if (l.path >= 0) v[l.path] = readUint(text, sp[2 * l.path]!, sp[2 * l.path + 1]!);
    if (l.srcaddr >= 0) v[l.srcaddr] = readIPv4(text, sp[2 * l.srcaddr]!, sp[2 * l.srcaddr + 1]!);
    if (l.dstaddr >= 0) v[l.dstaddr] = readIPv4(text, sp[2 * l.dstaddr]!, sp[2 * l.dstaddr + 1]!);
    return v;
  }

  /** Filtered mode: the scan trackers observe the record whether or not it is selected. */
  private preScan(text: string, sp: Int32Array, v: Float64Array, status: number, line: number, l: Layout): void {
    const ts = this.triggerSection;
    ts.scanPorts = 0;
    ts.scanHosts = 0;
    this.scanLine = -1;
    if (status !== REJECTED) return;
    let start = l.start >= 0 ? seconds(v[l.start]!) : -1;
    if (start < 0 && l.end >= 0) {
      const end = seconds(v[l.end]!);
      if (end >= 0) start = end;
    }
    const proto = l.protocol >= 0 ? v[l.protocol]! : -1;
    const dport = countedPort(l.dstport >= 0 ? v[l.dstport]! : -1, proto);
    const sport = l.srcport >= 0 && dport >= 0 ? v[l.srcport]! : -1;
    const reply = isReplyFlow(proto, sport, dport);
    if (l.srcaddr < 0 || l.dstaddr < 0) return;
    const srcS = sp[2 * l.srcaddr]!;
    const srcE = sp[2 * l.srcaddr + 1]!;
    const dstS = sp[2 * l.dstaddr]!;
    const dstE = sp[2 * l.dstaddr + 1]!;
    const hasSrc = present(text, null, srcS, srcE);
    const hasDst = present(text, null, dstS, dstE);
    if (!scanEligible(proto, hasSrc, hasDst, start, dport, reply)) return;
    ts.observeScan(text, null, srcS, srcE, v[l.srcaddr]!, dstS, dstE, v[l.dstaddr]!, dport, start, line, sport, proto);
    if (ts.scanPorts > 0 || ts.scanHosts > 0) {
      this.scanLine = line;
      ts.noteScanLine(line);
    }
  }

  /**
   * Every line that fired port-scan (whatever the filters: the trackers observe every record), for a RowContext.
   * `complete` is false past a million lines.
   */
  portScanLines(): { readonly lines: ReadonlySet<number>; readonly complete: boolean } {
    return this.triggerSection.portScanLines();
  }

  /** The fused path (FusedRecordSink): the parser hands over spans and values, no FlowRecord is built. */
  recordValues(bytes: Uint8Array, spans: Int32Array, vals: Float64Array, line: number, format: FlowFormat): void {
    if (this.filters !== null) {
      this.record(recordOfBytes(bytes, spans, line, format));
      return;
    }
    let l = this.layout;
    if (format !== this.lastFormat || l === undefined) {
      l = layoutOf(format);
      this.layout = l;
      this.lastFormat = format;
    }
    // As statusOf, from the validated values (log-status 0 OK, 3 NODATA, 4 SKIPDATA; action 1, 2).
    let status = 0;
    const ls = l.logStatus >= 0 ? vals[l.logStatus]! : -1;
    if (ls === 3 || ls === 4) status = ls;
    else if (l.action >= 0) {
      const a = vals[l.action]!;
      if (a === 1 || a === 2) status = a;
    }
    this.analyze('', bytes, spans, vals, status, line, l);
  }

  /**
   * A byte or packet count that is absent (-1 for `-`: 0), or too large to sum exactly as a double (2^52
   * or more; the scanners give -1 past 16 digits): read exactly from its token into the BigInt total.
   * Returns the value as a double (approximate) for the top tables.
   */
  private oversizeValue(
    text: string,
    u8: Uint8Array | null,
    sp: Int32Array,
    k: number,
    v: number,
    packets: boolean,
  ): number {
    if (k < 0) return 0;
    const s = sp[2 * k]!;
    const e = sp[2 * k + 1]!;
    if (v < 0 && e - s <= 1) return 0; // '-'
    let digits = '';
    for (let i = s; i < e; i++) digits += String.fromCharCode(u8 !== null ? u8[i]! : text.charCodeAt(i));
    if (!/^[0-9]+$/.test(digits)) return 0;
    const big = BigInt(digits);
    this.oversize++;
    if (packets) this.packetsBig += big;
    else this.bytesBig += big;
    return Number(big);
  }

  /**
   * One record. `sp` holds the field spans in `text`, or in `u8` when it is not null (the fused path: ASCII
   * bytes, one per character); `v` the numeric values of the fields the layout reads (readUint semantics:
   * -1 when absent; addresses as IPv4 numbers or -1); `status` as statusOf.
   */
  private analyze(
    text: string,
    u8: Uint8Array | null,
    sp: Int32Array,
    v: Float64Array,
    status: number,
    line: number,
    l: Layout,
  ): void {
    this.records++;

    let start = -1;
    if (l.start >= 0) {
      start = seconds(v[l.start]!);
      if (start >= 0) {
        if (start < this.tMin) this.tMin = start;
        if (start > this.tMax) this.tMax = start;
      }
    }
    if (l.end >= 0) {
      const end = seconds(v[l.end]!);
      if (end >= 0) {
        if (end > this.tMax) this.tMax = end;
        if (end < this.tMin) this.tMin = end;
        if (start < 0) start = end;
      }
    }

    if (status === NODATA) {
      this.noData++;
      return;
    }
    if (status === SKIPDATA) {
      this.skipData++;
      return;
    }
    if (status === 0) {
      this.other++;
      return;
    }

    let packets = l.packets >= 0 ? v[l.packets]! : 0;
    if (packets < 0 || packets >= SPILL) packets = this.oversizeValue(text, u8, sp, l.packets, packets, true);
    else this.packets += packets;
    let bytes = l.bytes >= 0 ? v[l.bytes]! : 0;
    if (bytes < 0 || bytes >= SPILL) bytes = this.oversizeValue(text, u8, sp, l.bytes, bytes, false);
    else this.bytes += bytes;
    if (this.bytes >= SPILL) {
      this.bytesBig += BigInt(this.bytes);
      this.bytes = 0;
    }
    if (this.packets >= SPILL) {
      this.packetsBig += BigInt(this.packets);
      this.packets = 0;
    }
    const proto = l.protocol >= 0 ? v[l.protocol]! : -1;
    const dport = countedPort(l.dstport >= 0 ? v[l.dstport]! : -1, proto);

    // Addresses: IPv4 as numbers; anything else as text (only sliced when needed). A format without the field
    // gives an empty span, which is not present.
    const sa = l.srcaddr;
    const da = l.dstaddr;
    const srcS = sa >= 0 ? sp[2 * sa]! : 0;
    const srcE = sa >= 0 ? sp[2 * sa + 1]! : 0;
    const src4 = sa >= 0 ? v[sa]! : -1;
    const hasSrc = present(text, u8, srcS, srcE);
    const dstS = da >= 0 ? sp[2 * da]! : 0;
    const dstE = da >= 0 ? sp[2 * da + 1]! : 0;
    const dst4 = da >= 0 ? v[da]! : -1;
    const hasDst = present(text, u8, dstS, dstE);
    if (status === ACCEPTED) {
      this.accepted++;
      this.network.add(
        text,
        u8,
        sp,
        v,
        l,
        start,
        bytes,
        packets,
        proto,
        dport,
        srcS,
        srcE,
        src4,
        hasSrc,
        dstS,
        dstE,
        dst4,
        hasDst,
      );
      return;
    }

    // REJECT
    this.rejected++;
    this.security.add(text, u8, start, bytes, packets, dport, srcS, srcE, src4, hasSrc);

    // A reply (from a service port to an ephemeral one) is return traffic, never an attempt on its dstport.
    const sport = l.srcport >= 0 && dport >= 0 ? v[l.srcport]! : -1;
    const reply = isReplyFlow(proto, sport, dport);
    this.triggerSection.reject(
      text,
      u8,
      sp,
      l,
      line,
      proto,
      dport,
      sport,
      reply,
      start,
      srcS,
      srcE,
      src4,
      hasSrc,
      dstS,
      dstE,
      dst4,
      hasDst,
      this.preScanned,
    );
  }

  /**
   * The time range of the records since the last call (null: none had times), for an analyzer fed one whole file
   * after another (FileBatch): called at the end of each file. The analysis still covers them all.
   */
  fileTimeRange(): { start: number; end: number } | null {
    const range = this.tMin <= this.tMax ? { start: this.tMin, end: this.tMax } : null;
    this.doneMin = Math.min(this.doneMin, this.tMin);
    this.doneMax = Math.max(this.doneMax, this.tMax);
    this.tMin = Infinity;
    this.tMax = -Infinity;
    return range;
  }

  /** The records and their count by action and log status (in the order the summary's totals list them). */
  private statusCounts(): Pick<AnalysisPart, 'records' | 'accepted' | 'rejected' | 'noData' | 'skipData' | 'other'> {
    return {
      records: this.records,
      accepted: this.accepted,
      rejected: this.rejected,
      noData: this.noData,
      skipData: this.skipData,
      other: this.other,
    };
  }

  /**
   * Everything learned, as plain data to combine with other parts (merge.ts combineParts). The analyzer must have
   * been created with `part: true`; `stats` is FlowParser.end() of the parser that fed it (of each file, in order,
   * for FileBatch).
   */
  part(stats: ParseStats | readonly ParseStats[]): AnalysisPart {
    const ts = this.triggerSection.part();
    if (ts.scans === null) throw new Error('FlowAnalyzer.part() needs an analyzer created with { part: true }');
    const bytes = this.bytesBig + BigInt(this.bytes);
    const packets = this.packetsBig + BigInt(this.packets);
    return {
      ...partOfStats(stats, this.filters, this.matched),
      ...this.statusCounts(),
      bytes: bytes.toString(),
      packets: packets.toString(),
      oversize: this.oversize,
      alerts: this.triggerSection.alerts,
      ...this.timeBounds(),
      unparsed: this.unparsedKept.slice(),
      ...this.network.part(),
      ...this.security.part(),
      triggers: ts.triggers,
      mitre: ts.mitre,
      scans: ts.scans.part(),
    };
  }

  /** tMin and tMax over every record (null when none had times). */
  private timeBounds(): { tMin: number | null; tMax: number | null } {
    const min = Math.min(this.doneMin, this.tMin);
    const max = Math.max(this.doneMax, this.tMax);
    return min <= max ? { tMin: min, tMax: max } : { tMin: null, tMax: null };
  }

  /**
   * The summary. `stats` (from FlowParser.end(); of each file in order, for FileBatch) supplies the line counts,
   * formats and envelopes.
   */
  finish(stats?: ParseStats | readonly ParseStats[]): AnalysisSummary {
    const c = this.config;
    const n = c.topN;
    TimeSeriesBuilder.align(this.network.series, this.security.series);

    // The line counts, formats and envelopes of the input, or of its files one after the other (as parts join).
    const joined = stats === undefined ? undefined : partOfStats(stats, null, 0);
    const formats: AnalysisSummary['formats'] = joined ? distinctFormats(joined.formats) : [];
    const envelopes: AnalysisSummary['envelopes'] = joined ? joined.envelopes : [];

    const unparsedLines = joined ? joined.unparsedLines : this.unparsedCount;
    const time = this.timeBounds();
    return {
      schema: 1,
      totals: {
        lines: joined ? joined.lines : this.records + this.unparsedCount + this.headerCount,
        ...this.statusCounts(),
        unparsedLines,
        headers: joined ? joined.headers : this.headerCount,
        blankLines: joined ? joined.blank : 0,
        envelopeLines: joined ? joined.envelopeLines : 0,
        noFlowMessages: joined ? joined.noFlowMessages : 0,
        flaggedRecords: joined ? joined.flaggedRecords : 0,
        ...bigTotals(this.bytesBig + BigInt(this.bytes), this.packetsBig + BigInt(this.packets), this.oversize),
        alerts: this.triggerSection.alerts,
      },
      timeRange: time.tMin !== null && time.tMax !== null ? { start: time.tMin, end: time.tMax } : null,
      formats,
      envelopes,
      unparsed: this.unparsedKept,
      network: this.network.tables(n),
      security: { ...this.security.tables(n), mitre: this.triggerSection.mitreTable() },
      triggers: this.triggerSection.summaries(),
      ...(this.filters !== null
        ? {
            filtered: {
              filters: this.filters.map((f) => ({
                dimension: f.dimension,
                key: f.key,
                ...(f.end !== undefined ? { end: f.end } : {}),
              })),
              matched: this.matched,
            },
          }
        : {}),
    };
  }
}

/** Totals of 2^52 and more go to BigInts (each value added below stays exact as a double). */
const SPILL = 2 ** 52;

/** Parses and analyses a whole text in one pass (only the rows of `filters`, when given). */
export function analyzeText(
  text: string,
  options?: {
    parse?: ParseOptions;
    config?: AnalysisConfigInput | Partial<AnalysisConfig>;
    filters?: readonly RowFilter[];
  },
): AnalysisSummary {
  const analyzer = new FlowAnalyzer(options?.config, { filters: options?.filters });
  const parser = new FlowParser(analyzer, options?.parse);
  parser.push(text);
  return analyzer.finish(parser.end());
}
