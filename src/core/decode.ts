// Decoders: protocol numbers, TCP flags, times, ports, traffic paths, address classes, and the one-line
// decoded text a hover shows for any field value. PURE.
import { bytesText, IEC_BYTES, isoSeconds } from '../shared/display';
import { fieldDef } from './fields';
import { isIPv4, isIPv6 } from './validate';

// ------------------------------------------------------------------------------------------ protocols

/** IANA "Assigned Internet Protocol Numbers" keywords, 0..146 (147–252 unassigned, 253–254 experimentation, 255 reserved). */
const PROTOCOLS: readonly string[] = [
  'HOPOPT', 'ICMP', 'IGMP', 'GGP', 'IPv4', 'ST', 'TCP', 'CBT', 'EGP', 'IGP', // 0-9
  'BBN-RCC-MON', 'NVP-II', 'PUP', 'ARGUS', 'EMCON', 'XNET', 'CHAOS', 'UDP', 'MUX', 'DCN-MEAS', // 10-19
  'HMP', 'PRM', 'XNS-IDP', 'TRUNK-1', 'TRUNK-2', 'LEAF-1', 'LEAF-2', 'RDP', 'IRTP', 'ISO-TP4', // 20-29
  'NETBLT', 'MFE-NSP', 'MERIT-INP', 'DCCP', '3PC', 'IDPR', 'XTP', 'DDP', 'IDPR-CMTP', 'TP++', // 30-39
  'IL', 'IPv6', 'SDRP', 'IPv6-Route', 'IPv6-Frag', 'IDRP', 'RSVP', 'GRE', 'DSR', 'BNA', // 40-49
  'ESP', 'AH', 'I-NLSP', 'SWIPE', 'NARP', 'Min-IPv4', 'TLSP', 'SKIP', 'IPv6-ICMP', 'IPv6-NoNxt', // 50-59
  'IPv6-Opts', 'any host internal protocol', 'CFTP', 'any local network', 'SAT-EXPAK', 'KRYPTOLAN', 'RVD', 'IPPC', 'any distributed file system', 'SAT-MON', // 60-69
  'VISA', 'IPCV', 'CPNX', 'CPHB', 'WSN', 'PVP', 'BR-SAT-MON', 'SUN-ND', 'WB-MON', 'WB-EXPAK', // 70-79
  'ISO-IP', 'VMTP', 'SECURE-VMTP', 'VINES', 'IPTM', 'NSFNET-IGP', 'DGP', 'TCF', 'EIGRP', 'OSPFIGP', // 80-89
  'Sprite-RPC', 'LARP', 'MTP', 'AX.25', 'IPIP', 'MICP', 'SCC-SP', 'ETHERIP', 'ENCAP', 'any private encryption scheme', // 90-99
  'GMTP', 'IFMP', 'PNNI', 'PIM', 'ARIS', 'SCPS', 'QNX', 'A/N', 'IPComp', 'SNP', // 100-109
  'Compaq-Peer', 'IPX-in-IP', 'VRRP', 'PGM', 'any 0-hop protocol', 'L2TP', 'DDX', 'IATP', 'STP', 'SRP', // 110-119
  'UTI', 'SMP', 'SM', 'PTP', 'ISIS over IPv4', 'FIRE', 'CRTP', 'CRUDP', 'SSCOPMCE', 'IPLT', // 120-129
  'SPS', 'PIPE', 'SCTP', 'FC', 'RSVP-E2E-IGNORE', 'Mobility Header', 'UDPLite', 'MPLS-in-IP', 'manet', 'HIP', // 130-139
  'Shim6', 'WESP', 'ROHC', 'Ethernet', 'AGGFRAG', 'NSH', 'Homa', // 140-146
]; // prettier-ignore

/** IANA name of an IP protocol number: "TCP", "Unassigned (200)", "Experimentation (253)", "Reserved (255)". */
export function protocolName(n: number | string): string {
  const v = typeof n === 'string' ? Number(n) : n;
  if (!Number.isInteger(v) || v < 0 || v > 255) return `invalid protocol (${String(n)})`;
  if (v < PROTOCOLS.length) return PROTOCOLS[v]!;
  if (v <= 252) return `Unassigned (${v})`;
  if (v <= 254) return `Experimentation and testing (${v})`;
  return `Reserved (${v})`;
}

// ------------------------------------------------------------------------------------------ TCP flags

const FLAG_BITS: readonly [number, string][] = [
  [2, 'SYN'],
  [16, 'ACK'],
  [1, 'FIN'],
  [4, 'RST'],
  [8, 'PSH'],
  [32, 'URG'],
];

/** Names of the TCP flags set in a tcp-flags bitmask, e.g. 19 -> ['SYN', 'ACK', 'FIN']; 0 -> []. */
export function tcpFlagNames(n: number | string): string[] {
  const v = typeof n === 'string' ? Number(n) : n;
  if (!Number.isInteger(v) || v < 0) return [];
  const out: string[] = [];
  for (const [bit, name] of FLAG_BITS) if (v & bit) out.push(name);
  return out;
}

/** Human label of a tcp-flags value: 18 -> "SYN-ACK", 19 -> "SYN-ACK, FIN", 3 -> "SYN, FIN", 0 -> "none". */
export function tcpFlagsLabel(n: number | string): string {
  const v = typeof n === 'string' ? Number(n) : n;
  if (!Number.isInteger(v) || v < 0 || v > 255) return `invalid (${String(n)})`;
  const names = tcpFlagNames(v);
  if (names.length === 0) return 'none';
  if (names[0] === 'SYN' && names[1] === 'ACK') return ['SYN-ACK', ...names.slice(2)].join(', ');
  return names.join(', ');
}

// ------------------------------------------------------------------------------------------ time

/** Unix seconds (or milliseconds, told apart by size) -> seconds. */
export function toEpochSeconds(epoch: number | string): number | undefined {
  const v = typeof epoch === 'string' ? (epoch.trim() === '' ? NaN : Number(epoch)) : epoch;
  if (!Number.isFinite(v) || v < 0) return undefined;
  return v > 99_999_999_999 ? Math.floor(v / 1000) : v;
}

/** ISO-8601 UTC of a Unix time in seconds or milliseconds: "2014-12-14T04:06:50Z"; '' when not a time. */
export function isoTime(epoch: number | string): string {
  const s = toEpochSeconds(epoch);
  if (s === undefined || s > 253_402_300_799) return '';
  return isoSeconds(s);
}

/** "60 s", "3 min", "1 h 5 min" for a duration in seconds. */
export function durationText(seconds: number): string {
  if (!Number.isFinite(seconds)) return '';
  const neg = seconds < 0;
  let s = Math.round(Math.abs(seconds));
  let out: string;
  if (s < 120) out = `${s} s`;
  else if (s < 7200) {
    const m = Math.floor(s / 60);
    s -= m * 60;
    out = s ? `${m} min ${s} s` : `${m} min`;
  } else {
    const h = Math.floor(s / 3600);
    const m = Math.round((s - h * 3600) / 60);
    out = m ? `${h} h ${m} min` : `${h} h`;
  }
  return neg ? `-${out}` : out;
}

/** Duration between start and end (seconds or milliseconds each). */
export function flowDuration(start: number | string, end: number | string): number | undefined {
  const a = toEpochSeconds(start);
  const b = toEpochSeconds(end);
  return a === undefined || b === undefined ? undefined : b - a;
}

// ------------------------------------------------------------------------------------------ ports

const TCP_UDP = 0;
const TCP = 6;
const UDP = 17;

/** Well-known and common service ports (IANA service names where IANA has one). [port, name, protocol (0 = both)]. */
const SERVICES: readonly [number, string, number][] = [
  [7, 'echo', TCP_UDP],
  [20, 'ftp-data', TCP],
  [21, 'ftp', TCP],
  [22, 'ssh', TCP_UDP],
  [23, 'telnet', TCP],
  [25, 'smtp', TCP],
  [37, 'time', TCP_UDP],
  [43, 'whois', TCP],
  [49, 'tacacs', TCP_UDP],
  [53, 'domain', TCP_UDP],
  [67, 'bootps', UDP],
  [68, 'bootpc', UDP],
  [69, 'tftp', UDP],
  [79, 'finger', TCP],
  [80, 'http', TCP_UDP],
  [88, 'kerberos', TCP_UDP],
  [110, 'pop3', TCP],
  [111, 'sunrpc', TCP_UDP],
  [113, 'auth', TCP],
  [119, 'nntp', TCP],
  [123, 'ntp', UDP],
  [135, 'epmap', TCP_UDP],
  [137, 'netbios-ns', TCP_UDP],
  [138, 'netbios-dgm', TCP_UDP],
  [139, 'netbios-ssn', TCP_UDP],
  [143, 'imap', TCP],
  [161, 'snmp', TCP_UDP],
  [162, 'snmptrap', TCP_UDP],
  [179, 'bgp', TCP],
  [389, 'ldap', TCP_UDP],
  [427, 'svrloc', TCP_UDP],
  [443, 'https', TCP_UDP],
  [445, 'microsoft-ds', TCP],
  [464, 'kpasswd', TCP_UDP],
  [465, 'submissions', TCP],
  [500, 'isakmp', UDP],
  [502, 'modbus', TCP],
  [512, 'exec', TCP],
  [513, 'login', TCP],
  [514, 'shell', TCP],
  [514, 'syslog', UDP],
  [515, 'printer', TCP],
  [520, 'rip', UDP],
  [548, 'afp', TCP],
  [554, 'rtsp', TCP_UDP],
  [587, 'submission', TCP],
  [593, 'http-rpc-epmap', TCP],
  [623, 'asf-rmcp', UDP],
  [631, 'ipp', TCP],
  [636, 'ldaps', TCP],
  [853, 'domain-s', TCP_UDP],
  [873, 'rsync', TCP],
  [902, 'vmware-auth', TCP],
  [989, 'ftps-data', TCP],
  [990, 'ftps', TCP],
  [993, 'imaps', TCP],
  [995, 'pop3s', TCP],
  [1080, 'socks', TCP],
  [1194, 'openvpn', TCP_UDP],
  [1433, 'ms-sql-s', TCP],
  [1434, 'ms-sql-m', UDP],
  [1521, 'oracle', TCP],
  [1522, 'oracle', TCP],
  [1526, 'oracle', TCP],
  [1701, 'l2tp', UDP],
  [1723, 'pptp', TCP],
  [1812, 'radius', UDP],
  [1813, 'radius-acct', UDP],
  [1883, 'mqtt', TCP],
  [1900, 'ssdp', UDP],
  [2049, 'nfs', TCP_UDP],
  [2181, 'zookeeper', TCP],
  [2375, 'docker', TCP],
  [2483, 'oracle (TCP listener)', TCP],
  [2484, 'oracle (TCPS listener)', TCP],
  [2376, 'docker-s', TCP],
  [2379, 'etcd-client', TCP],
  [2380, 'etcd-server', TCP],
  [3000, 'http-alt (dev servers, Grafana)', TCP],
  [3050, 'firebird', TCP],
  [3128, 'squid-http', TCP],
  [3268, 'msft-gc', TCP],
  [3269, 'msft-gc-ssl', TCP],
  [3306, 'mysql', TCP],
  [3307, 'mysql (alt)', TCP],
  [3389, 'ms-wbt-server (RDP)', TCP_UDP],
  [3478, 'stun', TCP_UDP],
  [4369, 'epmd', TCP],
  [4500, 'ipsec-nat-t', UDP],
  [4789, 'vxlan', UDP],
  [5000, 'http-alt', TCP],
  [5044, 'beats', TCP],
  [5060, 'sip', TCP_UDP],
  [5061, 'sips', TCP],
  [5353, 'mdns', UDP],
  [5432, 'postgresql', TCP],
  [5433, 'postgresql (alt)', TCP],
  [5439, 'redshift', TCP],
  [5601, 'kibana', TCP],
  [5671, 'amqps', TCP],
  [5672, 'amqp', TCP],
  [5900, 'vnc', TCP],
  [5901, 'vnc-1', TCP],
  [5984, 'couchdb', TCP],
  [5985, 'wsman (WinRM)', TCP],
  [5986, 'wsmans (WinRM)', TCP],
  [6081, 'geneve', UDP],
  [6379, 'redis', TCP],
  [6380, 'redis (TLS)', TCP],
  [6443, 'kubernetes-api', TCP],
  [6514, 'syslog-tls', TCP],
  [6660, 'irc', TCP],
  [6667, 'irc', TCP],
  [7000, 'cassandra (intra-node)', TCP],
  [7001, 'cassandra (TLS intra-node)', TCP],
  [7474, 'neo4j (HTTP)', TCP],
  [7687, 'neo4j (Bolt)', TCP],
  [8000, 'http-alt', TCP],
  [8008, 'http-alt', TCP],
  [8080, 'http-alt', TCP],
  [8081, 'http-alt', TCP],
  [8086, 'influxdb', TCP],
  [8088, 'http-alt', TCP],
  [8182, 'neptune (gremlin)', TCP],
  [8443, 'https-alt', TCP],
  [8500, 'consul', TCP],
  [8529, 'arangodb', TCP],
  [8888, 'http-alt', TCP],
  [9000, 'http-alt', TCP],
  [9042, 'cassandra (CQL)', TCP],
  [9090, 'prometheus', TCP],
  [9092, 'kafka', TCP],
  [9093, 'alertmanager', TCP],
  [9100, 'jetdirect / node-exporter', TCP],
  [9160, 'cassandra (thrift)', TCP],
  [9200, 'elasticsearch', TCP],
  [9300, 'elasticsearch (transport)', TCP],
  [9418, 'git', TCP],
  [9443, 'https-alt', TCP],
  [10250, 'kubelet', TCP],
  [11211, 'memcached', TCP_UDP],
  [15672, 'rabbitmq-management', TCP],
  [25565, 'minecraft', TCP],
  [26257, 'cockroachdb', TCP],
  [27017, 'mongodb', TCP],
  [27018, 'mongodb (shard)', TCP],
  [27019, 'mongodb (config)', TCP],
  [28015, 'rethinkdb', TCP],
  [50000, 'db2', TCP],
];

const BY_PORT = new Map<number, [string, number][]>();
for (const [port, name, proto] of SERVICES) {
  const list = BY_PORT.get(port) ?? [];
  list.push([name, proto]);
  BY_PORT.set(port, list);
}

/** Service name of a well-known port (protocol number narrows tcp/udp-only entries), or undefined. */
export function serviceName(port: number | string, protocol?: number | string): string | undefined {
  const p = typeof port === 'string' ? Number(port) : port;
  const list = BY_PORT.get(p);
  if (!list) return undefined;
  const proto = protocol === undefined ? undefined : Number(protocol);
  if (proto === TCP || proto === UDP) {
    const exact = list.find(([, pr]) => pr === proto) ?? list.find(([, pr]) => pr === TCP_UDP);
    if (exact) return exact[0];
    return undefined;
  }
  return list[0]![0];
}

/** Ports 0-1023 are system ports, 1024-49151 registered, 49152-65535 dynamic (ephemeral). */
export function portRange(port: number): 'system' | 'registered' | 'dynamic' | 'invalid' {
  if (!Number.isInteger(port) || port < 0 || port > 65535) return 'invalid';
  return port < 1024 ? 'system' : port < 49152 ? 'registered' : 'dynamic';
}

// ------------------------------------------------------------------------------------------ traffic path, encryption

const TRAFFIC_PATHS: Record<number, string> = {
  1: 'Through another resource in the same VPC (including resources that create a network interface in the VPC)',
  2: 'Through an internet gateway or a gateway VPC endpoint',
  3: 'Through a virtual private gateway',
  4: 'Through an intra-region VPC peering connection',
  5: 'Through an inter-region VPC peering connection',
  6: 'Through a local gateway',
  7: 'Through a gateway VPC endpoint (Nitro-based instances only)',
  8: 'Through an internet gateway (Nitro-based instances only)',
};

/** Meaning of a traffic-path value (1..8), or undefined for others. */
export function trafficPathMeaning(v: number | string): string | undefined {
  return TRAFFIC_PATHS[typeof v === 'string' ? Number(v) : v];
}

const ENCRYPTION: Record<number, string> = {
  0: 'not encrypted',
  1: 'encrypted by the Nitro hardware (VPC Encryption Controls)',
  2: 'encrypted by the application (e.g. TLS on 443 to an AWS service endpoint)',
  3: 'encrypted by both the Nitro hardware and the application',
};

// ------------------------------------------------------------------------------------------ IP classes

export type IpClass = 'private' | 'public' | 'loopback' | 'link-local' | 'multicast' | 'unspecified' | 'invalid';

function v4Octets(ip: string): number[] | undefined {
  if (!isIPv4(ip, 0, ip.length)) return undefined;
  return ip.split('.').map(Number);
}

/**
 * Address class of an IPv4 or IPv6 address. `private` covers RFC 1918 (10/8, 172.16/12, 192.168/16), the
 * carrier-grade NAT range 100.64/10 (shared address space, private-ish: never routed on the internet) and IPv6
 * unique-local fc00::/7. IPv4-mapped IPv6 (::ffff:a.b.c.d) is classed as its IPv4 address.
 */
export function ipClass(ip: string): IpClass {
  const o = v4Octets(ip);
  if (o) {
    const [a, b] = [o[0]!, o[1]!];
    if (o.every((x) => x === 0)) return 'unspecified';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127))
      return 'private';
    if (a === 127) return 'loopback';
    if (a === 169 && b === 254) return 'link-local';
    if (a >= 224 && a <= 239) return 'multicast';
    return 'public';
  }
  if (!isIPv6(ip, 0, ip.length)) return 'invalid';
  const lower = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return ipClass(mapped[1]!);
  const groups = expandV6(lower);
  if (!groups) return 'invalid';
  if (groups.every((g) => g === 0)) return 'unspecified';
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return 'loopback';
  const g0 = groups[0]!;
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  if ((g0 & 0xfe00) === 0xfc00) return 'private';
  return 'public';
}

function expandV6(ip: string): number[] | undefined {
  let s = ip;
  if (s.includes('.')) {
    const c = s.lastIndexOf(':');
    const o = v4Octets(s.slice(c + 1));
    if (!o) return undefined;
    s = s.slice(0, c + 1) + ((o[0]! << 8) | o[1]!).toString(16) + ':' + ((o[2]! << 8) | o[3]!).toString(16);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] =>
    h === '' ? [] : h.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  if (fill < 0) return undefined;
  const out = [...head, ...new Array<number>(fill).fill(0), ...rest];
  return out.length === 8 && out.every((g) => Number.isInteger(g)) ? out : undefined;
}

// ------------------------------------------------------------------------------------------ Regions

const REGIONS: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'af-south-1': 'Africa (Cape Town)',
  'ap-east-1': 'Asia Pacific (Hong Kong)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'ap-south-2': 'Asia Pacific (Hyderabad)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ap-southeast-3': 'Asia Pacific (Jakarta)',
  'ap-southeast-4': 'Asia Pacific (Melbourne)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ca-central-1': 'Canada (Central)',
  'ca-west-1': 'Canada West (Calgary)',
  'eu-central-1': 'Europe (Frankfurt)',
  'eu-central-2': 'Europe (Zurich)',
  'eu-west-1': 'Europe (Ireland)',
  'eu-west-2': 'Europe (London)',
  'eu-west-3': 'Europe (Paris)',
  'eu-south-1': 'Europe (Milan)',
  'eu-south-2': 'Europe (Spain)',
  'eu-north-1': 'Europe (Stockholm)',
  'il-central-1': 'Israel (Tel Aviv)',
  'me-south-1': 'Middle East (Bahrain)',
  'me-central-1': 'Middle East (UAE)',
  'sa-east-1': 'South America (São Paulo)',
  'us-gov-east-1': 'AWS GovCloud (US-East)',
  'us-gov-west-1': 'AWS GovCloud (US-West)',
  'cn-north-1': 'China (Beijing)',
  'cn-northwest-1': 'China (Ningxia)',
};

/** Display name of a Region code, or undefined. */
export function regionName(code: string): string | undefined {
  return REGIONS[code];
}

// ------------------------------------------------------------------------------------------ hover text

/**
 * The decoded one-liner for a field value, e.g. protocol '6' -> "TCP (IANA protocol 6)", tcp-flags '18' ->
 * "SYN-ACK (0x12)", start '1418530010' -> "2014-12-14T04:06:50Z (Unix seconds)": the decoding the field's
 * catalogue entry names (fields.ts). Plain text (callers escape it).
 */
export function describeValue(fieldName: string, raw: string): string {
  if (raw === '-') return 'absent: not applicable or not computed for this record';
  const def = fieldDef(fieldName);
  if (def === undefined) return `unknown field ${fieldName}`;
  const n = /^[0-9]+$/.test(raw) ? Number(raw) : NaN;
  const d = def.decode;
  switch (d.by) {
    case 'versionNumber':
      return Number.isNaN(n) ? `not a version number` : `flow-log version ${n}${n === 6 ? ' (Transit Gateway)' : ''}`;
    case 'accountId':
      return raw === 'unknown'
        ? 'unknown: the interface belongs to an AWS service (e.g. a VPC endpoint or load balancer)'
        : `AWS account ${raw}`;
    case 'protocolName':
      return Number.isNaN(n) || n > 255 ? 'not a protocol number' : `${protocolName(n)} (IANA protocol ${n})`;
    case 'portService': {
      if (Number.isNaN(n) || n > 65535) return 'not a port';
      const svc = serviceName(n);
      return `port ${n}${svc ? `: ${svc}` : ''} (${portRange(n)} range)`;
    }
    case 'flagNames':
      return Number.isNaN(n) || n > 255 ? 'not a TCP flag bitmask' : `${tcpFlagsLabel(n)} (0x${n.toString(16)})`;
    case 'unixTime': {
      const iso = isoTime(raw);
      if (!iso || Number.isNaN(n)) return 'not a Unix time';
      return `${iso} (${n > 99_999_999_999 ? 'Unix milliseconds' : 'Unix seconds'})`;
    }
    case 'addressClass': {
      const cls = ipClass(raw);
      if (cls === 'invalid') return 'not an IP address';
      return `${cls} ${raw.includes(':') ? 'IPv6' : 'IPv4'} address`;
    }
    case 'packetCount':
      return Number.isNaN(n) ? 'not a count' : `${n.toLocaleString('en-US')} packets`;
    case 'byteCount':
      return Number.isNaN(n) ? 'not a count' : `${n.toLocaleString('en-US')} bytes (${humanBytes(n)})`;
    case 'meanings':
      return Object.hasOwn(d.meanings, raw) ? d.meanings[raw]! : d.otherwise.replace('{}', () => raw);
    case 'pathMeaning':
      return trafficPathMeaning(raw) ?? `unknown traffic path '${raw}'`;
    case 'encryptionMeaning':
      return ENCRYPTION[n] ?? `unknown encryption status '${raw}'`;
    case 'regionName':
      return regionName(raw) ? `${regionName(raw)} (${raw})` : `AWS Region ${raw}`;
    case 'azId':
      return `Availability Zone ID ${raw} (the same physical zone in every account)`;
    case 'awsService':
      return `address range published for the AWS service ${raw}`;
    case 'description':
      return def.description;
  }
}

/** "4.1 KiB" style size. */
export function humanBytes(n: number): string {
  return bytesText(n, IEC_BYTES);
}
