// Generates the bench inputs into bench-data/ (git-ignored): 1,000,000 default-format lines and the same
// records in the 29-field alphabetical layout. Deterministic (seeded), cached between runs.
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALPHABETICAL_29_FIELDS } from '../src/core/format';

export const BENCH_LINES = 1_000_000;
const DIR = join(__dirname, '..', 'bench-data');
const VERSION = 'v1';

export interface BenchFiles {
  /** Default v2 format, no header. */
  readonly default: string;
  /** All 29 v2–v5 fields in alphabetical order, no header. */
  readonly alphabetical: string;
  readonly lines: number;
}

/** Small fast PRNG (mulberry32). */
function rng(seed: number): () => number {
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

const DEFAULT_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
];

async function writeFile(
  path: string,
  lines: number,
  fields: readonly string[],
  version: string | undefined,
): Promise<void> {
  const r = rng(20141214);
  const enis = Array.from({ length: 64 }, () => `eni-${hex(r, 17)}`);
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  let batch: string[] = [];
  for (let i = 0; i < lines; i++) {
    const rec = makeRecord(r, i, enis, 1_700_000_000);
    if (version) rec.version = version;
    batch.push(fields.map((f) => rec[f] ?? '-').join(' '));
    if (batch.length === 10_000) {
      if (!out.write(batch.join('\n') + '\n')) await new Promise<void>((res) => out.once('drain', res));
      batch = [];
    }
  }
  if (batch.length) out.write(batch.join('\n') + '\n');
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  renameSync(tmp, path);
}

/** Generate (or reuse) the bench files; returns their paths. */
export async function generateBenchFiles(lines = BENCH_LINES): Promise<BenchFiles> {
  mkdirSync(DIR, { recursive: true });
  const files = {
    default: join(DIR, `default-${lines}-${VERSION}.log`),
    alphabetical: join(DIR, `alphabetical-${lines}-${VERSION}.log`),
  };
  if (!existsSync(files.default) || statSync(files.default).size === 0)
    await writeFile(files.default, lines, DEFAULT_FIELDS, '2');
  if (!existsSync(files.alphabetical) || statSync(files.alphabetical).size === 0)
    await writeFile(files.alphabetical, lines, ALPHABETICAL_29_FIELDS, undefined);
  return { ...files, lines };
}
