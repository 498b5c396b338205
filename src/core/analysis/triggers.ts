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

/** The ids of the port-based "blocked" triggers, whose port lists the configuration can override. */
export const PORT_TRIGGER_IDS = [
  'ssh-blocked',
  'rdp-blocked',
  'telnet-blocked',
  'smb-blocked',
  'database-blocked',
] as const;
export type PortTriggerId = (typeof PORT_TRIGGER_IDS)[number];

export const TRIGGER_IDS = [
  ...PORT_TRIGGER_IDS,
  'port-scan',
  'mitre-threat',
  'traffic-rejected',
  'nacl-return-blocked',
] as const;
export type TriggerId = (typeof TRIGGER_IDS)[number];

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

export interface TriggerDef {
  readonly id: TriggerId;
  readonly name: string;
  readonly actionable: boolean;
  /** The MITRE mapping, or null. `mitre-threat` carries null here: it reports the mapping of the trigger behind it. */
  readonly mitre: MitreMapping | null;
  /** The rule in words, with the default ports (the configuration may change the ports). */
  readonly rule: string;
  /** Short label used in hit descriptions, e.g. "SSH blocked". */
  readonly label: string;
  /** What usually causes it and what to check, shown in hovers; optional. */
  readonly hint?: string;
}

export const TRIGGERS: readonly TriggerDef[] = Object.freeze([
  {
    id: 'ssh-blocked',
    name: 'AWS VPC: SSH Blocked (tcp/22)',
    actionable: true,
    mitre: MITRE_BRUTE_FORCE,
    rule: 'action REJECT, protocol TCP (6), dstport 22 (a reply from srcport 22 does not count)',
    label: 'SSH blocked',
  },
  {
    id: 'rdp-blocked',
    name: 'AWS VPC: RDP Blocked (3389)',
    actionable: true,
    mitre: MITRE_BRUTE_FORCE,
    rule: 'action REJECT, protocol TCP (6) or UDP (17), dstport 3389',
    label: 'RDP blocked',
  },
  {
    id: 'telnet-blocked',
    name: 'AWS VPC: Telnet Blocked (tcp/23)',
    actionable: true,
    mitre: MITRE_BRUTE_FORCE,
    rule: 'action REJECT, protocol TCP (6), dstport 23',
    label: 'Telnet blocked',
  },
  {
    id: 'smb-blocked',
    name: 'AWS VPC: SMB Blocked (SMB/NetBIOS 445, 137–139; ransomware indicator)',
    actionable: true,
    mitre: null,
    rule: 'action REJECT and either protocol TCP (6) with dstport 445 (SMB) or 139 (NetBIOS session), or protocol UDP (17) with dstport 137 (NetBIOS name) or 138 (NetBIOS datagram)',
    label: 'SMB blocked',
  },
  {
    id: 'database-blocked',
    name: 'AWS VPC: Database Access Blocked (MSSQL 1433/1434, Oracle 1521, MySQL 3306, PostgreSQL 5432, Redis 6379, MongoDB 27017–27019, Elasticsearch 9200/9300, Cassandra 9042, CouchDB 5984, Memcached 11211, and more)',
    actionable: true,
    mitre: null,
    rule: 'action REJECT, protocol TCP (6), dstport one of the database ports (MSSQL 1433/1434, Oracle 1521/1522/1526/2483/2484, MySQL/MariaDB 3306/3307, PostgreSQL 5432/5433, Redis 6379/6380, MongoDB 27017–27019, Elasticsearch 9200/9300, Cassandra 9042/9160, CouchDB 5984, Memcached 11211, ArangoDB 8529, InfluxDB 8086, Neo4j 7474/7687, CockroachDB 26257, RethinkDB 28015, Firebird 3050); replies do not count. Ports in the ephemeral range (32768–65535, e.g. Db2 50000) are not watched by default',
    label: 'Database access blocked',
  },
  {
    id: 'port-scan',
    name: 'AWS VPC: Port Scan Detected (one source reaching at least N distinct destination ports on one host, or one port on at least M hosts, within a window; defaults documented)',
    actionable: true,
    mitre: MITRE_NETWORK_SERVICE_DISCOVERY,
    rule: 'REJECT flows over TCP (6) or UDP (17), replies (from a service port to an ephemeral port) skipped. Vertical: one srcaddr reaching at least 15 distinct dstports on one dstaddr; horizontal: one srcaddr reaching one dstport on at least 20 distinct dstaddrs; both within 300 seconds of flow start time. Fires once per source/target per window, on the record that reaches the threshold',
    label: 'Port scan',
  },
  {
    id: 'mitre-threat',
    name: 'AWS VPC: MITRE ATT&CK Threat Detected (any record that fires a MITRE-mapped trigger)',
    actionable: true,
    mitre: null,
    rule: 'any record that fires ssh-blocked, rdp-blocked or telnet-blocked (T1110 Brute Force, Credential Access) or port-scan (T1046 Network Service Discovery, Discovery)',
    label: 'MITRE ATT&CK threat',
  },
  {
    id: 'traffic-rejected',
    name: 'AWS VPC: Traffic Rejected (any REJECT)',
    actionable: false,
    mitre: null,
    rule: 'action REJECT (any protocol, any port)',
    label: 'Traffic rejected',
  },
  {
    id: 'nacl-return-blocked',
    name: 'AWS VPC: Return Traffic Blocked (stateless NACL?)',
    actionable: false,
    mitre: null,
    rule: 'action REJECT, protocol TCP (6) or UDP (17), from a service port (below 1024, or a well-known service port below 32768) to an ephemeral port (32768–65535, or 1024 and up with no well-known service): the reply half of a connection, not an attempt',
    label: 'Return traffic blocked',
    hint: "A rejected reply usually means a network ACL (stateless: it does not remember the request) has no rule allowing the return traffic to the client's ephemeral ports (1024–65535); security groups are stateful and never block replies. Check the NACLs of both subnets for the ephemeral range.",
  },
] satisfies TriggerDef[]);

const BY_ID = new Map<string, TriggerDef>(TRIGGERS.map((t) => [t.id, t]));

/** The trigger with this id, or undefined. */
export function triggerDef(id: string): TriggerDef | undefined {
  return BY_ID.get(id);
}

/** "T1110 Brute Force, Credential Access" */
export function mitreText(m: MitreMapping): string {
  return `${m.technique} ${m.techniqueName}, ${m.tactic}`;
}
