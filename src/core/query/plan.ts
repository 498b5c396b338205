// The intermediate form every query printer reads: the normalised flow relation (which raw fields feed which
// value, as the analyzer reads them), predicates built from the trigger declarations and the dashboard's row
// dimensions, and one plan per trigger and per dashboard table. PURE: no vscode, no DOM, no Node built-ins.
//
// Nothing here names a trigger id: the predicates come from each declaration's `when` rule, its configured ports
// (AnalysisConfig.ports) and its flags (needsState: the port-scan window; derived: the MITRE-mapped triggers).

import { serviceName } from '../decode';
import { EPHEMERAL_FROM, isEphemeralPort } from '../ports';
import type { AnalysisConfig } from '../analysis/config';
import { PORT_TRIGGERS, TRIGGERS, type MitreMapping, type PortTriggerId, type TriggerDef } from '../analysis/triggers';
import { ROW_DIMENSIONS, type FilterDimension } from '../../shared/dimensions';
import { checkInt, QueryError } from './quote';

/**
 * The columns of the normalised relation `flows` (one row per record, as the analyzer reads it):
 * - line: 1-based line of the record in its file (engines that cannot tell: null);
 * - status: 'ACCEPT' | 'REJECT' | 'NODATA' | 'SKIPDATA' | null (log-status NODATA/SKIPDATA first, then action);
 * - proto: the protocol number; dport: the destination port a record counts under (only for protocols that
 *   carry ports, 0..65535); sport: the source port where dport is counted;
 * - reply: TCP/UDP from a service port to an ephemeral one (src/core/ports.ts);
 * - t: start in seconds (milliseconds divided down), else end; src, dst: addresses, null when absent or `-`;
 * - bytes, packets: 0 when absent.
 */
export type FlowColumn =
  'line' | 'status' | 'proto' | 'dport' | 'sport' | 'reply' | 't' | 'src' | 'dst' | 'bytes' | 'packets';

/** A predicate over the normalised relation. */
export type Pred =
  | { readonly k: 'status'; readonly value: 'ACCEPT' | 'REJECT' }
  | { readonly k: 'in'; readonly col: 'proto' | 'dport'; readonly values: readonly number[] }
  | { readonly k: 'reply'; readonly value: boolean }
  /** Present: not null; a protocol also 0..255 (the analyzer's protocol table). */
  | { readonly k: 'present'; readonly col: 'src' | 'dst' | 't' | 'dport' | 'proto' }
  | { readonly k: 'and' | 'or'; readonly args: readonly Pred[] }
  | { readonly k: 'false' }
  /** The record fired the stateful trigger (port-scan): needs the scan window (ScanSpec). */
  | { readonly k: 'scan' };

/** The port-scan detection, as the analyzer's trackers (src/core/analysis/portScan.ts) run it. */
export interface ScanSpec {
  /** Which records the trackers observe. */
  readonly eligible: Pred;
  readonly distinctPorts: number;
  readonly distinctHosts: number;
  readonly windowSeconds: number;
  readonly maxTracked: number;
  readonly mitre: MitreMapping | null;
}

/** Ports from 1024 below the ephemeral range that a well-known service uses (isServicePort beyond < 1024). */
export const SERVICE_PORTS_ABOVE_1023: readonly number[] = (() => {
  const out: number[] = [];
  for (let p = 1024; p < EPHEMERAL_FROM; p++) if (serviceName(p) !== undefined) out.push(p);
  return Object.freeze(out);
})();

/** Protocols whose records carry ports (layout.ts hasPorts; an unknown protocol counts too). */
export const PORT_PROTOCOLS: readonly number[] = Object.freeze([6, 17, 132, 33, 136]);

export const and = (...args: Pred[]): Pred => {
  const flat = args.flatMap((a) => (a.k === 'and' ? a.args : [a]));
  if (flat.some((a) => a.k === 'false')) return { k: 'false' };
  return flat.length === 1 ? flat[0]! : { k: 'and', args: flat };
};
export const or = (...args: Pred[]): Pred => {
  const flat = args.flatMap((a) => (a.k === 'or' ? a.args : a.k === 'false' ? [] : [a]));
  return flat.length === 0 ? { k: 'false' } : flat.length === 1 ? flat[0]! : { k: 'or', args: flat };
};

function checkedPorts(id: string, proto: string, ports: readonly number[]): number[] {
  return ports.map((p) => checkInt(`ports.${id}.${proto}`, p, 0, 65535));
}

/** The configured-ports part of a port trigger's rule: (TCP and dport in tcp) or (UDP and dport in udp). */
export function portsPred(def: TriggerDef, config: AnalysisConfig): Pred {
  const rule = config.ports[def.id as PortTriggerId];
  const parts: Pred[] = [];
  const tcp = checkedPorts(def.id, 'tcp', rule.tcp);
  const udp = checkedPorts(def.id, 'udp', rule.udp);
  if (tcp.length > 0 && udp.length > 0 && tcp.length === udp.length && tcp.every((p, i) => p === udp[i])) {
    return and({ k: 'in', col: 'proto', values: [6, 17] }, { k: 'in', col: 'dport', values: tcp });
  }
  if (tcp.length > 0) parts.push(and({ k: 'in', col: 'proto', values: [6] }, { k: 'in', col: 'dport', values: tcp }));
  if (udp.length > 0) parts.push(and({ k: 'in', col: 'proto', values: [17] }, { k: 'in', col: 'dport', values: udp }));
  return or(...parts);
}

/** A declaration's `when` rule without its ports or state: action, protocols, replies. */
export function rulePred(def: TriggerDef, repliesPossible = true): Pred {
  const w = def.when;
  const parts: Pred[] = [{ k: 'status', value: w.action }];
  if (w.protocols !== undefined) parts.push({ k: 'in', col: 'proto', values: w.protocols });
  if (w.replies === 'exclude' && repliesPossible) parts.push({ k: 'reply', value: false });
  else if (w.replies === 'only') parts.push({ k: 'reply', value: true });
  return and(...parts);
}

/** The stateful trigger (flags.needsState) and the derived one (flags.derived). */
export const STATEFUL_TRIGGER = TRIGGERS.find((t) => t.flags.needsState);
export const DERIVED_TRIGGER = TRIGGERS.find((t) => t.flags.derived);

/** Whether a trigger is decided by its record alone (no window, no other trigger). */
export function singleRecord(def: TriggerDef): boolean {
  return !def.flags.needsState && !def.flags.derived;
}

/** The scan detection of the stateful trigger under this configuration. */
export function scanSpec(config: AnalysisConfig): ScanSpec {
  const def = STATEFUL_TRIGGER;
  if (def === undefined) throw new QueryError('no stateful trigger is declared');
  const s = config.portScan;
  return {
    eligible: and(
      rulePred(def),
      { k: 'present', col: 'src' },
      { k: 'present', col: 'dst' },
      { k: 'present', col: 't' },
      { k: 'present', col: 'dport' },
    ),
    distinctPorts: checkInt('portScan.distinctPorts', s.distinctPorts, 2, 65536),
    distinctHosts: checkInt('portScan.distinctHosts', s.distinctHosts, 2, 10_000_000),
    windowSeconds: checkInt('portScan.windowSeconds', s.windowSeconds, 1, 31_536_000),
    maxTracked: s.maxTracked,
    mitre: def.mitre,
  };
}

/** A trigger's predicate over one record; the stateful trigger's is `{ k: 'scan' }` (its window decides). */
export function triggerPred(def: TriggerDef, config: AnalysisConfig): Pred {
  if (def.flags.needsState) return { k: 'scan' };
  if (def.flags.derived) {
    // Fires when a MITRE-mapped trigger fired on the record (and the record passes its own rule).
    const mapped = TRIGGERS.filter((t) => t.mitre !== null && !t.flags.derived);
    return and(rulePred(def), or(...mapped.map((t) => triggerPred(t, config))));
  }
  if (def.when.ports === 'configured') {
    // A reply goes to an ephemeral port: when no configured port is one, no record the ports select is a reply, and
    // the reply test is left out (the same records, a shorter query).
    const rule = config.ports[def.id as PortTriggerId];
    const repliesPossible = [...rule.tcp, ...rule.udp].some((p) => isEphemeralPort(p));
    return and(rulePred(def, repliesPossible), portsPred(def, config));
  }
  return rulePred(def);
}

/** Whether a predicate needs the scan window. */
export function needsScan(p: Pred): boolean {
  return p.k === 'scan' || ((p.k === 'and' || p.k === 'or') && p.args.some(needsScan));
}

// ---------------------------------------------------------------------------------------------------
// Dashboard tables

export type TableKind = 'top' | 'series' | 'mitre' | 'scans' | 'totals';

export interface TableDef {
  /** The table id (CLI --table, QueryRequest.table). */
  readonly id: string;
  readonly name: string;
  readonly kind: TableKind;
  /** The row dimension whose section (and key) the table counts (src/shared/dimensions.ts). */
  readonly dimension?: FilterDimension;
  /** The key column of a top table. */
  readonly key?: 'src' | 'proto' | 'dport';
  /** What a top table ranks by (the analyzer's counter). */
  readonly rankBy?: 'flows' | 'bytes';
  /** Where the analyzer's summary holds it, e.g. "network.talkers". */
  readonly summary: string;
}

export const TABLES: readonly TableDef[] = Object.freeze([
  { id: 'totals', name: 'Totals (records by action, bytes, packets)', kind: 'totals', summary: 'totals' },
  {
    id: 'talkers',
    name: 'Top talkers (accepted, by bytes)',
    kind: 'top',
    dimension: 'talker',
    key: 'src',
    rankBy: 'bytes',
    summary: 'network.talkers',
  },
  {
    id: 'protocols',
    name: 'Protocols (accepted)',
    kind: 'top',
    dimension: 'protocol',
    key: 'proto',
    rankBy: 'flows',
    summary: 'network.protocols',
  },
  {
    id: 'dstPorts',
    name: 'Destination ports (accepted)',
    kind: 'top',
    dimension: 'dstport',
    key: 'dport',
    rankBy: 'flows',
    summary: 'network.dstPorts',
  },
  {
    id: 'blockedSources',
    name: 'Top blocked sources',
    kind: 'top',
    dimension: 'blockedSource',
    key: 'src',
    rankBy: 'flows',
    summary: 'security.blockedSources',
  },
  {
    id: 'blockedPorts',
    name: 'Top blocked ports',
    kind: 'top',
    dimension: 'blockedPort',
    key: 'dport',
    rankBy: 'flows',
    summary: 'security.blockedPorts',
  },
  {
    id: 'flowsOverTime',
    name: 'Accepted flows over time',
    kind: 'series',
    dimension: 'time',
    summary: 'network.overTime',
  },
  {
    id: 'rejectedOverTime',
    name: 'Rejected flows over time',
    kind: 'series',
    dimension: 'rejectedTime',
    summary: 'security.overTime',
  },
  { id: 'mitre', name: 'MITRE ATT&CK techniques', kind: 'mitre', dimension: 'mitre', summary: 'security.mitre' },
  {
    id: 'portScans',
    name: 'Port scans (vertical and horizontal)',
    kind: 'scans',
    summary: 'triggers (port-scan hits)',
  },
] satisfies TableDef[]);

export function tableDef(id: string): TableDef | undefined {
  return TABLES.find((t) => t.id === id);
}

/** The section predicate of a row dimension: ACCEPT only, REJECT only, or any record with an action. */
export function sectionPred(dimension: FilterDimension): Pred {
  const s = ROW_DIMENSIONS[dimension].section;
  return s === 'accepted'
    ? { k: 'status', value: 'ACCEPT' }
    : s === 'rejected'
      ? { k: 'status', value: 'REJECT' }
      : or({ k: 'status', value: 'ACCEPT' }, { k: 'status', value: 'REJECT' });
}

/** A top table's rows: the section, and a present key (a protocol: 0..255). */
export function topPred(t: TableDef): Pred {
  return and(sectionPred(t.dimension as FilterDimension), { k: 'present', col: t.key as 'src' | 'proto' | 'dport' });
}

/** The MITRE table's rows: each mapped single-record trigger, and the stateful trigger's technique. */
export interface MitreSource {
  readonly mitre: MitreMapping;
  readonly trigger: TriggerDef;
  readonly pred: Pred;
}

export function mitreSources(config: AnalysisConfig): MitreSource[] {
  return TRIGGERS.filter((t) => t.mitre !== null && singleRecord(t)).map((t) => ({
    mitre: t.mitre as MitreMapping,
    trigger: t,
    pred: triggerPred(t, config),
  }));
}

export { PORT_TRIGGERS, TRIGGERS };
