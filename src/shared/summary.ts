// The JSON-serialisable analysis summary: produced by src/core/analysis, printed by `vpcflow analyze --json`,
// rendered by the dashboard webview. PURE types only.

import type { RowFilter } from './dimensions';

/** The entry with the most records (the first of a tie); undefined for none: a summary's or a parse's main format. */
export function mostRecords<T extends { readonly records: number }>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const item of items) if (!best || item.records > best.records) best = item;
  return best;
}

export interface MitreRef {
  /** e.g. "T1110" */
  technique: string;
  /** e.g. "Brute Force" */
  techniqueName: string;
  /** e.g. "Credential Access" */
  tactic: string;
  /** e.g. "TA0006" */
  tacticId: string;
}

/** One row of a top-N table. `key` is raw log text: untrusted, render as text only. */
export interface TopRow {
  key: string;
  /** Human label, e.g. "22 (ssh)" or "TCP (6)". */
  label: string;
  flows: number;
  bytes: number;
  packets: number;
}

export interface TopTable {
  rows: TopRow[];
  /** True once distinct keys passed the exact-tracking cap and a heavy-hitter sketch took over. */
  approximate: boolean;
  /** Distinct keys seen (a lower bound when approximate). */
  distinct: number;
}

export interface TimePoint {
  /** Bucket start, Unix seconds. */
  t: number;
  flows: number;
  bytes: number;
  packets: number;
}

export interface TimeSeries {
  bucketSeconds: number;
  points: TimePoint[];
}

/** Facts about one input of an analysis that covered several inputs or a folder. */
export interface FileFacts {
  /** The input as the user named it, or relative to the folder given. Untrusted text (file names can hold anything). */
  path: string;
  kind: 'plain' | 'gzip' | 'parquet';
  /** Size on disk (0 for stdin). */
  bytes: number;
  lines: number;
  records: number;
  unparsedLines: number;
  /** Format label (e.g. "default v2", "custom (header) v5"), null when no record was read. */
  format: string | null;
  timeRange: { start: number; end: number } | null;
  /** Why the file was skipped (not a flow log, unreadable, not a flow-log Parquet file); its figures are then 0. */
  skipped?: string;
  /** What was wrong with a damaged input (truncated gzip or Parquet); what decoded before it is counted. */
  damage?: string;
}

export interface TriggerHitSummary {
  /** 1-based input line (within its file when `file` is set). */
  line: number;
  /** Index into AnalysisSummary.files (absent for one-input analyses). */
  file?: number;
  /** One line, e.g. "SSH blocked: 172.31.9.69 → 172.31.9.12:22". Contains log text: untrusted. */
  description: string;
  srcaddr?: string;
  dstaddr?: string;
  dstport?: number;
}

export interface TriggerSummary {
  id: string;
  name: string;
  actionable: boolean;
  mitre: { technique: string; tactic: string; techniqueName: string; tacticId: string } | null;
  /** The documented rule, e.g. "REJECT and dstport 22 and protocol TCP (6)". */
  rule: string;
  count: number;
  hits: TriggerHitSummary[];
  /** True when `count` > hits.length (hits are capped; the count is exact). */
  hitsTruncated: boolean;
}

export interface AnalysisSummary {
  schema: 1;
  totals: {
    lines: number;
    records: number;
    accepted: number;
    rejected: number;
    noData: number;
    skipData: number;
    /** Records with no ACCEPT/REJECT action and no NODATA/SKIPDATA status (e.g. Transit Gateway logs, which have no action field). */
    other?: number;
    unparsedLines: number;
    headers: number;
    blankLines: number;
    /** JSON structure lines of an envelope (not records). */
    envelopeLines?: number;
    /** Envelope messages that carry no flows (CloudWatch CONTROL_MESSAGE). */
    noFlowMessages?: number;
    /** Records kept with a best-effort metadata value (id, Region, AZ id, ...) that failed its check. */
    flaggedRecords?: number;
    /** Sum over accepted and rejected records; exact up to 2^53 (see bytesExact past that). */
    bytes: number;
    packets: number;
    /** The exact sum, in decimal, when it is past 2^53 (where `bytes` is only the nearest double). */
    bytesExact?: string;
    packetsExact?: string;
    /**
     * Byte or packet counts of 2^52 or more (up to the 20 digits a field may have): summed exactly into the
     * totals, but only approximately (as doubles) into the top tables. Absent when there were none.
     */
    oversizeValues?: number;
    /** Records that fired at least one actionable trigger (a port-scan detection counts its record). */
    alerts: number;
  };
  /** Unix seconds over all records' start/end; null when no record had times. */
  timeRange: { start: number; end: number } | null;
  formats: { label: string; source: string; confidence: number; fields: string[]; records: number; notes: string[] }[];
  envelopes: { kind: string; records: number }[];
  /** First unparsed lines with reasons (capped); totals.unparsedLines is exact. `file`: index into `files`. */
  unparsed: { line: number; reason: string; file?: number }[];
  network: {
    overTime: TimeSeries;
    protocols: TopTable;
    dstPorts: TopTable;
    talkers: TopTable;
    conversations: TopTable;
    regions: TopTable;
    azs: TopTable;
    vpcs: TopTable;
    interfaces: TopTable;
    flowDirection: TopTable;
    trafficPath: TopTable;
  };
  security: {
    overTime: TimeSeries;
    blockedSources: TopTable;
    blockedPorts: TopTable;
    mitre: {
      technique: string;
      techniqueName: string;
      tactic: string;
      tacticId: string;
      hits: number;
      sources: number;
      sourcesApproximate?: boolean;
    }[];
  };
  triggers: TriggerSummary[];
  /**
   * Present when the analysis was filtered (FlowAnalyzer's `filters`): the rows applied (AND) and how many
   * records they selected. Every table, chart, total and trigger count above is over those records only.
   */
  filtered?: { filters: RowFilter[]; matched: number };
  /** Present when an analysis covered several inputs or a folder: one entry per input, in input order. */
  files?: FileFacts[];
}
