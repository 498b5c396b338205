// The CloudWatch Logs Insights printer: the same predicates and groupings as the SQL (plan.ts), over the fields
// Insights discovers in the default format, or over fields parsed from @message in the log's own order for any
// other format. What Insights cannot express exactly (the port-scan window, the analyzer's bucket sizes) is said in
// `#` comments. PURE: no vscode, no DOM, no Node built-ins.

import type { AnalysisConfig } from '../analysis/config';
import type { TriggerDef } from '../analysis/triggers';
import { DEFAULT_V2_FIELDS } from '../format';
import type { FlowFormat } from '../types';
import { columnName } from './sql';
import {
  mitreSources,
  needsScan,
  scanSpec,
  SERVICE_PORTS_ABOVE_1023,
  topPred,
  triggerPred,
  type Pred,
  type TableDef,
} from './plan';
import { ident, QueryError } from './quote';

/** The names Insights gives the default format's fields (discovered automatically in VPC flow logs). */
const DISCOVERED: Readonly<Record<string, string>> = {
  version: 'version',
  'account-id': 'accountId',
  'interface-id': 'interfaceId',
  srcaddr: 'srcAddr',
  dstaddr: 'dstAddr',
  srcport: 'srcPort',
  dstport: 'dstPort',
  protocol: 'protocol',
  packets: 'packets',
  bytes: 'bytes',
  start: 'start',
  end: 'end',
  action: 'action',
  'log-status': 'logStatus',
};

/** Whether Insights discovers this format's fields by itself (the default format, in AWS's order). */
export function discovered(format: FlowFormat): boolean {
  return format.fields.length === DEFAULT_V2_FIELDS.length && format.fields.every((f, i) => f === DEFAULT_V2_FIELDS[i]);
}

class InsightsPrinter {
  readonly auto: boolean;
  constructor(readonly format: FlowFormat) {
    this.auto = discovered(format);
  }

  field(name: string): string {
    if (!this.format.fields.includes(name))
      throw new QueryError(`the log format has no ${name} field, which this query needs`);
    return ident('insights', this.auto ? (DISCOVERED[name] as string) : columnName(name));
  }

  /** `parse @message` in the log's field order (custom formats). */
  parse(): string[] {
    if (this.auto) return [];
    const names = this.format.fields.map((f) => ident('insights', columnName(f)));
    return [`parse @message "${this.format.fields.map(() => '*').join(' ')}" as ${names.join(', ')}`];
  }

  has(name: string): boolean {
    return this.format.fields.includes(name);
  }

  pred(p: Pred): string {
    switch (p.k) {
      case 'status':
        return `${this.field('action')} = "${p.value}"`;
      case 'in': {
        const f = this.field(p.col === 'proto' ? 'protocol' : 'dstport');
        return p.values.length === 1 ? `${f} = ${p.values[0]!}` : `${f} in [${p.values.join(', ')}]`;
      }
      case 'reply': {
        if (!this.has('srcport') || !this.has('dstport') || !this.has('protocol')) return p.value ? 'false' : 'true';
        const sp = this.field('srcport');
        const dp = this.field('dstport');
        const svc = SERVICE_PORTS_ABOVE_1023.join(', ');
        const reply = `(${this.field('protocol')} in [6, 17] and (${sp} < 1024 or (${sp} < 32768 and ${sp} in [${svc}])) and ${dp} >= 1024 and ${dp} <= 65535 and (${dp} >= 32768 or ${dp} not in [${svc}]))`;
        return p.value ? reply : `not ${reply}`;
      }
      case 'present': {
        const name =
          p.col === 'src'
            ? 'srcaddr'
            : p.col === 'dst'
              ? 'dstaddr'
              : p.col === 't'
                ? 'start'
                : p.col === 'proto'
                  ? 'protocol'
                  : 'dstport';
        const f = this.field(name);
        return `ispresent(${f}) and ${f} != "-"`;
      }
      case 'and':
      case 'or':
        return `(${p.args.map((a) => this.pred(a)).join(p.k === 'and' ? ' and ' : ' or ')})`;
      case 'false':
        return 'false';
      case 'scan':
        throw new QueryError('the port-scan window cannot be a per-record Insights filter');
    }
  }
}

function unwrap(s: string): string {
  return s.startsWith('(') && s.endsWith(')') && !/\)\s*(and|or)\s*\(/.test(s.slice(1, -1)) ? s.slice(1, -1) : s;
}

function scanQueries(p: InsightsPrinter, config: AnalysisConfig): string {
  const s = scanSpec(config);
  const elig = unwrap(p.pred(s.eligible));
  const src = p.field('srcaddr');
  const dst = p.field('dstaddr');
  const dp = p.field('dstport');
  return [
    `# APPROXIMATE: Insights has no record order or sliding windows. Fixed ${s.windowSeconds}-second bins of @timestamp stand in for`,
    `# the analyzer's window (${s.windowSeconds} s of flow start time, once per window), and count_distinct is an estimate.`,
    `# Vertical scans: one source reaching at least ${s.distinctPorts} distinct ports on one host.`,
    ...p.parse(),
    `| filter ${elig}`,
    `| stats count_distinct(${dp}) as ports by ${src}, ${dst}, bin(${s.windowSeconds}s) as window`,
    `| filter ports >= ${s.distinctPorts}`,
    `| sort ports desc`,
    '',
    `# Horizontal scans: one source reaching one port on at least ${s.distinctHosts} distinct hosts (run separately).`,
    `# ${[...p.parse(), `| filter ${elig}`, `| stats count_distinct(${dst}) as hosts by ${src}, ${dp}, bin(${s.windowSeconds}s) as window`, `| filter hosts >= ${s.distinctHosts}`, '| sort hosts desc'].join(' ')}`,
  ]
    .join('\n')
    .replace(/^\| /m, (m) => (p.auto ? '' : m));
}

/** A query's lines: the parse command (custom formats), then the pipeline. */
function pipeline(p: InsightsPrinter, steps: string[]): string {
  const lines = [...p.parse(), ...steps];
  return lines.map((l, i) => (i === 0 && l.startsWith('| ') ? l.slice(2) : l)).join('\n');
}

export function insightsTrigger(format: FlowFormat, def: TriggerDef, config: AnalysisConfig): string {
  const p = new InsightsPrinter(format);
  const pred = triggerPred(def, config);
  if (def.flags.needsState) return scanQueries(p, config);
  const notes: string[] = [];
  let where = pred;
  if (needsScan(pred)) {
    // The derived trigger: the single-record MITRE-mapped triggers here; port scans from the port-scan query.
    notes.push('# Port scans also count here: run the port-scan query for those (Insights cannot join its window).');
    where = {
      k: 'or',
      args: mitreSources(config).map((m) => m.pred),
    };
  }
  const keys = ['srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol'].filter((f) => p.has(f)).map((f) => p.field(f));
  const hits = pipeline(p, [
    `| filter ${unwrap(p.pred(where))}`,
    `| fields @timestamp, ${keys.join(', ')}`,
    '| sort @timestamp asc',
    '| limit 10000',
  ]);
  const count = pipeline(p, [`| filter ${unwrap(p.pred(where))}`, '| stats count(*) as hits']);
  return [...notes, hits, '', '# Count of hits (run separately):', ...count.split('\n').map((l) => `# ${l}`)].join(
    '\n',
  );
}

export function insightsTable(format: FlowFormat, t: TableDef, config: AnalysisConfig): string {
  const p = new InsightsPrinter(format);
  const sums = `count(*) as flows, sum(${p.field('bytes')}) as bytes_total, sum(${p.field('packets')}) as packets_total`;
  switch (t.kind) {
    case 'totals':
      return pipeline(p, [
        `| stats count(*) as records, ${sums.replace('count(*) as flows, ', '')} by ${p.field('action')}, ${p.field('log-status')}`,
      ]);
    case 'top': {
      const key = p.field(t.key === 'src' ? 'srcaddr' : t.key === 'proto' ? 'protocol' : 'dstport');
      return pipeline(p, [
        `| filter ${unwrap(p.pred(topPred(t)))}`,
        `| stats ${sums} by ${key}`,
        `| sort ${t.rankBy === 'bytes' ? 'bytes_total' : 'flows'} desc`,
        `| limit ${config.topN}`,
      ]);
    }
    case 'series':
      return [
        `# APPROXIMATE bins: Insights bins @timestamp (the ingestion time of the log event), and the bin size is fixed here;`,
        `# the analyzer buckets flow start times and picks the bucket size that keeps the range under ${config.maxTimeBuckets} points.`,
        pipeline(p, [
          `| filter ${p.field('action')} = "${t.dimension === 'time' ? 'ACCEPT' : 'REJECT'}"`,
          `| stats ${sums} by bin(5m)`,
        ]),
      ].join('\n');
    case 'mitre': {
      const parts = mitreSources(config).map((m) =>
        [
          `# ${m.mitre.technique} ${m.mitre.techniqueName} (${m.mitre.tactic}) from ${m.trigger.id}`,
          pipeline(p, [
            `| filter ${unwrap(p.pred(m.pred))}`,
            `| stats count(*) as hits, count_distinct(${p.field('srcaddr')}) as sources`,
          ]),
        ].join('\n'),
      );
      return [
        '# One query per MITRE-mapped trigger (Insights has no UNION); add the rows of one technique together.',
        '# Port scans (T1046): see the port-scan query, which is approximate in Insights.',
        ...parts,
      ].join('\n\n');
    }
    case 'scans':
      return scanQueries(p, config);
  }
}
