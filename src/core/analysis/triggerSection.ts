// The triggers' share of the analysis: per-trigger counts and hits, the MITRE ATT&CK table and the port-scan
// trackers, fed one REJECT record at a time by the analyzer. Which trigger fires is decided by the declarations
// (triggers.ts) through the evaluator (evaluate.ts): port triggers by the port tables, the stateful trigger by
// the scan trackers, the derived one when a MITRE-mapped trigger fired, the plain ones by their rule.
// PURE: no vscode, no DOM, no Node built-ins.

import type { AnalysisSummary, TriggerHitSummary, TriggerSummary } from '../../shared/summary';
import type { AnalysisConfig } from './config';
import {
  DERIVED,
  describeFlow,
  masksOf,
  mitreTableRow,
  passesRule,
  PLAIN_TRIGGERS,
  portBit,
  portMask,
  scanEligible,
  STATEFUL,
  triggerRule,
  type Masks,
} from './evaluate';
import { fieldAt, REJECTED, spanText, type Layout } from './layout';
import type { MitrePart, TriggerPart } from './part';
import { NumScanTracker } from './portScan';
import { OBS_ALERTED, OBS_MITRE, OBS_SELECTED, ScanLog } from './scanLog';
import { spanKey } from './spanHash';
import { ownString, type TopKey } from './topN';
import { mitreText, PORT_TRIGGERS, TRIGGERS, type MitreMapping, type TriggerDef } from './triggers';

/** Most port-scan lines kept for `portScanLines()`. */
const MAX_SCAN_LINES = 1_000_000;

class TriggerState {
  count = 0;
  readonly hits: TriggerHitSummary[] = [];
  constructor(
    readonly def: TriggerDef,
    readonly cap: number,
  ) {}
  /** True when there is room for one more stored hit. */
  get room(): boolean {
    return this.hits.length < this.cap;
  }
  store(line: number, description: string, srcaddr: string, dstaddr: string, dstport: number): void {
    const hit: TriggerHitSummary = { line, description: ownString(description) };
    if (srcaddr !== '-' && srcaddr !== '') hit.srcaddr = ownString(srcaddr);
    if (dstaddr !== '-' && dstaddr !== '') hit.dstaddr = ownString(dstaddr);
    if (dstport >= 0) hit.dstport = dstport;
    this.hits.push(hit);
  }
}

/**
 * One hit of a trigger decided by one record: counted, and stored (described by describeFlow) while there is room.
 * `behind` is the MITRE-mapped trigger a derived one restates, else null.
 */
function fire(
  st: TriggerState,
  line: number,
  text: string,
  u8: Uint8Array | null,
  sp: Int32Array,
  l: Layout,
  sport: number,
  dport: number,
  proto: number,
  behind: TriggerDef | null,
): void {
  st.count++;
  if (!st.room) return;
  const src = fieldAt(text, u8, sp, l.srcaddr);
  const dst = fieldAt(text, u8, sp, l.dstaddr);
  st.store(line, describeFlow(st.def, src, dst, sport, dport, proto, behind), src, dst, dport);
}

class MitreRow {
  hits = 0;
  readonly sources = new Set<TopKey>();
  sourcesCapped = false;
  constructor(
    readonly mitre: MitreMapping,
    readonly cap: number,
    /** Where the row was created: line, and rank of the trigger within the record (for parts). */
    readonly line: number,
    readonly rank: number,
  ) {}
  add(src: TopKey | null): void {
    this.hits++;
    if (src === null || this.sources.has(src)) return;
    if (this.sources.size >= this.cap) this.sourcesCapped = true;
    else this.sources.add(typeof src === 'string' ? ownString(src) : src);
  }
}

export class TriggerSection {
  private readonly masks: Masks;
  private readonly states: Map<string, TriggerState>;
  /** States of PORT_TRIGGERS (index k: bit portBit(k)). */
  private readonly portTriggerStates: TriggerState[];
  /** The stateful trigger's (port-scan), the derived one's (mitre-threat), and the plain ones'. */
  private readonly scanState: TriggerState;
  private readonly mitreState: TriggerState;
  private readonly plainStates: TriggerState[];
  private readonly mitreRows = new Map<string, MitreRow>();
  /** Scan trackers for pairs with a non-IPv4 address (keys and items by spanKey), and for IPv4 pairs. */
  private readonly vertical: NumScanTracker;
  private readonly horizontal: NumScanTracker;
  private readonly vertical4: NumScanTracker;
  private readonly horizontal4: NumScanTracker;
  /** What the last scan observation found: distinct ports (vertical) and hosts (horizontal) past threshold. */
  scanPorts = 0;
  scanHosts = 0;
  private readonly scanLines: number[] = [];
  private scanLinesComplete = true;
  /** Records that fired an actionable trigger. */
  alerts = 0;
  /**
   * Part mode (FlowAnalyzer's `part` option): scan-eligible records are recorded here instead of observed, and
   * merge.ts decides port scans over all parts in order (scanLog.ts).
   */
  private readonly scanLog: ScanLog | null;

  constructor(
    private readonly config: AnalysisConfig,
    part = false,
    hitRoom?: readonly number[],
  ) {
    const c = config;
    this.scanLog = part ? new ScanLog() : null;
    this.masks = masksOf(c);
    this.states = new Map(
      TRIGGERS.map((d, i) => [d.id, new TriggerState(d, Math.min(c.maxHitsPerTrigger, hitRoom?.[i] ?? Infinity))]),
    );
    const state = (def: TriggerDef): TriggerState => this.states.get(def.id) as TriggerState;
    this.portTriggerStates = PORT_TRIGGERS.map(state);
    this.scanState = state(STATEFUL);
    this.mitreState = state(DERIVED);
    this.plainStates = PLAIN_TRIGGERS.map(state);
    const s = c.portScan;
    this.vertical = new NumScanTracker(s.distinctPorts, s.windowSeconds, s.maxTracked);
    this.horizontal = new NumScanTracker(s.distinctHosts, s.windowSeconds, s.maxTracked);
    this.vertical4 = new NumScanTracker(s.distinctPorts, s.windowSeconds, s.maxTracked);
    this.horizontal4 = new NumScanTracker(s.distinctHosts, s.windowSeconds, s.maxTracked);
  }

  /**
   * Observes a scan-eligible record: sets scanPorts and scanHosts (0 when no scan reached its threshold). In part
   * mode the observation is recorded instead (and nothing fires here).
   */
  observeScan(
    text: string,
    u8: Uint8Array | null,
    srcS: number,
    srcE: number,
    src4: number,
    dstS: number,
    dstE: number,
    dst4: number,
    dport: number,
    start: number,
    line: number,
    sport: number,
    proto: number,
  ): void {
    if (this.scanLog !== null) {
      this.scanLog.add(text, u8, srcS, srcE, src4, dstS, dstE, dst4, dport, start, line, sport, proto);
      this.scanPorts = 0;
      this.scanHosts = 0;
    } else if (src4 >= 0 && dst4 >= 0) {
      this.scanPorts = this.vertical4.observe(src4, dst4, dport, start);
      this.scanHosts = this.horizontal4.observe(src4, dport, dst4, start);
    } else {
      const a = spanKey(text, u8, srcS, srcE);
      const b = spanKey(text, u8, dstS, dstE);
      this.scanPorts = this.vertical.observe(a, b, dport, start);
      this.scanHosts = this.horizontal.observe(a, dport, b, start);
    }
  }

  noteScanLine(line: number): void {
    if (this.scanLines.length < MAX_SCAN_LINES) this.scanLines.push(line);
    else this.scanLinesComplete = false;
  }

  /**
   * Every line that fired port-scan (whatever the filters: the trackers observe every record), for a RowContext.
   * `complete` is false past a million lines.
   */
  portScanLines(): { readonly lines: ReadonlySet<number>; readonly complete: boolean } {
    return { lines: new Set(this.scanLines), complete: this.scanLinesComplete };
  }

  /**
   * One REJECT record (values as the analyzer reads them; spans in `text`, or in `u8` when not null). When
   * `preScanned`, the scan trackers already observed it and scanPorts/scanHosts hold the result.
   */
  reject(
    text: string,
    u8: Uint8Array | null,
    sp: Int32Array,
    l: Layout,
    line: number,
    proto: number,
    dport: number,
    sport: number,
    reply: boolean,
    start: number,
    srcS: number,
    srcE: number,
    src4: number,
    hasSrc: boolean,
    dstS: number,
    dstE: number,
    dst4: number,
    hasDst: boolean,
    preScanned: boolean,
  ): void {
    // The source as a MITRE-table key (IPv4 number or text), made only when a MITRE-mapped trigger fires.
    let srcKey: TopKey | null | undefined = hasSrc ? (src4 >= 0 ? src4 : undefined) : null;
    let alert = false;
    let mitreDef: TriggerDef | null = null;
    // Port triggers exclude replies (checked once in evaluate.ts).
    const mask = reply ? 0 : portMask(this.masks, proto, dport);
    if (mask !== 0) {
      const states = this.portTriggerStates;
      for (let k = 0; k < states.length; k++) {
        if ((mask & portBit(k)) === 0) continue;
        const st = states[k]!;
        if (st.def.actionable) alert = true;
        fire(st, line, text, u8, sp, l, sport, dport, proto, null);
        if (st.def.mitre) {
          if (mitreDef === null) mitreDef = st.def;
          if (srcKey === undefined) srcKey = spanText(text, u8, srcS, srcE);
          this.mitreRow(st.def.mitre, line, k).add(srcKey);
        }
      }
    }

    // Port scans: TCP/UDP rejects with a source, a target and a start time, replies skipped.
    const eligible = scanEligible(proto, hasSrc, hasDst, start, dport, reply);
    if (eligible) {
      if (!preScanned) this.observeScan(text, u8, srcS, srcE, src4, dstS, dstE, dst4, dport, start, line, sport, proto);
      const nPorts = this.scanPorts;
      const nHosts = this.scanHosts;
      if (nPorts > 0 || nHosts > 0) {
        if (!preScanned) this.noteScanLine(line);
        const st = this.scanState;
        if (st.def.actionable) alert = true;
        const m = st.def.mitre as MitreMapping;
        const window = this.config.portScan.windowSeconds;
        for (const vertical of [true, false]) {
          if ((vertical ? nPorts : nHosts) <= 0) continue;
          st.count++;
          if (!st.room) continue;
          const src = fieldAt(text, u8, sp, l.srcaddr);
          const dst = fieldAt(text, u8, sp, l.dstaddr);
          const what = vertical
            ? `Port scan (vertical): ${src} reached ${nPorts} ports on ${dst} within ${window} s, latest ${dport}`
            : `Port scan (horizontal): ${src} reached port ${dport} on ${nHosts} hosts within ${window} s, latest ${dst}`;
          st.store(line, `${what} (${mitreText(m)})`, src, dst, dport);
        }
        if (mitreDef === null) mitreDef = st.def;
        const row = this.mitreRow(m, line, PORT_TRIGGERS.length);
        if (srcKey === undefined) srcKey = spanText(text, u8, srcS, srcE);
        row.add(srcKey);
        if (nPorts > 0 && nHosts > 0) row.hits++;
      }
    }

    if (mitreDef !== null) {
      fire(this.mitreState, line, text, u8, sp, l, sport, dport, proto, mitreDef);
    }

    // The triggers decided by the record alone (traffic-rejected, nacl-return-blocked).
    for (const st of this.plainStates) {
      if (!passesRule(st.def.when, REJECTED, proto, reply)) continue;
      if (st.def.actionable) alert = true;
      fire(st, line, text, u8, sp, l, sport, dport, proto, null);
    }
    if (alert) this.alerts++;
    if (eligible && this.scanLog !== null) {
      this.scanLog.flagLast(OBS_SELECTED | (alert ? OBS_ALERTED : 0) | (mitreDef !== null ? OBS_MITRE : 0));
    }
  }

  private mitreRow(m: MitreMapping, line: number, rank: number): MitreRow {
    let row = this.mitreRows.get(m.technique);
    if (row === undefined) {
      row = new MitreRow(m, this.config.maxMitreSources, line, rank);
      this.mitreRows.set(m.technique, row);
    }
    return row;
  }

  summaries(): TriggerSummary[] {
    return TRIGGERS.map((def: TriggerDef) => {
      const st = this.states.get(def.id) as TriggerState;
      let mitre = def.mitre;
      if (def.flags.derived) {
        // The mapping behind the hits: the most frequent one (T1110 unless only scans fired).
        const rows = [...this.mitreRows.values()].sort((a, b) => b.hits - a.hits);
        mitre = rows[0]?.mitre ?? null;
      }
      return {
        id: def.id,
        name: def.name,
        actionable: def.actionable,
        mitre: mitre ? { ...mitre } : null,
        rule: triggerRule(def, this.config),
        count: st.count,
        hits: st.hits,
        hitsTruncated: st.count > st.hits.length,
      };
    });
  }

  /** The triggers' counts and hits (TRIGGERS order), the MITRE rows and the scan observations, as plain data. */
  part(): { triggers: TriggerPart[]; mitre: MitrePart[]; scans: ScanLog | null } {
    const triggers = TRIGGERS.map((def) => {
      const st = this.states.get(def.id) as TriggerState;
      return { count: st.count, hits: st.hits.slice() };
    });
    const mitre = [...this.mitreRows.values()].map((r): MitrePart => {
      const nums: number[] = [];
      const texts: string[] = [];
      for (const k of r.sources) {
        if (typeof k === 'number') nums.push(k);
        else texts.push(k);
      }
      return {
        mitre: { ...r.mitre },
        hits: r.hits,
        nums: Float64Array.from(nums),
        texts,
        capped: r.sourcesCapped,
        at: [0, r.line, r.rank],
      };
    });
    return { triggers, mitre, scans: this.scanLog };
  }

  mitreTable(): AnalysisSummary['security']['mitre'] {
    return [...this.mitreRows.values()]
      .sort((a, b) => b.hits - a.hits)
      .map((r) => mitreTableRow(r.mitre, r.hits, r.sources.size, r.sourcesCapped));
  }
}
