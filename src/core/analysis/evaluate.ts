// Which triggers a record fires, and how a fired trigger is described. PURE: no vscode, no DOM, no Node
// built-ins. The analyzer, hovers, diagnostics, the CLI report and the row filter (rows.ts) all read it.

import type { AnalysisSummary } from '../../shared/summary';
import type { FlowRecord } from '../types';

type MitreTableRow = AnalysisSummary['security']['mitre'][number];
import { isReply } from '../ports';
import { protocolName, serviceName } from '../decode';
import { resolveAnalysisConfig, type AnalysisConfig, type AnalysisConfigInput } from './config';
import { ACCEPTED, countedPort, fieldAt, layoutOf, readUint, REJECTED as REJECTED_STATUS, statusOf } from './layout';
import {
  mitreText,
  PORT_TRIGGERS,
  TRIGGERS,
  type MitreMapping,
  type PortTriggerId,
  type TriggerDef,
  type TriggerRule,
} from './triggers';

// ---------------------------------------------------------------------------------------------------
// Labels

export function protocolLabel(n: number): string {
  const name = protocolName(n);
  return name && name !== String(n) ? `${name} (${n})` : `protocol ${n}`;
}

export function portLabel(port: number, protocol?: number): string {
  const name = serviceName(port, protocol);
  if (!name) return String(port);
  return name.includes('(') ? `${port} ${name}` : `${port} (${name})`;
}

// ---------------------------------------------------------------------------------------------------
// The declarations the evaluator gives a role, found by their flags and rules (never by id)

/** The stateful trigger (port-scan): the analyzer's scan trackers decide it. */
export const STATEFUL: TriggerDef = TRIGGERS.find((t: TriggerDef) => t.flags.needsState) as TriggerDef;
/** The derived trigger (mitre-threat): fires when a MITRE-mapped trigger fired. */
export const DERIVED: TriggerDef = TRIGGERS.find((t: TriggerDef) => t.flags.derived) as TriggerDef;
/** Triggers decided by the record alone with no port list (traffic-rejected, nacl-return-blocked). */
export const PLAIN_TRIGGERS: readonly TriggerDef[] = TRIGGERS.filter(
  (t: TriggerDef) => !t.flags.needsState && !t.flags.derived && t.when.ports !== 'configured',
);

// ---------------------------------------------------------------------------------------------------
// Port tables: for each destination port, the port triggers (bit k: PORT_TRIGGERS[k]) it fires, per protocol

/** The narrowest typed array that holds one bit per port trigger. */
const PortMaskArray = PORT_TRIGGERS.length <= 8 ? Uint8Array : PORT_TRIGGERS.length <= 16 ? Uint16Array : Uint32Array;
if (PORT_TRIGGERS.length > 32) throw new Error('more than 32 port triggers');
// The analyzer's fast path reads a port trigger's rule as "REJECT, any protocol the ports are configured for, no
// replies": a declaration that says otherwise must be evaluated generically first.
for (const t of PORT_TRIGGERS) {
  if (t.when.protocols !== undefined || t.when.replies !== 'exclude' || t.flags.needsState || t.flags.derived)
    throw new Error(`port trigger ${t.id}: only REJECT, configured ports and replies excluded are supported`);
}

export interface Masks {
  /** Protocol 6 (the configuration's `tcp` lists). */
  readonly tcp: Uint8Array | Uint16Array | Uint32Array;
  /** Protocol 17 (the `udp` lists). */
  readonly udp: Uint8Array | Uint16Array | Uint32Array;
}

/** The bit of PORT_TRIGGERS[k] in a port mask. */
export function portBit(k: number): number {
  return 1 << k;
}

const masksCache = new WeakMap<AnalysisConfig, Masks>();

export function masksOf(config: AnalysisConfig): Masks {
  let m = masksCache.get(config);
  if (m === undefined) {
    const tcp = new PortMaskArray(65536);
    const udp = new PortMaskArray(65536);
    PORT_TRIGGERS.forEach((def, k) => {
      const rule = config.ports[def.id as PortTriggerId];
      for (const p of rule.tcp) tcp[p] = (tcp[p] as number) | portBit(k);
      for (const p of rule.udp) udp[p] = (udp[p] as number) | portBit(k);
    });
    m = { tcp, udp };
    masksCache.set(config, m);
  }
  return m;
}

/** The port triggers a (non-reply) destination port fires over this protocol, as bits. */
export function portMask(masks: Masks, proto: number, dport: number): number {
  if (dport < 0 || dport > 65535) return 0;
  return proto === 6 ? masks.tcp[dport]! : proto === 17 ? masks.udp[dport]! : 0;
}

// ---------------------------------------------------------------------------------------------------
// The evaluator

/** What the rules read from a record. */
export interface TriggerFacts {
  /** statusOf: ACCEPTED, REJECTED, ... */
  readonly status: number;
  /** Protocol number, -1 when absent. */
  readonly proto: number;
  /** countedPort: -1 when absent or the protocol has no ports. */
  readonly dport: number;
  /** A reply (isReplyFlow). */
  readonly reply: boolean;
}

/** Whether a record is a reply: TCP or UDP from a service port to an ephemeral one (src/core/ports.ts). */
export function isReplyFlow(proto: number, sport: number, dport: number): boolean {
  return (proto === 6 || proto === 17) && isReply(sport, dport);
}

/** Whether the record passes a rule's action, protocol and reply conditions (not its ports or state). */
export function passesRule(w: TriggerRule, status: number, proto: number, reply: boolean): boolean {
  if (status !== (w.action === 'REJECT' ? REJECTED_STATUS : -1)) return false;
  if (w.protocols !== undefined && !w.protocols.includes(proto)) return false;
  return w.replies === 'exclude' ? !reply : w.replies === 'only' ? reply : true;
}

/**
 * The triggers a record fires, in declaration order: `stateFired` says whether the stateful trigger (port-scan)
 * fired on it (the analysis decides; false where unknown, e.g. a hover on its own).
 */
export function firedTriggers(f: TriggerFacts, config: AnalysisConfig, stateFired: boolean): TriggerDef[] {
  if (f.status !== REJECTED_STATUS) return [];
  const ports = portMask(masksOf(config), f.proto, f.dport);
  const fires = (def: TriggerDef): boolean => {
    if (def.flags.derived || !passesRule(def.when, f.status, f.proto, f.reply)) return false;
    if (def.flags.needsState) return stateFired;
    if (def.when.ports === 'configured') return (ports & portBit(PORT_TRIGGERS.indexOf(def))) !== 0;
    return true;
  };
  const direct = TRIGGERS.filter(fires);
  const mapped = direct.some((d) => d.mitre !== null);
  return TRIGGERS.filter(
    (def) => direct.includes(def) || (def.flags.derived && mapped && passesRule(def.when, f.status, f.proto, f.reply)),
  );
}

function listPorts(ports: readonly number[]): string {
  return ports.join(', ');
}

/** The rule text of a trigger under this configuration (port lists and thresholds filled in). */
export function triggerRule(def: TriggerDef, config: AnalysisConfig): string {
  if (def.when.ports === 'configured') {
    const rule = config.ports[def.id as PortTriggerId];
    const parts: string[] = [];
    if (rule.tcp.length) parts.push(`protocol TCP (6) and dstport ${listPorts(rule.tcp)}`);
    if (rule.udp.length) parts.push(`protocol UDP (17) and dstport ${listPorts(rule.udp)}`);
    if (!parts.length) return 'disabled (no ports configured)';
    return `action REJECT and ${parts.join(', or ')} (the destination port: a reply, from a service port to an ephemeral port, does not count)`;
  }
  if (def.flags.needsState) {
    const s = config.portScan;
    return `REJECT flows over TCP (6) or UDP (17), replies (from a service port to an ephemeral port) skipped. Vertical: one srcaddr reaching at least ${s.distinctPorts} distinct dstports on one dstaddr; horizontal: one srcaddr reaching one dstport on at least ${s.distinctHosts} distinct dstaddrs; both within ${s.windowSeconds} seconds of flow start time. Fires once per source/target per window, on the record that reaches the threshold`;
  }
  return def.rule;
}

// ---------------------------------------------------------------------------------------------------
// Event classes and stateless triggers

export type EventClass = 'network' | 'security';

/** ACCEPT → `network`; REJECT → `security`; NODATA, SKIPDATA and records without an action → null. */
export function eventClass(rec: FlowRecord): EventClass | null {
  const st = statusOf(rec, layoutOf(rec.format));
  return st === ACCEPTED ? 'network' : st === REJECTED_STATUS ? 'security' : null;
}

/** A trigger one record fires, as shown in a hover. */
export interface FiredTrigger {
  readonly id: string;
  readonly name: string;
  readonly actionable: boolean;
  readonly mitre: MitreMapping | null;
  readonly description: string;
}

function field(rec: FlowRecord, i: number): string {
  return fieldAt(rec.text, null, rec.spans, i);
}

/** An address and port as written in a URL: an IPv6 address in brackets. */
function endpointText(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

export function flowText(src: string, dst: string, dport: number): string {
  return dport < 0 ? `${src} → ${dst}` : `${src} → ${endpointText(dst, dport)}`;
}

export function portTriggerDescription(
  def: TriggerDef,
  src: string,
  dst: string,
  dport: number,
  proto: number,
): string {
  let d = `${def.label}: ${flowText(src, dst, dport)}`;
  if (def.mitre) d += ` (${mitreText(def.mitre)})`;
  else {
    const svc = serviceName(dport, proto);
    if (svc) d += ` (${svc})`;
  }
  return d;
}

export function rejectedDescription(def: TriggerDef, src: string, dst: string, dport: number, proto: number): string {
  return `${def.label}: ${flowText(src, dst, dport)}${proto >= 0 ? ` ${protocolLabel(proto)}` : ''}`;
}

export function returnBlockedDescription(
  def: TriggerDef,
  src: string,
  dst: string,
  sport: number,
  dport: number,
  proto: number,
): string {
  const svc = serviceName(sport, proto);
  const from = endpointText(src, sport);
  return `${def.label}: reply ${from}${svc ? ` (${svc})` : ''} → ${endpointText(dst, dport)} ${protocolLabel(proto)} (a stateless network ACL without a rule for ephemeral ports?)`;
}

/** A row of the Security tab's MITRE ATT&CK table: the technique, its hits and the distinct sources that fired it. */
export function mitreTableRow(m: MitreMapping, hits: number, sources: number, approximate: boolean): MitreTableRow {
  return {
    technique: m.technique,
    techniqueName: m.techniqueName,
    tactic: m.tactic,
    tacticId: m.tacticId,
    hits,
    sources,
    sourcesApproximate: approximate,
  };
}

export function mitreDescription(def: TriggerDef, src: string, dst: string, dport: number): string {
  const m = def.mitre as MitreMapping;
  return `${m.technique} ${m.techniqueName} (${m.tactic}): ${def.label} ${flowText(src, dst, dport)}`;
}

/** The facts the rules read, and the addresses and ports a description shows, of one record. */
export interface RecordFacts extends TriggerFacts {
  readonly sport: number;
  readonly src: string;
  readonly dst: string;
}

export function recordFacts(rec: FlowRecord): RecordFacts {
  const l = layoutOf(rec.format);
  const sp = rec.spans;
  const text = rec.text;
  const num = (i: number): number => (i < 0 ? -1 : readUint(text, sp[2 * i]!, sp[2 * i + 1]!));
  const proto = num(l.protocol);
  const dport = countedPort(num(l.dstport), proto);
  const sport = dport >= 0 ? num(l.srcport) : -1;
  return {
    status: statusOf(rec, l),
    proto,
    dport,
    sport,
    reply: isReplyFlow(proto, sport, dport),
    src: field(rec, l.srcaddr),
    dst: field(rec, l.dstaddr),
  };
}

/**
 * One hit's description. `behind` is the MITRE-mapped trigger a derived trigger reports. The stateful trigger's
 * descriptions (which scan, how many ports or hosts) come from the analyzer's trackers.
 */
export function describeHit(def: TriggerDef, f: RecordFacts, behind: TriggerDef | null): string {
  return describeFlow(def, f.src, f.dst, f.sport, f.dport, f.proto, behind);
}

/** describeHit from the values (the analyzer's hot path reads them without building RecordFacts). */
export function describeFlow(
  def: TriggerDef,
  src: string,
  dst: string,
  sport: number,
  dport: number,
  proto: number,
  behind: TriggerDef | null,
): string {
  if (def.flags.derived && behind) return mitreDescription(behind, src, dst, dport);
  if (def.when.ports === 'configured') return portTriggerDescription(def, src, dst, dport, proto);
  if (def.when.replies === 'only') return returnBlockedDescription(def, src, dst, sport, dport, proto);
  return rejectedDescription(def, src, dst, dport, proto);
}

/**
 * The triggers one record fires on its own, described: all but the stateful one (port-scan needs the records
 * around it: read it from the summary's hits, by line).
 */
export function recordTriggers(
  rec: FlowRecord,
  config?: AnalysisConfigInput | Partial<AnalysisConfig>,
): FiredTrigger[] {
  const f = recordFacts(rec);
  const fired = firedTriggers(f, configOf(config), false);
  const behind = fired.find((d) => d.mitre !== null) ?? null;
  return fired.map((def) => ({
    ...pick(def),
    ...(def.flags.derived ? { mitre: behind?.mitre ?? null } : {}),
    description: describeHit(def, f, behind),
  }));
}

/**
 * Whether the stateful trigger (port-scan) observes a record that passes its rule: with a source, a target, a
 * time and a destination port.
 */
export function scanEligible(
  proto: number,
  hasSrc: boolean,
  hasDst: boolean,
  start: number,
  dport: number,
  reply: boolean,
): boolean {
  return hasSrc && hasDst && start >= 0 && dport >= 0 && passesRule(STATEFUL.when, REJECTED_STATUS, proto, reply);
}

/**
 * The declarations of every trigger `rec` fires, the stateful one included when `stateFired` (the record fired it
 * in its analysis).
 */
export function firedTriggerIds(rec: FlowRecord, config: AnalysisConfig, stateFired: boolean): TriggerDef[] {
  return firedTriggers(recordFacts(rec), config, stateFired);
}

function pick(def: TriggerDef): Omit<FiredTrigger, 'description'> {
  return { id: def.id, name: def.name, actionable: def.actionable, mitre: def.mitre };
}

const configCache = new WeakMap<object, AnalysisConfig>();

export function configOf(input?: AnalysisConfigInput | Partial<AnalysisConfig>): AnalysisConfig {
  if (!input) return resolveAnalysisConfig();
  let c = configCache.get(input);
  if (c === undefined) {
    c = resolveAnalysisConfig(input);
    configCache.set(input, c);
  }
  return c;
}
