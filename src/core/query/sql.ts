// The SQL printer: the intermediate form (plan.ts) as Trino/Athena SQL or DuckDB SQL. Both dialects print the same
// normalised relation `flows`, the same predicates and the same groupings; they differ in the source (a table, or
// read_csv/read_parquet), in identifier quoting, and where an engine cannot express the analyzer exactly (Athena has
// no record order: its port-scan window is an approximation, said so in the query). PURE.

import type { AnalysisConfig } from '../analysis/config';
import type { TriggerDef } from '../analysis/triggers';
import {
  mitreSources,
  needsScan,
  PORT_PROTOCOLS,
  scanSpec,
  SERVICE_PORTS_ABOVE_1023,
  topPred,
  triggerPred,
  type Pred,
  type ScanSpec,
  type TableDef,
} from './plan';
import { ident, sqlString } from './quote';

export type SqlDialect = 'trino' | 'duckdb';

/** The source of the raw fields: a table (Athena) or a DuckDB table function, plus how it numbers lines. */
export interface SqlSource {
  /** The FROM item, already validated and printed. */
  readonly from: string;
  /** Field names (catalogue, hyphenated) the source has, in the log's order. */
  readonly fields: readonly string[];
  /** The expression of the 1-based line of a row in its file (null: the engine cannot tell). */
  readonly line: string | null;
  /** The expression naming the row's file (null: one input). */
  readonly file: string | null;
  /** How a raw field is read (default: its column, AWS's underscore name). */
  readonly column?: (field: string) => string;
}

/** The SQL column name of a catalogue field: AWS's underscore spelling (log-status -> log_status). */
export function columnName(field: string): string {
  return field.replace(/-/g, '_');
}

const LADDER = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10800, 21600, 43200, 86400, 604800];
/** The analyzer's bucket sizes (timeSeries.ts): the ladder, then doubling. */
export const BUCKET_SIZES: readonly number[] = (() => {
  const out = LADDER.slice();
  let s = LADDER[LADDER.length - 1]!;
  for (let i = 0; i < 30; i++) out.push((s *= 2));
  return out;
})();

class Printer {
  constructor(
    readonly dialect: SqlDialect,
    readonly src: SqlSource,
  ) {}

  id(name: string): string {
    return ident(this.dialect, name);
  }

  /** A raw field as a column reference, or NULL when the format lacks it. */
  raw(field: string): string {
    if (!this.src.fields.includes(field)) return 'NULL';
    return this.src.column !== undefined ? this.src.column(field) : this.id(columnName(field));
  }

  int(field: string): string {
    const r = this.raw(field);
    return r === 'NULL' ? 'CAST(NULL AS BIGINT)' : `TRY_CAST(${r} AS BIGINT)`;
  }

  text(field: string): string {
    const r = this.raw(field);
    return r === 'NULL' ? 'CAST(NULL AS VARCHAR)' : `NULLIF(NULLIF(CAST(${r} AS VARCHAR), '-'), '')`;
  }

  seconds(e: string): string {
    return `CASE WHEN ${e} > 99999999999 THEN CAST(floor(${e} / 1000e0) AS BIGINT) ELSE ${e} END`;
  }

  /** The CTEs that define `flows` (see plan.ts FlowColumn). */
  flowsCtes(): string[] {
    const s = this.src;
    const upper = (f: string): string => `upper(${this.text(f)})`;
    const status = `CASE WHEN ${upper('log-status')} = 'NODATA' THEN 'NODATA' WHEN ${upper('log-status')} = 'SKIPDATA' THEN 'SKIPDATA' WHEN ${upper('action')} = 'ACCEPT' THEN 'ACCEPT' WHEN ${upper('action')} = 'REJECT' THEN 'REJECT' END`;
    const typed = [
      `${s.file ?? 'CAST(NULL AS VARCHAR)'} AS file`,
      `${s.line ?? 'CAST(NULL AS BIGINT)'} AS line`,
      `${status} AS status`,
      `${this.int('protocol')} AS proto`,
      `${this.int('dstport')} AS dstport_n`,
      `${this.int('srcport')} AS srcport_n`,
      `${this.int('start')} AS start_n`,
      `${this.int('end')} AS end_n`,
      `${this.text('srcaddr')} AS src`,
      `${this.text('dstaddr')} AS dst`,
      `COALESCE(${this.int('bytes')}, 0) AS bytes`,
      `COALESCE(${this.int('packets')}, 0) AS packets`,
    ];
    return [
      `typed AS (\n  SELECT\n    ${typed.join(',\n    ')}\n  FROM ${s.from}\n)`,
      `counted AS (\n  SELECT\n    file, line, status, proto, src, dst, bytes, packets, srcport_n,\n    COALESCE(${this.seconds('start_n')}, ${this.seconds('end_n')}) AS t,\n    CASE WHEN dstport_n <= 65535 AND (proto IS NULL OR proto IN (${PORT_PROTOCOLS.join(', ')})) THEN dstport_n END AS dport\n  FROM typed\n)`,
    ];
  }

  pred(p: Pred): string {
    switch (p.k) {
      case 'status':
        return `status = ${sqlString(p.value)}`;
      case 'in':
        return p.values.length === 1 ? `${p.col} = ${p.values[0]!}` : `${p.col} IN (${p.values.join(', ')})`;
      case 'reply':
        return p.value ? 'reply' : 'NOT reply';
      case 'present':
        return p.col === 'proto' ? 'proto BETWEEN 0 AND 255' : `${p.col} IS NOT NULL`;
      case 'and':
      case 'or':
        return `(${p.args.map((a) => this.pred(a)).join(p.k === 'and' ? ' AND ' : ' OR ')})`;
      case 'false':
        return 'FALSE';
      case 'scan':
        return '(scan_v OR scan_h)';
    }
  }
}

/** Strips one pair of outer parentheses for a WHERE clause. */
function bare(s: string): string {
  if (!s.startsWith('(') || !s.endsWith(')')) return s;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    if (depth === 0 && i < s.length - 1) return s;
  }
  return s.slice(1, -1);
}
export { bare as barePredicate };

/** The printer's flows CTEs (without sport trickery): typed, counted, flows. */
function flowsCtes(p: Printer): string[] {
  const [typed, counted] = p.flowsCtes();
  const svc = SERVICE_PORTS_ABOVE_1023.join(', ');
  return [
    typed!,
    counted!,
    `flows AS (\n  SELECT\n    file, line, status, proto, dport, sport, src, dst, t, bytes, packets,\n    -- A reply: TCP or UDP from a service port (below 1024, or a well-known one below 32768) to an ephemeral\n    -- port (32768 and up, or 1024 and up that no well-known service uses): src/core/ports.ts isReply.\n    COALESCE(proto IN (6, 17)\n      AND (sport < 1024 OR (sport < 32768 AND sport IN (${svc})))\n      AND dport >= 1024 AND (dport >= 32768 OR dport NOT IN (${svc})), FALSE) AS reply\n  FROM (SELECT counted.*, CASE WHEN dport IS NOT NULL THEN srcport_n END AS sport FROM counted) x\n)`,
  ];
}

/**
 * The port-scan CTEs: `scan_hits` (one row per detection: kind 'vertical' or 'horizontal', file, line, src, dst,
 * dport, n) and `scanned` (flows with scan_v, scan_h per record).
 */
function scanCtes(p: Printer, s: ScanSpec): string[] {
  const elig = bare(p.pred(s.eligible));
  const W = s.windowSeconds;
  if (p.dialect === 'duckdb') {
    const item = 'STRUCT(i VARCHAR, t BIGINT)';
    const hit = 'STRUCT(f VARCHAR, l BIGINT, n BIGINT)';
    const state = (items: string, fired: string, hits: string): string =>
      `{'items': ${items}, 'fired': ${fired}, 'hits': ${hits}, 'ei': NULL::VARCHAR, 'et': NULL::BIGINT, 'ef': NULL::VARCHAR, 'el': NULL::BIGINT}`;
    const init = state(`[]::${item}[]`, 'NULL::BIGINT', `[]::${hit}[]`);
    const kept = `list_filter(s.items, lambda x: x.i <> e.ei AND x.t >= e.et - ${W})`;
    const prev = `list_max(list_transform(list_filter(s.items, lambda x: x.i = e.ei), lambda x: x.t))`;
    const step = (threshold: number): string =>
      `CASE\n        WHEN s.fired IS NOT NULL AND e.et - s.fired <= ${W} THEN s\n        WHEN len(${kept}) + 1 >= ${threshold}\n          THEN ${state(`[]::${item}[]`, 'e.et', `list_append(s.hits, {'f': e.ef, 'l': e.el, 'n': len(${kept}) + 1})`)}\n        ELSE ${state(`list_append(${kept}, {'i': e.ei, 't': greatest(e.et, COALESCE(${prev}, e.et))})`, 'NULL::BIGINT', 's.hits')}\n      END`;
    return [
      `scan_events AS (\n  -- The records the port-scan trackers observe (src/core/analysis/portScan.ts), each as a vertical event (pair: source\n  -- and target host, item: port) and a horizontal one (pair: source and port, item: target host).\n  SELECT 'vertical' AS kind, src AS k1, dst AS k2, CAST(dport AS VARCHAR) AS item, t, file, line FROM flows WHERE ${elig}\n  UNION ALL\n  SELECT 'horizontal' AS kind, src AS k1, CAST(dport AS VARCHAR) AS k2, dst AS item, t, file, line FROM flows WHERE ${elig}\n)`,
      `scan_pairs AS (\n  SELECT kind, k1, k2,\n    list({'items': []::${item}[], 'fired': NULL::BIGINT, 'hits': []::${hit}[], 'ei': item, 'et': t, 'ef': file, 'el': line} ORDER BY file, line) AS evs\n  FROM scan_events GROUP BY kind, k1, k2\n)`,
      `scan_states AS (\n  -- In record order per pair: forget items last reached more than ${W} s before this flow's start; on reaching the\n  -- threshold, detect, clear the pair and stay quiet until a flow starts more than ${W} s after the detection.\n  SELECT kind, k1, k2, CASE kind\n    WHEN 'vertical' THEN list_reduce(evs, lambda s, e: ${step(s.distinctPorts)}, ${init})\n    ELSE list_reduce(evs, lambda s, e: ${step(s.distinctHosts)}, ${init})\n  END AS st\n  FROM scan_pairs\n)`,
      `scan_hits AS (\n  SELECT kind, h.f AS file, h.l AS line, h.n AS n FROM (SELECT kind, unnest(st.hits) AS h FROM scan_states) x\n)`,
      `scanned AS (\n  SELECT flows.*,\n    COALESCE(sv.hit, FALSE) AS scan_v,\n    COALESCE(sh.hit, FALSE) AS scan_h\n  FROM flows\n  LEFT JOIN (SELECT DISTINCT file, line, TRUE AS hit FROM scan_hits WHERE kind = 'vertical') sv\n    ON sv.line = flows.line AND sv.file IS NOT DISTINCT FROM flows.file\n  LEFT JOIN (SELECT DISTINCT file, line, TRUE AS hit FROM scan_hits WHERE kind = 'horizontal') sh\n    ON sh.line = flows.line AND sh.file IS NOT DISTINCT FROM flows.file\n)`,
    ];
  }
  // Trino/Athena: no record order and no sequential state. A record detects when the distinct items its pair reached
  // within the window up to its start (ties by start included) reach the threshold and the pair's previous record
  // (by start) held fewer: an approximation of the analyzer's once-per-window detection.
  const counts = (kind: 'v' | 'h'): string => {
    const [k2, item] = kind === 'v' ? ['dst', 'dport'] : ['dport', 'dst'];
    return `scan_${kind}_counts AS (\n  SELECT a.file, a.t, a.src, a.dst, a.dport, count(DISTINCT b.${item}) AS n\n  FROM scan_eligible a\n  JOIN scan_eligible b ON b.src = a.src AND b.${k2} = a.${k2} AND b.t BETWEEN a.t - ${W} AND a.t\n  GROUP BY a.file, a.t, a.src, a.dst, a.dport\n)`;
  };
  const detect = (kind: 'v' | 'h', k2: string, threshold: number): string =>
    `scan_${kind}_hits AS (\n  SELECT file, t, src, dst, dport, n FROM (\n    SELECT c.*, lag(n) OVER (PARTITION BY src, ${k2} ORDER BY t) AS prev FROM scan_${kind}_counts c\n  ) z\n  WHERE n >= ${threshold} AND COALESCE(prev < ${threshold}, TRUE)\n)`;
  const flag = (kind: 'v' | 'h'): string =>
    `LEFT JOIN scan_${kind}_hits ${kind} ON ${kind}.file = flows.file AND ${kind}.t = flows.t AND ${kind}.src = flows.src AND ${kind}.dst = flows.dst AND ${kind}.dport = flows.dport`;
  return [
    `scan_eligible AS (\n  -- APPROXIMATE (Athena has no record order): distinct ports per (source, host) and hosts per (source, port) within\n  -- ${W} s up to each flow's start; the analyzer's quiet period after a detection is not expressed.\n  SELECT DISTINCT file, t, src, dst, dport FROM flows WHERE ${elig}\n)`,
    counts('v'),
    counts('h'),
    detect('v', 'dst', s.distinctPorts),
    detect('h', 'dport', s.distinctHosts),
    `scanned AS (\n  SELECT flows.*,\n    v.n IS NOT NULL AND ${elig.replace(/\b(src|dst|dport|t|status|proto|reply)\b/g, 'flows.$1')} AS scan_v,\n    h.n IS NOT NULL AND ${elig.replace(/\b(src|dst|dport|t|status|proto|reply)\b/g, 'flows.$1')} AS scan_h\n  FROM flows\n  ${flag('v')}\n  ${flag('h')}\n)`,
    `scan_hits AS (\n  SELECT 'vertical' AS kind, file, n, src, dst, dport, t FROM scan_v_hits\n  UNION ALL\n  SELECT 'horizontal' AS kind, file, n, src, dst, dport, t FROM scan_h_hits\n)`,
  ];
}

function withCtes(ctes: readonly string[], body: string): string {
  return `WITH\n${ctes.join(',\n')}\n${body}`;
}

/** Comment lines (`-- `) from text lines. */
export function sqlComment(lines: readonly string[]): string {
  return lines.map((l) => `-- ${l}`.trimEnd()).join('\n');
}

/** One row per hit of a trigger (key fields and the total), in record order. */
export function triggerHitsSql(dialect: SqlDialect, src: SqlSource, def: TriggerDef, config: AnalysisConfig): string {
  const p = new Printer(dialect, src);
  const pred = triggerPred(def, config);
  const ctes = flowsCtes(p);
  const order = dialect === 'duckdb' ? 'ORDER BY file, line' : 'ORDER BY t, src';
  if (def.flags.needsState) {
    const s = scanSpec(config);
    ctes.push(...scanCtes(p, s));
    const cols =
      dialect === 'duckdb'
        ? `h.kind, h.file, h.line, f.t AS start, f.src AS srcaddr, f.dst AS dstaddr, f.dport AS dstport, h.n AS reached, count(*) OVER () AS hits_total\nFROM scan_hits h JOIN flows f ON f.line = h.line AND f.file IS NOT DISTINCT FROM h.file\nORDER BY h.file, h.line, h.kind DESC`
        : `kind, file, t AS start, src AS srcaddr, dst AS dstaddr, dport AS dstport, n AS reached, count(*) OVER () AS hits_total\nFROM scan_hits\nORDER BY t, src, kind DESC`;
    return withCtes(ctes, `SELECT ${cols};`);
  }
  if (needsScan(pred)) ctes.push(...scanCtes(p, scanSpec(config)));
  const rel = needsScan(pred) ? 'scanned' : 'flows';
  return withCtes(
    ctes,
    `SELECT file, line, t AS start, src AS srcaddr, dst AS dstaddr, sport AS srcport, dport AS dstport, proto AS protocol, count(*) OVER () AS hits_total\nFROM ${rel}\nWHERE ${bare(p.pred(pred))}\n${order};`,
  );
}

/** The dashboard table `t` as one query. */
export function tableSql(dialect: SqlDialect, src: SqlSource, t: TableDef, config: AnalysisConfig): string {
  const p = new Printer(dialect, src);
  const ctes = flowsCtes(p);
  switch (t.kind) {
    case 'totals':
      return withCtes(
        ctes,
        `SELECT\n  count(*) AS records,\n  ${['ACCEPT', 'REJECT', 'NODATA', 'SKIPDATA'].map((s) => `SUM(CASE WHEN status = '${s}' THEN 1 ELSE 0 END) AS ${s === 'ACCEPT' ? 'accepted' : s === 'REJECT' ? 'rejected' : s === 'NODATA' ? 'nodata' : 'skipdata'}`).join(',\n  ')},\n  SUM(CASE WHEN status IS NULL THEN 1 ELSE 0 END) AS other,\n  COALESCE(SUM(CASE WHEN status IN ('ACCEPT', 'REJECT') THEN bytes END), 0) AS ${p.id('bytes')},\n  COALESCE(SUM(CASE WHEN status IN ('ACCEPT', 'REJECT') THEN packets END), 0) AS ${p.id('packets')},\n  min(t) AS first_start,\n  max(t) AS last_start\nFROM flows;`,
      );
    case 'top': {
      const key = t.key as string;
      const rank = t.rankBy === 'bytes' ? 'bytes' : 'flows';
      return withCtes(
        ctes,
        `SELECT ${key} AS ${p.id('key')}, count(*) AS flows, SUM(bytes) AS ${p.id('bytes')}, SUM(packets) AS ${p.id('packets')}\nFROM flows\nWHERE ${bare(p.pred(topPred(t)))}\nGROUP BY ${key}\nORDER BY ${rank === 'flows' ? 'count(*)' : 'SUM(bytes)'} DESC, ${key} ASC\nLIMIT ${config.topN};`,
      );
    }
    case 'series': {
      const sizes = BUCKET_SIZES.map((s) => `(${s})`).join(', ');
      const section = t.dimension === 'time' ? 'ACCEPT' : 'REJECT';
      ctes.push(
        `bucket_sizes AS (\n  -- The analyzer's bucket sizes (1 s, 5 s, ... 1 week, then doubling): the smallest that keeps each series (accepted\n  -- and rejected) under ${config.maxTimeBuckets} points, the larger of the two for both.\n  SELECT s FROM (VALUES ${sizes}) AS v (s)\n)`,
        `bucket_bounds AS (\n  SELECT status, min(t) AS lo, max(t) AS hi FROM flows WHERE status IN ('ACCEPT', 'REJECT') AND t IS NOT NULL GROUP BY status\n)`,
        `bucket AS (\n  SELECT COALESCE(max(size), 1) AS size FROM (\n    SELECT b.status, min(s) AS size FROM bucket_bounds b, bucket_sizes\n    WHERE floor(b.hi / s) - floor(b.lo / s) + 1 <= ${config.maxTimeBuckets}\n    GROUP BY b.status\n  ) z\n)`,
      );
      return withCtes(
        ctes,
        `SELECT t - t % bucket.size AS bucket_start, bucket.size AS bucket_seconds, count(*) AS flows, SUM(bytes) AS ${p.id('bytes')}, SUM(packets) AS ${p.id('packets')}\nFROM flows, bucket\nWHERE status = '${section}' AND t IS NOT NULL\nGROUP BY t - t % bucket.size, bucket.size\nORDER BY bucket_start;`,
      );
    }
    case 'mitre': {
      const s = scanSpec(config);
      ctes.push(...scanCtes(p, s));
      const parts: string[] = [];
      for (const m of mitreSources(config)) {
        parts.push(
          `  SELECT ${sqlString(m.mitre.technique)} AS technique, ${sqlString(m.mitre.techniqueName)} AS technique_name, ${sqlString(m.mitre.tactic)} AS tactic, ${sqlString(m.mitre.tacticId)} AS tactic_id, src, file, line FROM scanned WHERE ${bare(p.pred(m.pred))}`,
        );
      }
      if (s.mitre !== null) {
        const m = s.mitre;
        for (const flag of ['scan_v', 'scan_h']) {
          parts.push(
            `  SELECT ${sqlString(m.technique)}, ${sqlString(m.techniqueName)}, ${sqlString(m.tactic)}, ${sqlString(m.tacticId)}, src, file, line FROM scanned WHERE ${flag}`,
          );
        }
      }
      ctes.push(
        `mitre_events AS (\n  -- One row per hit: each MITRE-mapped trigger a record fires; a port scan once per kind detected.\n${parts.join('\n  UNION ALL\n')}\n)`,
      );
      return withCtes(
        ctes,
        `SELECT technique, technique_name, tactic, tactic_id, count(*) AS hits, count(DISTINCT src) AS sources\nFROM mitre_events\nGROUP BY technique, technique_name, tactic, tactic_id\nORDER BY hits DESC, technique;`,
      );
    }
    case 'scans': {
      const s = scanSpec(config);
      ctes.push(...scanCtes(p, s));
      const body =
        dialect === 'duckdb'
          ? `SELECT h.kind, h.file, h.line, f.t AS start, f.src AS srcaddr, f.dst AS dstaddr, f.dport AS dstport, h.n AS reached\nFROM scan_hits h JOIN flows f ON f.line = h.line AND f.file IS NOT DISTINCT FROM h.file\nORDER BY h.file, h.line, h.kind DESC;`
          : `SELECT kind, file, t AS start, src AS srcaddr, dst AS dstaddr, dport AS dstport, n AS reached\nFROM scan_hits\nORDER BY t, src, kind DESC;`;
      return withCtes(ctes, body);
    }
  }
}
