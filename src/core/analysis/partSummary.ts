// The summary of a (combined) analysis part: port scans decided by replaying the observations of all parts in
// input order (scanLog.ts), then every table read as FlowAnalyzer.finish reads it. PURE: no vscode, no DOM, no
// Node built-ins.

import type { AnalysisSummary, TriggerHitSummary, TriggerSummary } from '../../shared/summary';
import type { AnalysisConfig } from './config';
import { DenseCounter } from './dense';
import { DERIVED, describeFlow, mitreTableRow, portLabel, protocolLabel, STATEFUL, triggerRule } from './evaluate';
import { ipv4Text } from './layout';
import { bigTotals, distinctFormats, pathLabel, type AnalysisPart, type MitrePart } from './part';
import type { RowFilter } from './rows';
import {
  O_DPORT,
  O_DST,
  O_FILE,
  O_FLAGS,
  O_LINE,
  O_PROTO,
  O_SEQ,
  O_SPORT,
  O_SRC,
  OBS_ALERTED,
  OBS_F,
  OBS_I,
  OBS_MITRE,
  OBS_SELECTED,
  replayScans,
} from './scanLog';
import { AddrTop } from './tables';
import { TimeSeriesBuilder } from './timeSeries';
import { NumTopCounter } from './topN';
import { mitreText, PORT_TRIGGERS, TRIGGERS, type MitreMapping } from './triggers';

/** A hit as TriggerState.store makes it (same keys, same order), tagged with its file when there is one. */
function hitOf(
  line: number,
  file: number,
  description: string,
  src: string,
  dst: string,
  dport: number,
): TriggerHitSummary {
  const hit: TriggerHitSummary = { line, description };
  if (src !== '-' && src !== '') hit.srcaddr = src;
  if (dst !== '-' && dst !== '') hit.dstaddr = dst;
  if (dport >= 0) hit.dstport = dport;
  if (file >= 0) hit.file = file;
  return hit;
}

interface Row {
  mitre: MitreMapping;
  hits: number;
  sources: Set<number | string>;
  capped: boolean;
  at: [number, number, number];
}

function before(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** Merges two hit lists in input order (by part sequence, then line), capped. */
function mergeHits(
  a: TriggerHitSummary[],
  aSeq: readonly number[],
  b: TriggerHitSummary[],
  bSeq: readonly number[],
  cap: number,
): TriggerHitSummary[] {
  if (b.length === 0) return a.slice(0, cap);
  const out: TriggerHitSummary[] = [];
  let i = 0;
  let j = 0;
  while (out.length < cap && (i < a.length || j < b.length)) {
    const takeA = j >= b.length || (i < a.length && before([aSeq[i] ?? 0, a[i]!.line], [bSeq[j] ?? 0, b[j]!.line]));
    out.push(takeA ? a[i++]! : b[j++]!);
  }
  return out;
}

/** The summary of a whole (localised, combined) part. */
export function summaryOfPart(
  config: AnalysisConfig,
  p: AnalysisPart,
  options?: { filters?: RowFilter[]; top?: number; maxHits?: number },
): AnalysisSummary {
  const n = options?.top ?? config.topN;
  const maxHits = options?.maxHits ?? config.maxHitsPerTrigger;
  const cap = config.exactKeyCap;
  const maxSources = config.maxMitreSources;

  // Port scans over all parts, in order.
  const scanIndex = TRIGGERS.indexOf(STATEFUL);
  const derivedIndex = TRIGGERS.indexOf(DERIVED);
  const scanHits: TriggerHitSummary[] = [];
  let scanCount = 0;
  const derivedHits: TriggerHitSummary[] = [];
  const derivedSeq: number[] = [];
  let derivedCount = 0;
  let alerts = p.alerts;
  const rows = p.mitre.map((r: MitrePart): Row => ({
    mitre: r.mitre,
    hits: r.hits,
    sources: new Set<number | string>([...r.nums, ...r.texts]),
    capped: r.capped,
    at: [...r.at],
  }));
  const m = STATEFUL.mitre as MitreMapping;
  const window = config.portScan.windowSeconds;
  const sc = p.scans;
  replayScans(config, sc, (k, nPorts, nHosts) => {
    const io = k * OBS_I;
    const flags = sc.i32[io + O_FLAGS]!;
    if ((flags & OBS_SELECTED) === 0) return;
    const line = sc.i32[io + O_LINE]!;
    const file = sc.i32[io + O_FILE]!;
    const seq = sc.i32[io + O_SEQ]!;
    const dport = sc.i32[io + O_DPORT]!;
    const srcRef = sc.i32[io + O_SRC]!;
    const dstRef = sc.i32[io + O_DST]!;
    const src4 = sc.f[k * OBS_F + 3]!;
    const src = srcRef >= 0 ? sc.texts[srcRef]! : ipv4Text(sc.f[k * OBS_F]!);
    const dst = dstRef >= 0 ? sc.texts[dstRef]! : ipv4Text(sc.f[k * OBS_F + 1]!);
    for (const vertical of [true, false]) {
      if ((vertical ? nPorts : nHosts) <= 0) continue;
      scanCount++;
      if (scanHits.length >= maxHits) continue;
      const what = vertical
        ? `Port scan (vertical): ${src} reached ${nPorts} ports on ${dst} within ${window} s, latest ${dport}`
        : `Port scan (horizontal): ${src} reached port ${dport} on ${nHosts} hosts within ${window} s, latest ${dst}`;
      scanHits.push(hitOf(line, file, `${what} (${mitreText(m)})`, src, dst, dport));
    }
    let row = rows.find((r) => r.mitre.technique === m.technique);
    if (row === undefined) {
      row = { mitre: m, hits: 0, sources: new Set(), capped: false, at: [seq, line, PORT_TRIGGERS.length] };
      rows.push(row);
    } else if (before([seq, line, PORT_TRIGGERS.length], row.at)) {
      row.at = [seq, line, PORT_TRIGGERS.length];
      row.mitre = m;
    }
    row.hits += nPorts > 0 && nHosts > 0 ? 2 : 1;
    const key = src4 >= 0 ? src4 : src;
    if (!row.sources.has(key)) {
      if (row.sources.size >= maxSources) row.capped = true;
      else row.sources.add(key);
    }
    if ((flags & OBS_MITRE) === 0) {
      derivedCount++;
      if (derivedHits.length < maxHits) {
        const sport = sc.i32[io + O_SPORT]!;
        const proto = sc.i32[io + O_PROTO]!;
        derivedHits.push(
          hitOf(line, file, describeFlow(DERIVED, src, dst, sport, dport, proto, STATEFUL), src, dst, dport),
        );
        derivedSeq.push(seq);
      }
    }
    if ((flags & OBS_ALERTED) === 0 && STATEFUL.actionable) alerts++;
  });
  // Rows in the order one pass creates them, then by hits (a stable sort, as mitreTable's).
  rows.sort((a, b) => (before(a.at, b.at) ? -1 : before(b.at, a.at) ? 1 : 0));
  const byHits = rows.slice().sort((a, b) => b.hits - a.hits);

  const triggers: TriggerSummary[] = TRIGGERS.map((def, i) => {
    const t = p.triggers[i]!;
    let count = t.count;
    let hits = t.hits.slice(0, maxHits);
    let mitre = def.mitre;
    if (i === scanIndex) {
      count += scanCount;
      hits = mergeHits(hits, t.seq ?? [], scanHits, [], maxHits);
    }
    if (i === derivedIndex) {
      count += derivedCount;
      hits = mergeHits(hits, t.seq ?? [], derivedHits, derivedSeq, maxHits);
    }
    if (def.flags.derived) mitre = byHits[0]?.mitre ?? null;
    return {
      id: def.id,
      name: def.name,
      actionable: def.actionable,
      mitre: mitre ? { ...mitre } : null,
      rule: triggerRule(def, config),
      count,
      hits,
      hitsTruncated: count > hits.length,
    };
  });

  const net = TimeSeriesBuilder.fromPart(p.netSeries, config.maxTimeBuckets);
  const sec = TimeSeriesBuilder.fromPart(p.secSeries, config.maxTimeBuckets);
  TimeSeriesBuilder.align(net, sec);

  const dense = (part: AnalysisPart['paths'], domain: number): DenseCounter => {
    const d = new DenseCounter(domain);
    d.addPart(part);
    return d;
  };
  const trafficPath = dense(p.paths, 256).table(n, pathLabel);
  if (p.pathUnknown > 0) {
    trafficPath.rows.push({
      key: '-',
      label: '- (none applies, or ingress)',
      flows: p.pathUnknown,
      bytes: 0,
      packets: 0,
    });
  }
  const text = (t: AnalysisPart['regions']) => NumTopCounter.fromPart(t, cap, 'flows').textTable(n);
  const filters = options?.filters ?? p.filters;

  return {
    schema: 1,
    totals: {
      lines: p.lines,
      records: p.records,
      accepted: p.accepted,
      rejected: p.rejected,
      noData: p.noData,
      skipData: p.skipData,
      other: p.other,
      unparsedLines: p.unparsedLines,
      headers: p.headers,
      blankLines: p.blank,
      envelopeLines: p.envelopeLines,
      noFlowMessages: p.noFlowMessages,
      flaggedRecords: p.flaggedRecords,
      ...bigTotals(BigInt(p.bytes), BigInt(p.packets), p.oversize),
      alerts,
    },
    timeRange: p.tMin !== null && p.tMax !== null ? { start: p.tMin, end: p.tMax } : null,
    formats: distinctFormats(p.formats),
    envelopes: p.envelopes.map((e) => ({ ...e })),
    unparsed: p.unparsed.slice(0, config.maxUnparsed),
    network: {
      overTime: net.result(),
      protocols: dense(p.protocols, 256).table(n, protocolLabel),
      dstPorts: dense(p.dstPorts, 65536).table(n, (k) => portLabel(k)),
      talkers: AddrTop.fromPart(p.talkers, cap, 'bytes', false).table(n),
      conversations: AddrTop.fromPart(p.conversations, cap, 'bytes', true).table(n),
      regions: text(p.regions),
      azs: text(p.azs),
      vpcs: text(p.vpcs),
      interfaces: text(p.interfaces),
      flowDirection: text(p.directions),
      trafficPath,
    },
    security: {
      overTime: sec.result(),
      blockedSources: AddrTop.fromPart(p.blockedSources, cap, 'flows', false).table(n),
      blockedPorts: dense(p.blockedPorts, 65536).table(n, (k) => portLabel(k)),
      mitre: byHits.map((r) => mitreTableRow(r.mitre, r.hits, r.sources.size, r.capped)),
    },
    triggers,
    ...(filters !== null && filters !== undefined && filters.length > 0
      ? {
          filtered: {
            filters: filters.map((f) => ({
              dimension: f.dimension,
              key: f.key,
              ...(f.end !== undefined ? { end: f.end } : {}),
            })),
            matched: p.matched,
          },
        }
      : {}),
  };
}
