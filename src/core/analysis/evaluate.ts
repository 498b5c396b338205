// Which triggers a record fires, and how a fired trigger is described. PURE: no vscode, no DOM, no Node
// built-ins. The analyzer, hovers, diagnostics, the CLI report and the row filter (rows.ts) all read it.

import type { FlowRecord } from '../types';
import { isReply } from '../ports';
import { protocolName, serviceName } from '../decode';
import { resolveAnalysisConfig, type AnalysisConfig, type AnalysisConfigInput } from './config';
import { fieldAt, hasPorts, layoutOf, readUint, statusOf } from './layout';
import {
  mitreText,
  PORT_TRIGGER_IDS,
  TRIGGERS,
  type MitreMapping,
  type PortTriggerId,
  type TriggerDef,
  type TriggerId,
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
// Trigger port masks

export const BIT: Readonly<Record<PortTriggerId, number>> = {
  'ssh-blocked': 1,
  'rdp-blocked': 2,
  'telnet-blocked': 4,
  'smb-blocked': 8,
  'database-blocked': 16,
};

export interface Masks {
  readonly tcp: Uint8Array;
  readonly udp: Uint8Array;
}

const masksCache = new WeakMap<AnalysisConfig, Masks>();

export function masksOf(config: AnalysisConfig): Masks {
  let m = masksCache.get(config);
  if (m === undefined) {
    const tcp = new Uint8Array(65536);
    const udp = new Uint8Array(65536);
    for (const id of PORT_TRIGGER_IDS) {
      const rule = config.ports[id];
      for (const p of rule.tcp) tcp[p] = (tcp[p] as number) | BIT[id];
      for (const p of rule.udp) udp[p] = (udp[p] as number) | BIT[id];
    }
    m = { tcp, udp };
    masksCache.set(config, m);
  }
  return m;
}

const PORT_TRIGGERS: readonly TriggerDef[] = PORT_TRIGGER_IDS.map(
  (id) => TRIGGERS.find((t) => t.id === id) as TriggerDef,
);
const DEF = (id: TriggerId): TriggerDef => TRIGGERS.find((t) => t.id === id) as TriggerDef;
export const PORT_SCAN = DEF('port-scan');
export const MITRE_THREAT = DEF('mitre-threat');
export const REJECTED = DEF('traffic-rejected');
export const RETURN_BLOCKED = DEF('nacl-return-blocked');

function listPorts(ports: readonly number[]): string {
  return ports.join(', ');
}

/** The rule text of a trigger under this configuration (port lists and thresholds filled in). */
export function triggerRule(def: TriggerDef, config: AnalysisConfig): string {
  if ((PORT_TRIGGER_IDS as readonly string[]).includes(def.id)) {
    const rule = config.ports[def.id as PortTriggerId];
    const parts: string[] = [];
    if (rule.tcp.length) parts.push(`protocol TCP (6) and dstport ${listPorts(rule.tcp)}`);
    if (rule.udp.length) parts.push(`protocol UDP (17) and dstport ${listPorts(rule.udp)}`);
    if (!parts.length) return 'disabled (no ports configured)';
    return `action REJECT and ${parts.join(', or ')} (the destination port: a reply, from a service port to an ephemeral port, does not count)`;
  }
  if (def.id === 'port-scan') {
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
  return st === 1 ? 'network' : st === 2 ? 'security' : null;
}

/** A trigger one record fires, as shown in a hover. */
export interface FiredTrigger {
  readonly id: TriggerId;
  readonly name: string;
  readonly actionable: boolean;
  readonly mitre: MitreMapping | null;
  readonly description: string;
}

function field(rec: FlowRecord, i: number): string {
  return fieldAt(rec.text, null, rec.spans, i);
}

export function flowText(src: string, dst: string, dport: number): string {
  if (dport < 0) return `${src} → ${dst}`;
  return dst.includes(':') ? `${src} → [${dst}]:${dport}` : `${src} → ${dst}:${dport}`;
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

export function rejectedDescription(src: string, dst: string, dport: number, proto: number): string {
  return `${REJECTED.label}: ${flowText(src, dst, dport)}${proto >= 0 ? ` ${protocolLabel(proto)}` : ''}`;
}

export function returnBlockedDescription(
  src: string,
  dst: string,
  sport: number,
  dport: number,
  proto: number,
): string {
  const svc = serviceName(sport, proto);
  const from = src.includes(':') ? `[${src}]:${sport}` : `${src}:${sport}`;
  const to = dst.includes(':') ? `[${dst}]:${dport}` : `${dst}:${dport}`;
  return `${RETURN_BLOCKED.label}: reply ${from}${svc ? ` (${svc})` : ''} → ${to} ${protocolLabel(proto)} (a stateless network ACL without a rule for ephemeral ports?)`;
}

export function mitreDescription(def: TriggerDef, src: string, dst: string, dport: number): string {
  const m = def.mitre as MitreMapping;
  return `${m.technique} ${m.techniqueName} (${m.tactic}): ${def.label} ${flowText(src, dst, dport)}`;
}

/**
 * The triggers one record fires on its own: the port triggers, `mitre-threat` (when a mapped one fired)
 * and `traffic-rejected`. `port-scan` needs the records around it, so it is not included: read it from
 * the summary's hits (by line).
 */
export function recordTriggers(
  rec: FlowRecord,
  config?: AnalysisConfigInput | Partial<AnalysisConfig>,
): FiredTrigger[] {
  const l = layoutOf(rec.format);
  if (statusOf(rec, l) !== 2) return [];
  const cfg = configOf(config);
  const sp = rec.spans;
  const text = rec.text;
  const proto = l.protocol >= 0 ? readUint(text, sp[2 * l.protocol]!, sp[2 * l.protocol + 1]!) : -1;
  let dport = l.dstport >= 0 ? readUint(text, sp[2 * l.dstport]!, sp[2 * l.dstport + 1]!) : -1;
  if (!hasPorts(proto)) dport = -1;
  const sport = l.srcport >= 0 && dport >= 0 ? readUint(text, sp[2 * l.srcport]!, sp[2 * l.srcport + 1]!) : -1;
  const reply = (proto === 6 || proto === 17) && isReply(sport, dport);
  const src = field(rec, l.srcaddr);
  const dst = field(rec, l.dstaddr);
  const out: FiredTrigger[] = [];
  const masks = masksOf(cfg);
  const mask =
    reply || dport < 0 || dport > 65535 ? 0 : proto === 6 ? masks.tcp[dport]! : proto === 17 ? masks.udp[dport]! : 0;
  let mitreDef: TriggerDef | undefined;
  for (const def of PORT_TRIGGERS) {
    if ((mask & BIT[def.id as PortTriggerId]) === 0) continue;
    out.push({ ...pick(def), description: portTriggerDescription(def, src, dst, dport, proto) });
    if (def.mitre && !mitreDef) mitreDef = def;
  }
  if (mitreDef) {
    out.push({
      ...pick(MITRE_THREAT),
      mitre: mitreDef.mitre,
      description: mitreDescription(mitreDef, src, dst, dport),
    });
  }
  out.push({ ...pick(REJECTED), description: rejectedDescription(src, dst, dport, proto) });
  if (reply)
    out.push({ ...pick(RETURN_BLOCKED), description: returnBlockedDescription(src, dst, sport, dport, proto) });
  return out;
}

/**
 * Whether port-scan observes a REJECT record: TCP or UDP, a source, a target, a time and a destination port,
 * and not a reply.
 */
export function scanEligible(
  proto: number,
  hasSrc: boolean,
  hasDst: boolean,
  start: number,
  dport: number,
  reply: boolean,
): boolean {
  return (proto === 6 || proto === 17) && hasSrc && hasDst && start >= 0 && dport >= 0 && !reply;
}

/**
 * The declarations of every trigger `rec` fires, port-scan included when `portScan` (the record fired it in
 * its analysis; port-scan depends on the records around it).
 */
export function firedTriggerIds(rec: FlowRecord, config: AnalysisConfig, portScan: boolean): TriggerDef[] {
  const out = recordTriggers(rec, config).map((t) => DEF(t.id));
  if (portScan) {
    out.push(PORT_SCAN);
    if (!out.includes(MITRE_THREAT)) out.push(MITRE_THREAT);
  }
  return out;
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
