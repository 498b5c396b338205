// The Network tab's tables: accepted records only (the analyzer's network event class). Each table is owned here,
// counted on the analyzer's hot path and turned into the summary's `network` or into a part's counters. PURE.
import type { AnalysisSummary } from '../../shared/summary';
import type { AnalysisConfig } from './config';
import { portLabel, protocolLabel } from './evaluate';
import { present, type Layout } from './layout';
import { pathLabel, type AnalysisPart } from './part';
import { AddrTop, compareSpans } from './tables';
import { TimeSeriesBuilder } from './timeSeries';
import { DenseCounter, NumTopCounter } from './topN';

type NetworkPart = Pick<
  AnalysisPart,
  | 'netSeries'
  | 'protocols'
  | 'dstPorts'
  | 'talkers'
  | 'conversations'
  | 'regions'
  | 'azs'
  | 'vpcs'
  | 'interfaces'
  | 'directions'
  | 'paths'
  | 'pathUnknown'
>;

export class NetworkSection {
  readonly series: TimeSeriesBuilder;
  private readonly protocols = new DenseCounter(256);
  private readonly dstPorts = new DenseCounter(65536);
  private readonly talkers: AddrTop;
  private readonly conversations: AddrTop;
  private readonly regions: NumTopCounter;
  private readonly azs: NumTopCounter;
  private readonly vpcs: NumTopCounter;
  private readonly interfaces: NumTopCounter;
  private readonly directions: NumTopCounter;
  private readonly paths = new DenseCounter(256);
  private pathUnknown = 0;

  constructor(c: AnalysisConfig) {
    const cap = c.exactKeyCap;
    this.series = new TimeSeriesBuilder(c.maxTimeBuckets);
    this.talkers = new AddrTop(cap, 'bytes', false);
    this.conversations = new AddrTop(cap, 'bytes', true);
    this.regions = new NumTopCounter(cap);
    this.azs = new NumTopCounter(cap);
    this.vpcs = new NumTopCounter(cap);
    this.interfaces = new NumTopCounter(cap);
    this.directions = new NumTopCounter(cap);
  }

  /**
   * One accepted record, as FlowAnalyzer.analyze reads it: spans in `text` (in `u8` when not null), values `v`,
   * the start time (-1: none), the counted port (-1: none) and each address's span, IPv4 number (-1: not IPv4) and
   * presence.
   */
  add(
    text: string,
    u8: Uint8Array | null,
    sp: Int32Array,
    v: Float64Array,
    l: Layout,
    start: number,
    bytes: number,
    packets: number,
    proto: number,
    dport: number,
    srcS: number,
    srcE: number,
    src4: number,
    hasSrc: boolean,
    dstS: number,
    dstE: number,
    dst4: number,
    hasDst: boolean,
  ): void {
    if (start >= 0) this.series.add(start, 1, bytes, packets);
    if (proto >= 0 && proto < 256) this.protocols.add(proto, 1, bytes, packets);
    if (dport >= 0) this.dstPorts.add(dport, 1, bytes, packets);
    if (hasSrc) {
      if (src4 >= 0) this.talkers.v4.add(0, src4, 1, bytes, packets);
      else this.talkers.other.addSpans(text, u8, srcS, srcE, -1, -1, 1, bytes, packets);
    }
    if (hasSrc && hasDst) {
      if (src4 >= 0 && dst4 >= 0) {
        if (src4 <= dst4) this.conversations.v4.add(src4, dst4, 1, bytes, packets);
        else this.conversations.v4.add(dst4, src4, 1, bytes, packets);
      } else if (compareSpans(text, u8, srcS, srcE, dstS, dstE) <= 0) {
        this.conversations.other.addSpans(text, u8, srcS, srcE, dstS, dstE, 1, bytes, packets);
      } else this.conversations.other.addSpans(text, u8, dstS, dstE, srcS, srcE, 1, bytes, packets);
    }
    if (l.region >= 0) addField(this.regions, text, u8, sp, l.region, bytes, packets);
    if (l.az >= 0) addField(this.azs, text, u8, sp, l.az, bytes, packets);
    if (l.vpc >= 0) addField(this.vpcs, text, u8, sp, l.vpc, bytes, packets);
    if (l.iface >= 0) addField(this.interfaces, text, u8, sp, l.iface, bytes, packets);
    if (l.direction >= 0) addField(this.directions, text, u8, sp, l.direction, bytes, packets);
    if (l.path >= 0) {
      const p = v[l.path]!;
      if (p >= 0 && p < 256) this.paths.add(p, 1, bytes, packets);
      else this.pathUnknown++;
    }
  }

  part(): NetworkPart {
    return {
      netSeries: this.series.part(),
      protocols: this.protocols.part(),
      dstPorts: this.dstPorts.part(),
      talkers: this.talkers.part(),
      conversations: this.conversations.part(),
      regions: this.regions.part(),
      azs: this.azs.part(),
      vpcs: this.vpcs.part(),
      interfaces: this.interfaces.part(),
      directions: this.directions.part(),
      paths: this.paths.part(),
      pathUnknown: this.pathUnknown,
    };
  }

  /** The summary's `network`, `n` rows per table (the series already grown to the bucket size both tabs share). */
  tables(n: number): AnalysisSummary['network'] {
    const trafficPath = this.paths.table(n, pathLabel);
    if (this.pathUnknown > 0) {
      trafficPath.rows.push({
        key: '-',
        label: '- (none applies, or ingress)',
        flows: this.pathUnknown,
        bytes: 0,
        packets: 0,
      });
    }
    return {
      overTime: this.series.result(),
      protocols: this.protocols.table(n, protocolLabel),
      dstPorts: this.dstPorts.table(n, (p) => portLabel(p)),
      talkers: this.talkers.table(n),
      conversations: this.conversations.table(n),
      regions: this.regions.textTable(n),
      azs: this.azs.textTable(n),
      vpcs: this.vpcs.textTable(n),
      interfaces: this.interfaces.textTable(n),
      flowDirection: this.directions.textTable(n),
      trafficPath,
    };
  }
}

/** Counts the text of field i (when present) in a text-keyed table. */
function addField(
  counter: NumTopCounter,
  text: string,
  u8: Uint8Array | null,
  sp: Int32Array,
  i: number,
  bytes: number,
  packets: number,
): void {
  const s = sp[2 * i]!;
  const e = sp[2 * i + 1]!;
  if (!present(text, u8, s, e)) return;
  counter.addSpans(text, u8, s, e, -1, -1, 1, bytes, packets);
}
