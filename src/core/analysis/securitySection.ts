// The Security tab's tables: rejected records only (the analyzer's security event class). The triggers and the
// MITRE ATT&CK table, which also read rejected records, are the trigger section's (triggerSection.ts). PURE.
import type { AnalysisSummary } from '../../shared/summary';
import type { AnalysisConfig } from './config';
import { portLabel } from './evaluate';
import type { AnalysisPart } from './part';
import { AddrTop } from './tables';
import { TimeSeriesBuilder } from './timeSeries';
import { DenseCounter } from './topN';

export class SecuritySection {
  readonly series: TimeSeriesBuilder;
  private readonly blockedSources: AddrTop;
  private readonly blockedPorts = new DenseCounter(65536);

  constructor(c: AnalysisConfig) {
    this.series = new TimeSeriesBuilder(c.maxTimeBuckets);
    this.blockedSources = new AddrTop(c.exactKeyCap, 'flows', false);
  }

  /** One rejected record: its start time (-1: none), counted port (-1: none) and source, as NetworkSection.add. */
  add(
    text: string,
    u8: Uint8Array | null,
    start: number,
    bytes: number,
    packets: number,
    dport: number,
    srcS: number,
    srcE: number,
    src4: number,
    hasSrc: boolean,
  ): void {
    if (start >= 0) this.series.add(start, 1, bytes, packets);
    if (hasSrc) {
      if (src4 >= 0) this.blockedSources.v4.add(0, src4, 1, bytes, packets);
      else this.blockedSources.other.addSpans(text, u8, srcS, srcE, -1, -1, 1, bytes, packets);
    }
    if (dport >= 0) this.blockedPorts.add(dport, 1, bytes, packets);
  }

  part(): Pick<AnalysisPart, 'secSeries' | 'blockedSources' | 'blockedPorts'> {
    return {
      secSeries: this.series.part(),
      blockedSources: this.blockedSources.part(),
      blockedPorts: this.blockedPorts.part(),
    };
  }

  /** The summary's `security` tables but the MITRE one (the trigger section's), `n` rows each. */
  tables(n: number): Omit<AnalysisSummary['security'], 'mitre'> {
    return {
      overTime: this.series.result(),
      blockedSources: this.blockedSources.table(n),
      blockedPorts: this.blockedPorts.table(n, (p) => portLabel(p)),
    };
  }
}
