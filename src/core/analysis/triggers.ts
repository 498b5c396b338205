// The security triggers: stable ids, names, actionable flags, MITRE ATT&CK mappings and the documented rules.
// PURE: no vscode, no DOM, no Node built-ins.
//
// "Blocked" always means: action REJECT and the DESTINATION port is the service port. A rejected reply
// that comes FROM port 22 (srcport 22) is not an SSH attempt and fires nothing but traffic-rejected.
//
// Protocol rules (decided here, documented in each trigger's `rule`):
// - SSH and Telnet are TCP services: TCP (6) only.
// - RDP listens on TCP and UDP 3389 (RDP 8+ UDP transport): TCP (6) or UDP (17).
// - SMB/NetBIOS: SMB over TCP 445, NetBIOS session TCP 139, NetBIOS name UDP 137, datagram UDP 138.
// - Databases: TCP (6) only (a UDP packet to 3306 is not a database connection attempt).
// - Replies (src/core/ports.ts isReply: from a service port to an ephemeral port) are never attempts: no
//   port trigger and no port scan counts them; nacl-return-blocked counts the rejected ones.
// - Port scan: REJECT flows over TCP or UDP only; replies skipped.

export interface MitreMapping {
  /** e.g. "T1110" */
  readonly technique: string;
  /** e.g. "Brute Force" */
  readonly techniqueName: string;
  /** e.g. "Credential Access" */
  readonly tactic: string;
  /** e.g. "TA0006" */
  readonly tacticId: string;
}

export const MITRE_BRUTE_FORCE: MitreMapping = Object.freeze({
  technique: 'T1110',
  techniqueName: 'Brute Force',
  tactic: 'Credential Access',
  tacticId: 'TA0006',
});

export const MITRE_NETWORK_SERVICE_DISCOVERY: MitreMapping = Object.freeze({
  technique: 'T1046',
  techniqueName: 'Network Service Discovery',
  tactic: 'Discovery',
  tacticId: 'TA0007',
});

/**
 * A trigger's rule as data (printable as SQL): the record's action, the protocols (IANA numbers; absent: any),
 * whether the destination ports come from the configuration (AnalysisConfig.ports[id]: a TCP list for protocol
 * 6 and a UDP list for 17), and how replies (src/core/ports.ts isReply: from a service port to an ephemeral
 * port, TCP or UDP) count.
 */
export interface TriggerRule {
  readonly action: 'REJECT';
  readonly protocols?: readonly number[];
  readonly ports?: 'configured';
  /** `exclude`: a reply is never an attempt (the default); `include`: any record; `only`: replies only. */
  readonly replies: 'exclude' | 'include' | 'only';
}

export interface TriggerFlags {
  /** Fires on state built from the records around (port-scan): the evaluator is told, per record, whether it fired. */
  readonly needsState?: boolean;
  /** Fires when a MITRE-mapped trigger fired on the record (mitre-threat); reports the mapping behind it. */
  readonly derived?: boolean;
}

export interface TriggerDef {
  readonly id: string;
  readonly name: string;
  /** Short label used in hit descriptions, e.g. "SSH blocked". */
  readonly label: string;
  readonly actionable: boolean;
  /** The MITRE mapping, or null. A derived trigger carries null here: it reports the mapping of the trigger behind it. */
  readonly mitre: MitreMapping | null;
  /** The rule as data. */
  readonly when: TriggerRule;
  readonly flags: TriggerFlags;
  /** The rule in words, with the default ports (the configuration may change the ports). */
  readonly rule: string;
  /** What usually causes it and what to check, shown in hovers; optional. */
  readonly hint?: string;
}

const DECLARATIONS = [
  {
    id: 'ssh-blocked',
    name: 'AWS VPC: SSH Blocked (tcp/22)',
    actionable: true,
    mitre: MITRE_BRUTE_FORCE,
    rule: 'action REJECT, protocol TCP (6), dstport 22 (a reply from srcport 22 does not count)',
    label: 'SSH blocked',
    when: { action: 'REJECT', ports: 'configured', replies: 'exclude' },
    flags: {},
  },
  {
    id: 'rdp-blocked',
    name: 'AWS VPC: RDP Blocked (3389)',
    actionable: true,
    mitre: MITRE_BRUTE_FORCE,
    rule: 'action REJECT, protocol TCP (6) or UDP (17), dstport 3389',
    label: 'RDP blocked',
    when: { action: 'REJECT', ports: 'configured', replies: 'exclude' },
    flags: {},
  },
  {
    id: 'telnet-blocked',
    name: 'AWS VPC: Telnet Blocked (tcp/23)',
    actionable: true,
    mitre: MITRE_BRUTE_FORCE,
    rule: 'action REJECT, protocol TCP (6), dstport 23',
    label: 'Telnet blocked',
    when: { action: 'REJECT', ports: 'configured', replies: 'exclude' },
    flags: {},
  },
  {
    id: 'smb-blocked',
    name: 'AWS VPC: SMB Blocked (SMB/NetBIOS 445, 137–139; ransomware indicator)',
    actionable: true,
    mitre: null,
    rule: 'action REJECT and either protocol TCP (6) with dstport 445 (SMB) or 139 (NetBIOS session), or protocol UDP (17) with dstport 137 (NetBIOS name) or 138 (NetBIOS datagram)',
    label: 'SMB blocked',
    when: { action: 'REJECT', ports: 'configured', replies: 'exclude' },
    flags: {},
  },
  {
    id: 'database-blocked',
    name: 'AWS VPC: Database Access Blocked (MSSQL 1433/1434, Oracle 1521, MySQL 3306, PostgreSQL 5432, Redis 6379, MongoDB 27017–27019, Elasticsearch 9200/9300, Cassandra 9042, CouchDB 5984, Memcached 11211, and more)',
    actionable: true,
    mitre: null,
    rule: 'action REJECT, protocol TCP (6), dstport one of the database ports (MSSQL 1433/1434, Oracle 1521/1522/1526/2483/2484, MySQL/MariaDB 3306/3307, PostgreSQL 5432/5433, Redis 6379/6380, MongoDB 27017–27019, Elasticsearch 9200/9300, Cassandra 9042/9160, CouchDB 5984, Memcached 11211, ArangoDB 8529, InfluxDB 8086, Neo4j 7474/7687, CockroachDB 26257, RethinkDB 28015, Firebird 3050); replies do not count. Ports in the ephemeral range (32768–65535, e.g. Db2 50000) are not watched by default',
    label: 'Database access blocked',
    when: { action: 'REJECT', ports: 'configured', replies: 'exclude' },
    flags: {},
  },
  {
    id: 'port-scan',
    name: 'AWS VPC: Port Scan Detected (one source reaching at least N distinct destination ports on one host, or one port on at least M hosts, within a window; defaults documented)',
    actionable: true,
    mitre: MITRE_NETWORK_SERVICE_DISCOVERY,
    rule: 'REJECT flows over TCP (6) or UDP (17), replies (from a service port to an ephemeral port) skipped. Vertical: one srcaddr reaching at least 15 distinct dstports on one dstaddr; horizontal: one srcaddr reaching one dstport on at least 20 distinct dstaddrs; both within 300 seconds of flow start time. Fires once per source/target per window, on the record that reaches the threshold',
    label: 'Port scan',
    when: { action: 'REJECT', protocols: [6, 17], replies: 'exclude' },
    flags: { needsState: true },
  },
  {
    id: 'mitre-threat',
    name: 'AWS VPC: MITRE ATT&CK Threat Detected (any record that fires a MITRE-mapped trigger)',
    actionable: true,
    mitre: null,
    rule: 'any record that fires ssh-blocked, rdp-blocked or telnet-blocked (T1110 Brute Force, Credential Access) or port-scan (T1046 Network Service Discovery, Discovery)',
    label: 'MITRE ATT&CK threat',
    when: { action: 'REJECT', replies: 'include' },
    flags: { derived: true },
  },
  {
    id: 'traffic-rejected',
    name: 'AWS VPC: Traffic Rejected (any REJECT)',
    actionable: false,
    mitre: null,
    rule: 'action REJECT (any protocol, any port)',
    label: 'Traffic rejected',
    when: { action: 'REJECT', replies: 'include' },
    flags: {},
  },
  {
    id: 'nacl-return-blocked',
    name: 'AWS VPC: Return Traffic Blocked (stateless NACL?)',
    actionable: false,
    mitre: null,
    rule: 'action REJECT, protocol TCP (6) or UDP (17), from a service port (below 1024, or a well-known service port below 32768) to an ephemeral port (32768–65535, or 1024 and up with no well-known service): the reply half of a connection, not an attempt',
    label: 'Return traffic blocked',
    when: { action: 'REJECT', protocols: [6, 17], replies: 'only' },
    flags: {},
    hint: "A rejected reply usually means a network ACL (stateless: it does not remember the request) has no rule allowing the return traffic to the client's ephemeral ports (1024–65535); security groups are stateful and never block replies. Check the NACLs of both subnets for the ephemeral range.",
  },
] as const satisfies readonly TriggerDef[];

/** Every trigger, in report order. */
export const TRIGGERS: readonly TriggerDef[] = Object.freeze(DECLARATIONS);

export type TriggerId = (typeof DECLARATIONS)[number]['id'];
/** The triggers whose destination ports the configuration sets (AnalysisConfig.ports). */
export type PortTriggerId = Extract<
  (typeof DECLARATIONS)[number],
  { readonly when: { readonly ports: 'configured' } }
>['id'];

/** The port triggers, in declaration order. */
export const PORT_TRIGGERS: readonly TriggerDef[] = TRIGGERS.filter((t) => t.when.ports === 'configured');
/** Their ids (the keys of AnalysisConfig.ports). */
export const PORT_TRIGGER_IDS = PORT_TRIGGERS.map((t) => t.id) as readonly PortTriggerId[];

const BY_ID = new Map<string, TriggerDef>(TRIGGERS.map((t) => [t.id, t]));

/**
 * A set of triggers as bits (bit i: TRIGGERS[i]), for per-line storage. The one place that limits the number of
 * triggers: 32 (the width of the mask arrays).
 */
export type TriggerMasks = Uint32Array;
if (TRIGGERS.length > 32) throw new Error('more than 32 triggers: widen TriggerMasks');

/** A per-line trigger mask array for lines 0 … n-1. */
export function triggerMasks(n: number): TriggerMasks {
  return new Uint32Array(n);
}

/** The bit of a trigger in a TriggerMasks value (0 for an unknown id). */
export function triggerBit(id: string): number {
  const i = TRIGGERS.findIndex((t) => t.id === id);
  return i < 0 ? 0 : 1 << i;
}

/** The triggers whose bits are set in `mask`, in declaration order. */
export function triggersInMask(mask: number): TriggerDef[] {
  return TRIGGERS.filter((_t, i) => (mask & (1 << i)) !== 0);
}

/** The trigger with this id, or undefined. */
export function triggerDef(id: string): TriggerDef | undefined {
  return BY_ID.get(id);
}

/** "T1110 Brute Force, Credential Access" */
export function mitreText(m: MitreMapping): string {
  return `${m.technique} ${m.techniqueName}, ${m.tactic}`;
}
