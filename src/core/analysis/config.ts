// The one table of trigger ports, thresholds and memory caps used by the analysis, with validation.
// PURE: no vscode, no DOM, no Node built-ins. Keep the defaults in sync with package.json
// (`vpcFlow.triggers.portScan.*`, `vpcFlow.triggers.ports`).

import { editDistance } from '../text';
import { PORT_TRIGGER_IDS, type PortTriggerId } from './triggers';

/** The destination ports a port trigger watches, per transport protocol. */
export interface PortRule {
  /** Destination ports over TCP (protocol 6). */
  readonly tcp: readonly number[];
  /** Destination ports over UDP (protocol 17). */
  readonly udp: readonly number[];
}

export interface PortScanConfig {
  /** Vertical scan: one source reaching at least this many distinct destination ports on one host. */
  readonly distinctPorts: number;
  /** Horizontal scan: one source reaching one destination port on at least this many hosts. */
  readonly distinctHosts: number;
  /** Window, in seconds of flow start time. */
  readonly windowSeconds: number;
  /** Most (source, target) pairs tracked at once per scan kind; past it the oldest are dropped. */
  readonly maxTracked: number;
}

export interface AnalysisConfig {
  readonly ports: Readonly<Record<PortTriggerId, PortRule>>;
  readonly portScan: PortScanConfig;
  /** Rows kept in each top-N table of the summary. */
  readonly topN: number;
  /** Distinct keys a top-N table counts exactly; past it a Space-Saving sketch of this size takes over. */
  readonly exactKeyCap: number;
  /** Hits stored per trigger (the count stays exact). */
  readonly maxHitsPerTrigger: number;
  /** Unparsed lines kept with their reasons (the count stays exact). */
  readonly maxUnparsed: number;
  /** Most points in a time series; buckets grow (1 s, 5 s, ... 1 day, then doubling) to stay under it. */
  readonly maxTimeBuckets: number;
  /** Distinct sources tracked per MITRE technique; past it the number is a lower bound. */
  readonly maxMitreSources: number;
}

const DATABASE_TCP_PORTS: readonly number[] = [
  1433,
  1434, // Microsoft SQL Server, SQL Server Browser
  1521,
  1522,
  1526,
  2483,
  2484, // Oracle
  3306,
  3307, // MySQL / MariaDB
  5432,
  5433, // PostgreSQL
  6379,
  6380, // Redis / ElastiCache (TLS)
  27017,
  27018,
  27019, // MongoDB / DocumentDB
  9200,
  9300, // Elasticsearch / OpenSearch
  9042,
  9160, // Cassandra / Keyspaces
  5984, // CouchDB
  11211, // Memcached
  8529, // ArangoDB
  8086, // InfluxDB
  7474,
  7687, // Neo4j
  26257, // CockroachDB
  28015, // RethinkDB
  3050, // Firebird
  // Not IBM Db2's 50000: it lies in every common ephemeral range (Linux 32768–60999, IANA 49152–65535), where
  // client ports of ordinary connections would fire it. No default port may lie there (see ports.ts); users
  // add such ports themselves (vpcFlow.triggers.ports).
];

/** The defaults: every port list and threshold in one place. */
export const DEFAULT_ANALYSIS_CONFIG: AnalysisConfig = Object.freeze({
  ports: Object.freeze({
    'ssh-blocked': { tcp: [22], udp: [] },
    'rdp-blocked': { tcp: [3389], udp: [3389] },
    'telnet-blocked': { tcp: [23], udp: [] },
    'smb-blocked': { tcp: [445, 139], udp: [137, 138] },
    'database-blocked': { tcp: DATABASE_TCP_PORTS, udp: [] },
  }),
  portScan: Object.freeze({ distinctPorts: 15, distinctHosts: 20, windowSeconds: 300, maxTracked: 50_000 }),
  topN: 20,
  exactKeyCap: 10_000,
  maxHitsPerTrigger: 1000,
  maxUnparsed: 1000,
  maxTimeBuckets: 240,
  maxMitreSources: 100_000,
});

/**
 * What callers may pass: any subset. A port override may be a plain list (applied to each protocol the
 * trigger watches by default: RDP's list goes to TCP and UDP, SSH's to TCP only, SMB's to TCP and UDP) or
 * `{ tcp, udp }`.
 */
export interface AnalysisConfigInput {
  ports?: Partial<Record<PortTriggerId, readonly number[] | Partial<PortRule>>>;
  portScan?: Partial<PortScanConfig>;
  topN?: number;
  exactKeyCap?: number;
  maxHitsPerTrigger?: number;
  maxUnparsed?: number;
  maxTimeBuckets?: number;
  maxMitreSources?: number;
}

type Result = { ok: true; config: AnalysisConfig } | { ok: false; errors: string[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function show(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(v);
  }
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function unknownKey(path: string, key: string, known: readonly string[]): string {
  const near = closest(key, known);
  return `${path}${key}: unknown setting${near ? ` (did you mean '${near}'?)` : ''}; known: ${known.join(', ')}`;
}

function intIn(errors: string[], path: string, v: unknown, min: number, max: number): number | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    errors.push(`${path}: expected an integer from ${min} to ${max}, got ${show(v)}`);
    return undefined;
  }
  if (v < min || v > max) {
    errors.push(`${path}: ${v} is out of range (${min} to ${max})`);
    return undefined;
  }
  return v;
}

function portList(errors: string[], path: string, v: unknown): number[] | undefined {
  if (!Array.isArray(v)) {
    errors.push(`${path}: expected a list of ports (0 to 65535), got ${show(v)}`);
    return undefined;
  }
  const out: number[] = [];
  let bad = false;
  v.forEach((p: unknown, i) => {
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 65535) {
      errors.push(`${path}[${i}]: ${show(p)} is not a port (an integer from 0 to 65535)`);
      bad = true;
    } else if (!out.includes(p)) out.push(p);
  });
  return bad ? undefined : out;
}

const SCALARS: readonly [keyof AnalysisConfigInput, number, number][] = [
  ['topN', 1, 1000],
  ['exactKeyCap', 10, 10_000_000],
  ['maxHitsPerTrigger', 0, 10_000_000],
  ['maxUnparsed', 0, 10_000_000],
  ['maxTimeBuckets', 10, 100_000],
  ['maxMitreSources', 1, 100_000_000],
];
const SCAN_KEYS: readonly [keyof PortScanConfig, number, number][] = [
  ['distinctPorts', 2, 65536],
  ['distinctHosts', 2, 10_000_000],
  ['windowSeconds', 1, 31_536_000],
  ['maxTracked', 1, 100_000_000],
];

/**
 * Checks an untrusted configuration (settings, CLI flags, JSON) and merges it over the defaults.
 * Never throws; every problem is one readable line in `errors`, naming the setting path.
 */
export function validateAnalysisConfig(input: unknown): Result {
  const errors: string[] = [];
  if (input === undefined || input === null) return { ok: true, config: DEFAULT_ANALYSIS_CONFIG };
  if (!isObject(input))
    return { ok: false, errors: [`analysis configuration: expected an object, got ${show(input)}`] };

  const known = ['ports', 'portScan', ...SCALARS.map(([k]) => k)];
  const scalars: Record<string, number> = {};
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) errors.push(unknownKey('', key, known));
  }
  for (const [key, min, max] of SCALARS) {
    if (input[key] === undefined) continue;
    const v = intIn(errors, key, input[key], min, max);
    if (v !== undefined) scalars[key] = v;
  }

  const scan: Record<string, number> = { ...DEFAULT_ANALYSIS_CONFIG.portScan };
  if (input.portScan !== undefined) {
    if (!isObject(input.portScan)) errors.push(`portScan: expected an object, got ${show(input.portScan)}`);
    else {
      const scanKnown = SCAN_KEYS.map(([k]) => k);
      for (const key of Object.keys(input.portScan)) {
        if (!(scanKnown as readonly string[]).includes(key)) errors.push(unknownKey('portScan.', key, scanKnown));
      }
      for (const [key, min, max] of SCAN_KEYS) {
        if (input.portScan[key] === undefined) continue;
        const v = intIn(errors, `portScan.${key}`, input.portScan[key], min, max);
        if (v !== undefined) scan[key] = v;
      }
    }
  }

  const ports: Record<string, PortRule> = { ...DEFAULT_ANALYSIS_CONFIG.ports };
  if (input.ports !== undefined) {
    if (!isObject(input.ports))
      errors.push(`ports: expected an object of trigger id -> ports, got ${show(input.ports)}`);
    else {
      for (const [id, value] of Object.entries(input.ports)) {
        const def = (DEFAULT_ANALYSIS_CONFIG.ports as Record<string, PortRule | undefined>)[id];
        if (!def) {
          errors.push(unknownKey('ports.', id, PORT_TRIGGER_IDS));
          continue;
        }
        if (Array.isArray(value)) {
          const list = portList(errors, `ports.${id}`, value);
          if (list) ports[id] = { tcp: def.tcp.length ? list : [], udp: def.udp.length ? list : [] };
        } else if (isObject(value)) {
          let tcp = def.tcp;
          let udp = def.udp;
          for (const key of Object.keys(value)) {
            if (key !== 'tcp' && key !== 'udp') errors.push(unknownKey(`ports.${id}.`, key, ['tcp', 'udp']));
          }
          if (value.tcp !== undefined) tcp = portList(errors, `ports.${id}.tcp`, value.tcp) ?? tcp;
          if (value.udp !== undefined) udp = portList(errors, `ports.${id}.udp`, value.udp) ?? udp;
          ports[id] = { tcp, udp };
        } else {
          errors.push(`ports.${id}: expected a list of ports or { tcp: [...], udp: [...] }, got ${show(value)}`);
        }
      }
    }
  }

  if (errors.length) return { ok: false, errors };
  const d = DEFAULT_ANALYSIS_CONFIG;
  return {
    ok: true,
    config: {
      ports: ports as Record<PortTriggerId, PortRule>,
      portScan: scan as unknown as PortScanConfig,
      topN: scalars.topN ?? d.topN,
      exactKeyCap: scalars.exactKeyCap ?? d.exactKeyCap,
      maxHitsPerTrigger: scalars.maxHitsPerTrigger ?? d.maxHitsPerTrigger,
      maxUnparsed: scalars.maxUnparsed ?? d.maxUnparsed,
      maxTimeBuckets: scalars.maxTimeBuckets ?? d.maxTimeBuckets,
      maxMitreSources: scalars.maxMitreSources ?? d.maxMitreSources,
    },
  };
}

/**
 * Merges a (trusted, already validated or programmatic) partial configuration over the defaults.
 * Invalid values are ignored (the default is kept) so the core never throws; validate user input
 * with `validateAnalysisConfig` to report errors.
 */
export function resolveAnalysisConfig(input?: AnalysisConfigInput | Partial<AnalysisConfig>): AnalysisConfig {
  if (!input) return DEFAULT_ANALYSIS_CONFIG;
  const r = validateAnalysisConfig(input);
  if (r.ok) return r.config;
  // Keep the valid parts: drop each offending setting (one level down for ports and portScan) and retry.
  if (!isObject(input)) return DEFAULT_ANALYSIS_CONFIG;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if ((key === 'ports' || key === 'portScan') && isObject(value)) {
      const inner: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (validateAnalysisConfig({ [key]: { [k]: v } }).ok) inner[k] = v;
      }
      copy[key] = inner;
    } else if (validateAnalysisConfig({ [key]: value }).ok) copy[key] = value;
  }
  const again = validateAnalysisConfig(copy);
  return again.ok ? again.config : DEFAULT_ANALYSIS_CONFIG;
}
