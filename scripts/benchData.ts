// Generates the bench inputs into bench-data/ (git-ignored): 1,000,000 default-format lines and the same
// records in the 29-field alphabetical layout, plus a second default-format profile with a realistic mix.
// Deterministic (seeded), cached between runs.
//
// The first profile ("uniform") draws every address at random: about 200,000 distinct blocked sources and
// nearly every flow a new conversation, so every top-N table and scan tracker runs past its cap (the worst
// case for the analysis). The "realistic" profile has what real VPC flow logs show: many flows per talker
// (a few hundred instances, a few thousand internet clients with a heavy head, AWS endpoints, DNS and NTP),
// internet background noise in the rejects (a heavy head of scanners, some doing vertical and horizontal
// scans, SSH/RDP/database brute force, and one-off probes), a little IPv6 and some NODATA/SKIPDATA.
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ALPHABETICAL_29_FIELDS, DEFAULT_V2_FIELDS } from '../src/core/format';
import { writeFlowParquet } from './parquetWriter';

export const BENCH_LINES = 1_000_000;
const DIR = join(__dirname, '..', 'bench-data');
const VERSION = 'v1';

export interface BenchFiles {
  /** Default v2 format, no header. */
  readonly default: string;
  /** All 29 v2–v5 fields in alphabetical order, no header. */
  readonly alphabetical: string;
  /** Default v2 format, no header, the realistic traffic mix. */
  readonly realistic: string;
  readonly lines: number;
}

/** Small fast PRNG (mulberry32): the same numbers for the same seed on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICE_PORTS = [22, 443, 80, 3389, 53, 5432, 3306, 6379, 8080, 123, 445, 23, 9200, 27017];
const SERVICES = ['AMAZON', 'S3', 'EC2', 'DYNAMODB', 'ROUTE53'];
const REGIONS: [string, string][] = [
  ['us-east-1', 'use1-az'],
  ['eu-west-1', 'euw1-az'],
  ['ap-southeast-2', 'apse2-az'],
];

function hex(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ((r() * 16) | 0).toString(16);
  return s;
}

/** One record as a field-name -> value map (all 29 v2–v5 fields). */
function makeRecord(r: () => number, i: number, enis: string[], t0: number): Record<string, string> {
  const eni = enis[(r() * enis.length) | 0]!;
  const [region, azPrefix] = REGIONS[(r() * REGIONS.length) | 0]!;
  const start = t0 + Math.floor(i / 50);
  const end = start + ((r() * 60) | 0);
  const base: Record<string, string> = {
    version: '5',
    'account-id': '123456789012',
    'interface-id': eni,
    start: String(start),
    end: String(end),
    'vpc-id': 'vpc-0a1b2c3d4e5f60718',
    'subnet-id': 'subnet-0f1e2d3c4b5a69788',
    'instance-id': 'i-0123456789abcdef0',
    region,
    'az-id': `${azPrefix}${1 + ((r() * 3) | 0)}`,
    'sublocation-type': '-',
    'sublocation-id': '-',
  };
  const roll = r();
  if (roll < 0.04) {
    const status = roll < 0.03 ? 'NODATA' : 'SKIPDATA';
    for (const k of [
      'srcaddr',
      'dstaddr',
      'srcport',
      'dstport',
      'protocol',
      'packets',
      'bytes',
      'action',
      'tcp-flags',
      'type',
      'pkt-srcaddr',
      'pkt-dstaddr',
      'pkt-src-aws-service',
      'pkt-dst-aws-service',
      'flow-direction',
      'traffic-path',
    ])
      base[k] = '-';
    base['log-status'] = status;
    return base;
  }
  const v6 = r() < 0.1;
  const proto = r();
  const protocol = proto < 0.8 ? 6 : proto < 0.95 ? 17 : 1;
  const inbound = r() < 0.5;
  const local = v6
    ? `2001:db8:1234:a100::${hex(r, 4)}`
    : `10.${(r() * 4) | 0}.${(r() * 256) | 0}.${1 + ((r() * 254) | 0)}`;
  const remote = v6
    ? `2600:1f18:${hex(r, 4)}:${hex(r, 4)}::${hex(r, 3)}`
    : r() < 0.5
      ? `172.31.${(r() * 256) | 0}.${1 + ((r() * 254) | 0)}`
      : `${52 + ((r() * 150) | 0)}.${(r() * 256) | 0}.${(r() * 256) | 0}.${1 + ((r() * 254) | 0)}`;
  const service = protocol === 1 ? 0 : SERVICE_PORTS[(r() * SERVICE_PORTS.length) | 0]!;
  const ephemeral = protocol === 1 ? 0 : 32768 + ((r() * 28000) | 0);
  const packets = 1 + ((r() * 200) | 0);
  const bytes = packets * (40 + ((r() * 1400) | 0));
  const reject = r() < 0.25;
  const src = inbound ? remote : local;
  const dst = inbound ? local : remote;
  Object.assign(base, {
    srcaddr: src,
    dstaddr: dst,
    srcport: String(inbound ? ephemeral : service),
    dstport: String(inbound ? service : ephemeral),
    protocol: String(protocol),
    packets: String(packets),
    bytes: String(bytes),
    action: reject ? 'REJECT' : 'ACCEPT',
    'log-status': 'OK',
    'tcp-flags': protocol === 6 ? String([2, 18, 3, 19, 1, 0][(r() * 6) | 0]) : '0',
    type: v6 ? 'IPv6' : 'IPv4',
    'pkt-srcaddr': src,
    'pkt-dstaddr': dst,
    'pkt-src-aws-service': !inbound || r() < 0.8 ? '-' : SERVICES[(r() * SERVICES.length) | 0]!,
    'pkt-dst-aws-service': inbound || r() < 0.8 ? '-' : SERVICES[(r() * SERVICES.length) | 0]!,
    'flow-direction': inbound ? 'ingress' : 'egress',
    'traffic-path': inbound ? '-' : String(1 + ((r() * 8) | 0)),
  });
  return base;
}

async function writeFile(
  path: string,
  lines: number,
  fields: readonly string[],
  version: string | undefined,
): Promise<void> {
  const r = rng(20141214);
  const enis = Array.from({ length: 64 }, () => `eni-${hex(r, 17)}`);
  await writeLines(path, lines, (i) => {
    const rec = makeRecord(r, i, enis, 1_700_000_000);
    if (version) rec.version = version;
    return fields.map((f) => rec[f] ?? '-').join(' ');
  });
}

/** Writes lines 0 … count-1 (`line(i)`) to `path` through a temporary file, in batches of 10,000. */
async function writeLines(path: string, count: number, line: (i: number) => string): Promise<void> {
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  let batch: string[] = [];
  for (let i = 0; i < count; i++) {
    batch.push(line(i));
    if (batch.length === 10_000) {
      if (!out.write(batch.join('\n') + '\n')) await new Promise<void>((res) => out.once('drain', res));
      batch = [];
    }
  }
  if (batch.length) out.write(batch.join('\n') + '\n');
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  renameSync(tmp, path);
}

/** Picks from a pool of n with a heavy head: index floor(n * r^skew). */
function skewed(r: () => number, n: number, skew: number): number {
  return Math.min(n - 1, Math.floor(n * Math.pow(r(), skew)));
}

/** One realistic default-format (v2) line. */
function realisticLine(r: () => number, i: number, pools: RealisticPools, t0: number): string {
  const start = t0 + Math.floor(i / 50);
  const end = start + ((r() * 60) | 0);
  const k = skewed(r, pools.locals.length, 1.5);
  const eni = pools.enis[k]!;
  const local = pools.locals[k]!;
  const head = `2 123456789012 ${eni}`;
  const roll = r();
  if (roll < 0.02) return `${head} - - - - - - - ${start} ${end} - ${roll < 0.015 ? 'NODATA' : 'SKIPDATA'}`;
  const eph = 32768 + ((r() * 28000) | 0);
  const pk = (n: number): number => 1 + ((r() * n) | 0);
  const kind = r();
  let src: string, dst: string, sport: number, dport: number, proto: number, packets: number, action: string;
  if (kind < 0.3) {
    // internet clients to the web tier
    src = pools.clients[skewed(r, pools.clients.length, 3)]!;
    dst = local;
    sport = eph;
    dport = r() < 0.8 ? 443 : 80;
    proto = 6;
    packets = pk(400);
    action = 'ACCEPT';
  } else if (kind < 0.55) {
    // service to service inside the VPC (both directions are logged)
    const peer = pools.locals[(k + 1 + skewed(r, pools.locals.length - 1, 2)) % pools.locals.length]!;
    const svc = pools.internalPorts[skewed(r, pools.internalPorts.length, 2)]!;
    const reply = r() < 0.5;
    src = reply ? peer : local;
    dst = reply ? local : peer;
    sport = reply ? svc : eph;
    dport = reply ? eph : svc;
    proto = 6;
    packets = pk(300);
    action = 'ACCEPT';
  } else if (kind < 0.7) {
    // egress to AWS endpoints and the internet (replies logged too)
    const remote = pools.endpoints[skewed(r, pools.endpoints.length, 2)]!;
    const reply = r() < 0.5;
    src = reply ? remote : local;
    dst = reply ? local : remote;
    sport = reply ? 443 : eph;
    dport = reply ? eph : 443;
    proto = 6;
    packets = pk(200);
    action = 'ACCEPT';
  } else if (kind < 0.8) {
    // DNS to the VPC resolver, NTP to the time service
    const dns = r() < 0.8;
    src = local;
    dst = dns ? '10.0.0.2' : '169.254.169.123';
    sport = eph;
    dport = dns ? 53 : 123;
    proto = 17;
    packets = pk(4);
    action = 'ACCEPT';
  } else if (kind < 0.83) {
    // IPv6 clients
    src = pools.clients6[skewed(r, pools.clients6.length, 2)]!;
    dst = pools.local6[k % pools.local6.length]!;
    sport = eph;
    dport = 443;
    proto = 6;
    packets = pk(100);
    action = r() < 0.9 ? 'ACCEPT' : 'REJECT';
  } else {
    // rejected: internet background noise aimed at the instances
    src = pools.scanners[skewed(r, pools.scanners.length, 4)]!;
    const s = r();
    if (s < 0.05) {
      // one of a few scanners sweeping ports on one host
      const sc = (r() * 4) | 0;
      src = pools.scanners[sc]!;
      dst = pools.locals[(sc * 7 + ((i >> 12) & 3)) % pools.locals.length]!;
      dport = 1 + ((r() * 10000) | 0);
    } else if (s < 0.1) {
      // one port swept across the subnet
      src = pools.scanners[4 + ((r() * 4) | 0)]!;
      dst = pools.locals[(r() * pools.locals.length) | 0]!;
      dport = [22, 3389, 445, 23][(i >> 10) & 3]!;
    } else {
      dst = local;
      dport = pools.probePorts[skewed(r, pools.probePorts.length, 2)]!;
    }
    sport = eph;
    proto = r() < 0.9 ? 6 : 17;
    packets = pk(3);
    action = 'REJECT';
  }
  if (r() < 0.01) action = 'REJECT'; // a security group blocking some of the normal traffic
  const bytes = packets * (40 + ((r() * 1400) | 0));
  return `${head} ${src} ${dst} ${sport} ${dport} ${proto} ${packets} ${bytes} ${start} ${end} ${action} OK`;
}

interface RealisticPools {
  enis: string[];
  locals: string[];
  local6: string[];
  clients: string[];
  clients6: string[];
  endpoints: string[];
  scanners: string[];
  internalPorts: number[];
  probePorts: number[];
}

async function writeRealistic(path: string, lines: number): Promise<void> {
  const r = rng(20250101);
  const pools = realisticPools(r);
  await writeLines(path, lines, (i) => realisticLine(r, i, pools, 1_700_000_000));
}

function realisticPools(r: () => number): RealisticPools {
  const pub = (): string =>
    `${[3, 18, 34, 44, 52, 54, 81, 91, 103, 185, 193, 203][(r() * 12) | 0]}.${(r() * 256) | 0}.${(r() * 256) | 0}.${1 + ((r() * 254) | 0)}`;
  const locals = Array.from({ length: 300 }, () => `10.0.${(r() * 16) | 0}.${1 + ((r() * 254) | 0)}`);
  const pools: RealisticPools = {
    enis: locals.map(() => `eni-${hex(r, 17)}`),
    locals,
    local6: Array.from({ length: 40 }, () => `2600:1f18:a1b2:c300::${hex(r, 4)}`),
    clients: Array.from({ length: 5000 }, pub),
    clients6: Array.from({ length: 800 }, () => `2a02:${hex(r, 4)}:${hex(r, 4)}::${hex(r, 3)}`),
    endpoints: Array.from({ length: 400 }, pub),
    scanners: Array.from({ length: 30000 }, pub),
    internalPorts: [5432, 6379, 8080, 9200, 3306, 27017, 8443, 9092, 2049, 11211],
    probePorts: [
      22, 23, 3389, 445, 80, 8080, 443, 3306, 1433, 5432, 6379, 5900, 21, 25, 139, 137, 9200, 27017, 8443, 2375, 5060,
      11211,
    ],
  };
  return pools;
}

/** Generate (or reuse) the bench files; returns their paths. */
export async function generateBenchFiles(lines = BENCH_LINES): Promise<BenchFiles> {
  mkdirSync(DIR, { recursive: true });
  const files = {
    default: join(DIR, `default-${lines}-${VERSION}.log`),
    alphabetical: join(DIR, `alphabetical-${lines}-${VERSION}.log`),
    realistic: join(DIR, `realistic-${lines}-${VERSION}.log`),
  };
  if (!existsSync(files.default) || statSync(files.default).size === 0)
    await writeFile(files.default, lines, DEFAULT_V2_FIELDS, '2');
  if (!existsSync(files.alphabetical) || statSync(files.alphabetical).size === 0)
    await writeFile(files.alphabetical, lines, ALPHABETICAL_29_FIELDS, undefined);
  if (!existsSync(files.realistic) || statSync(files.realistic).size === 0)
    await writeRealistic(files.realistic, lines);
  return { ...files, lines };
}

/**
 * The bench generators in memory, for tests: `lines` lines of the uniform profile (default v2 or the 29-field
 * alphabetical layout, no header) or of the realistic one, from `seed`.
 */
export function benchLines(
  profile: 'default' | 'alphabetical' | 'realistic',
  lines: number,
  seed: number,
  t0 = 1_700_000_000,
): string[] {
  const r = rng(seed);
  const out: string[] = [];
  if (profile === 'realistic') {
    const pools = realisticPools(r);
    for (let i = 0; i < lines; i++) out.push(realisticLine(r, i, pools, t0));
    return out;
  }
  const fields = profile === 'default' ? DEFAULT_V2_FIELDS : ALPHABETICAL_29_FIELDS;
  const enis = Array.from({ length: 64 }, () => `eni-${hex(r, 17)}`);
  for (let i = 0; i < lines; i++) {
    const rec = makeRecord(r, i, enis, t0);
    if (profile === 'default') rec.version = '2';
    out.push(fields.map((f) => rec[f] ?? '-').join(' '));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Folders of S3 objects (the many-input benches): the uniform default-format million lines cut into `count`
// objects, one per 5-minute interval, as AWS writes them: AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/
// <account>_vpcflowlogs_<region>_<flow-log-id>_<yyyymmddTHHmmZ>_<hash>.log.gz, each with its header line.

export const OBJECT_ACCOUNT = '123456789012';
const OBJECT_REGION = 'us-east-1';
const OBJECT_FLOW_LOG = 'fl-0123456789abcdef0';
const OBJECT_T0 = Date.UTC(2023, 10, 14) / 1000;

/** Where object `i` of a folder goes (relative path inside it) and the interval it holds. */
export function objectPath(i: number, ext: string): string {
  const t = new Date((OBJECT_T0 + i * 300) * 1000);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const [y, mo, d] = [t.getUTCFullYear(), p2(t.getUTCMonth() + 1), p2(t.getUTCDate())];
  const stamp = `${y}${mo}${d}T${p2(t.getUTCHours())}${p2(t.getUTCMinutes())}Z`;
  const hash = ((i * 2654435761) >>> 0).toString(16).padStart(8, '0');
  return join(
    'AWSLogs',
    OBJECT_ACCOUNT,
    'vpcflowlogs',
    OBJECT_REGION,
    String(y),
    mo,
    d,
    `${OBJECT_ACCOUNT}_vpcflowlogs_${OBJECT_REGION}_${OBJECT_FLOW_LOG}_${stamp}_${hash}.${ext}`,
  );
}

/** Lines of `source` cut into `count` consecutive slices (as even as can be). */
export function slices<T>(lines: readonly T[], count: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < count; i++) {
    out.push(lines.slice(Math.floor((lines.length * i) / count), Math.floor((lines.length * (i + 1)) / count)));
  }
  return out;
}

/**
 * A folder of `count` `.log.gz` objects holding the lines of the uniform default-format bench file (a header line
 * in each, as S3 objects have); cached. Returns the folder.
 */
export async function generateGzipFolder(count: number): Promise<string> {
  const dir = join(DIR, `s3-gz-${count}-${VERSION}`);
  const done = join(dir, '.complete');
  if (existsSync(done)) return dir;
  const { default: source } = await generateBenchFiles();
  const lines = readFileSync(source, 'latin1').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const header = DEFAULT_V2_FIELDS.join(' ');
  slices(lines, count).forEach((part, i) => {
    const path = join(dir, objectPath(i, 'log.gz'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, gzipSync(Buffer.from(`${header}\n${part.join('\n')}\n`, 'latin1')));
  });
  writeFileSync(done, '');
  return dir;
}

/** The same records as Parquet objects in AWS's schema (one per interval, no header: Parquet has columns); cached. */
export async function generateParquetFolder(count: number): Promise<string> {
  const dir = join(DIR, `s3-parquet-${count}-${VERSION}`);
  const done = join(dir, '.complete');
  if (existsSync(done)) return dir;
  const { default: source } = await generateBenchFiles();
  const lines = readFileSync(source, 'latin1').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  slices(lines, count).forEach((part, i) => {
    const path = join(dir, objectPath(i, 'log.parquet'));
    mkdirSync(dirname(path), { recursive: true });
    writeFlowParquet(
      path,
      DEFAULT_V2_FIELDS,
      part.map((l) => l.split(' ')),
    );
  });
  writeFileSync(done, '');
  return dir;
}
