// The query compiler (pure): quoting and validation, the Athena SQL parsed by node-sql-parser (Trino) with the same
// predicates and groupings as the DuckDB query, and the metric-filter patterns applied to fixture records.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pkg from 'node-sql-parser';
import { analyzeText } from '../../../src/core/analysis/analyzer';
import { DEFAULT_ANALYSIS_CONFIG } from '../../../src/core/analysis/config';
import { triggerDef } from '../../../src/core/analysis/triggers';
import { ALPHABETICAL_29, DEFAULT_V2, makeFormat } from '../../../src/core/format';
import {
  compileQuery,
  exportQueries,
  QueryError,
  queryTargets,
  type QueryRequest,
} from '../../../src/core/query/index';
import { metricFilters } from '../../../src/core/query/metricFilter';
import { ident } from '../../../src/core/query/quote';

const { Parser } = pkg as unknown as { Parser: new () => { astify(sql: string, o: { database: string }): unknown } };
const FIX = join(__dirname, '..', '..', 'fixtures');
const base = { format: DEFAULT_V2, config: DEFAULT_ANALYSIS_CONFIG };

describe('query: quoting and validation', () => {
  it('quotes reserved and hyphenated names per dialect', () => {
    assert.equal(ident('trino', 'end'), '"end"');
    assert.equal(ident('duckdb', 'end'), '"end"');
    assert.equal(ident('hive', 'end'), '`end`');
    assert.equal(ident('trino', 'srcaddr'), 'srcaddr');
    assert.equal(ident('trino', 'log-status'), '"log-status"');
    assert.equal(ident('insights', 'log-status'), '`log-status`');
    assert.equal(ident('insights', 'log_status'), 'log_status');
    const ddl = compileQuery({ ...base, engine: 'athena' });
    assert.match(ddl, /^ {2}`end` bigint,$/m);
    assert.match(ddl, /^ {2}log_status string$/m);
  });

  for (const bad of ["flows'; DROP TABLE x", 'a;b', 'two\nlines', 'a"b', 'a b']) {
    it(`refuses the table name ${JSON.stringify(bad)} with a clear error`, () => {
      assert.throws(
        () => compileQuery({ ...base, engine: 'athena', tableName: bad, trigger: 'ssh-blocked' }),
        (e: unknown) => e instanceof QueryError && /table name/.test(e.message),
      );
    });
  }
  for (const bad of [
    "s3://bucket/x';--",
    's3://bucket/a;b',
    's3://bucket/a\nb',
    'https://bucket/',
    's3://bucket/a"b',
  ]) {
    it(`refuses the location ${JSON.stringify(bad)} with a clear error`, () => {
      assert.throws(
        () => compileQuery({ ...base, engine: 'athena', location: bad }),
        (e: unknown) => e instanceof QueryError && /location/.test(e.message),
      );
    });
  }
  it('refuses a path with a newline, and doubles quotes in a path', () => {
    assert.throws(() => compileQuery({ ...base, engine: 'duckdb', from: 'a\nb', trigger: 'ssh-blocked' }), QueryError);
    assert.match(compileQuery({ ...base, engine: 'duckdb', from: "it's.log", trigger: 'ssh-blocked' }), /'it''s\.log'/);
  });
  it('refuses unknown triggers and tables, and a port out of range', () => {
    assert.throws(() => compileQuery({ ...base, engine: 'duckdb', trigger: 'nope' }), /unknown trigger 'nope'/);
    assert.throws(() => compileQuery({ ...base, engine: 'duckdb', table: 'nope' }), /unknown table 'nope'/);
    const config = {
      ...DEFAULT_ANALYSIS_CONFIG,
      ports: { ...DEFAULT_ANALYSIS_CONFIG.ports, 'ssh-blocked': { tcp: [70000], udp: [] } },
    };
    assert.throws(
      () => compileQuery({ ...base, config, engine: 'athena', trigger: 'ssh-blocked' }),
      /70000 is not an integer/,
    );
  });
});

/** The last top-level WHERE and GROUP BY of a query's text (the final SELECT). */
function finalClauses(sql: string): string {
  const body = sql.slice(sql.lastIndexOf('\nSELECT '));
  const where = /\nWHERE ([\s\S]*?)(\n(GROUP BY|ORDER BY)|;)/.exec(body)?.[1] ?? 'TRUE';
  const group = /\nGROUP BY ([\s\S]*?)\n/.exec(body)?.[1];
  return `SELECT 1 FROM flows WHERE ${where}${group ? ` GROUP BY ${group}` : ''}`;
}

describe('query: Athena SQL', () => {
  const parser = new Parser();
  for (const t of queryTargets()) {
    it(`${t.kind} ${t.id}: parses as Trino, with the DuckDB query's predicates and groupings`, () => {
      const req = { ...base, [t.kind]: t.id } as Omit<QueryRequest, 'engine'>;
      const athena = compileQuery({ ...req, engine: 'athena' });
      const duck = compileQuery({ ...req, engine: 'duckdb' });
      parser.astify(athena.replace(/^--.*$/gm, ''), { database: 'trino' });
      const a = parser.astify(finalClauses(athena), { database: 'trino' }) as { where: unknown; groupby: unknown };
      const d = parser.astify(finalClauses(duck), { database: 'trino' }) as { where: unknown; groupby: unknown };
      assert.deepEqual(a.where, d.where);
      assert.deepEqual(a.groupby, d.groupby);
    });
  }
  it("CREATE EXTERNAL TABLE names the format's columns in its order (checked as a plain CREATE TABLE: node-sql-parser has no Hive DDL)", () => {
    for (const format of [DEFAULT_V2, ALPHABETICAL_29]) {
      const ddl = compileQuery({ ...base, format, engine: 'athena' }).split('\n\n')[0]!;
      const cols = /\(\n([\s\S]*?)\n\)/
        .exec(ddl)![1]!
        .replace(/`/g, '"')
        .replace(/ string(,?)$/gm, ' VARCHAR$1');
      const ast = parser.astify(`CREATE TABLE t (${cols})`, { database: 'trino' }) as {
        create_definitions: { column: { column: string | { expr: { value: string } } } }[];
      };
      const names = ast.create_definitions.map((c) =>
        typeof c.column.column === 'string' ? c.column.column : c.column.column.expr.value,
      );
      assert.deepEqual(
        names,
        format.fields.map((f) => f.replace(/-/g, '_')),
      );
    }
  });
  it('partition projection for the S3 and Hive layouts; Parquet has no header to skip', () => {
    const s3 = compileQuery({
      ...base,
      engine: 'athena',
      partitioned: 's3',
      location: 's3://my-bucket/AWSLogs/123456789012/vpcflowlogs/us-east-1/',
    });
    assert.match(
      s3,
      /'storage\.location\.template' = 's3:\/\/my-bucket\/AWSLogs\/123456789012\/vpcflowlogs\/us-east-1\/\$\{day\}'/,
    );
    assert.match(s3, /'skip\.header\.line\.count' = '1'/);
    const hive = compileQuery({
      ...base,
      engine: 'athena',
      partitioned: 'hive',
      parquet: true,
      location: 's3://my-bucket/flows/',
    });
    assert.match(hive, /year=\$\{year\}\/month=\$\{month\}\/day=\$\{day\}\/hour=\$\{hour\}/);
    assert.match(hive, /STORED AS PARQUET/);
    assert.doesNotMatch(hive, /skip\.header/);
  });
});

/** Applies a space-delimited pattern's field tests to one record line. */
function matches(pattern: string, line: string): boolean {
  const slots = pattern.slice(1, -1).split(', ');
  const tokens = line.trim().split(/\s+/);
  if (tokens.length !== slots.length) return false;
  return slots.every((slot, i) => {
    if (!slot.includes('=')) return true;
    return slot.split(' || ').some((test) => {
      const v = test.slice(test.indexOf('=') + 1);
      return v.startsWith('"') ? tokens[i] === v.slice(1, -1) : Number(tokens[i]) === Number(v) && tokens[i] !== '-';
    });
  });
}

describe('query: metric filters', () => {
  for (const file of ['dashboard-demo.log', 'aws-examples-default.log']) {
    const name = file;
    it(`each trigger's patterns, applied to ${name}'s records, give the analyzer's count`, () => {
      const text = readFileSync(join(FIX, file), 'utf8');
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      const header = /^[a-z]/.test(lines[0]!) ? lines.shift()!.split(' ') : null;
      const format = header ? makeFormat(header, { source: 'header' }) : DEFAULT_V2;
      const summary = analyzeText(text);
      const filters = metricFilters(format, DEFAULT_ANALYSIS_CONFIG);
      assert.ok(filters.length >= 5);
      for (const id of new Set(filters.map((f) => f.trigger.id))) {
        const mine = filters.filter((f) => f.trigger.id === id);
        const count = lines.filter((l) => mine.some((f) => matches(f.pattern, l))).length;
        assert.equal(count, summary.triggers.find((t) => t.id === id)!.count, id);
      }
    });
  }
  it("names every field in the log's order, and refuses port-scan", () => {
    const [ssh] = metricFilters(ALPHABETICAL_29, DEFAULT_ANALYSIS_CONFIG);
    assert.equal(
      ssh!.pattern
        .slice(1, -1)
        .split(', ')
        .map((s) => s.replace(/=.*/, ''))
        .join(' '),
      ALPHABETICAL_29.fields.map((f) => f.replace(/-/g, '_')).join(' '),
    );
    assert.throws(
      () => compileQuery({ ...base, engine: 'metric-filter', trigger: 'port-scan' }),
      /a port scan needs a window/,
    );
    assert.ok(triggerDef('port-scan'));
    const tf = exportQueries({ ...base, engine: 'metric-filter', metricFilterFlavor: 'terraform' })[0]!.text;
    assert.match(tf, /resource "aws_cloudwatch_log_metric_filter" "ssh_blocked_tcp"/);
    assert.match(tf, /pattern {8}= "\[version, account_id, .*action=\\"REJECT\\", log_status\]"/);
  });
});

describe('query: Logs Insights', () => {
  it("uses discovered fields for the default format and parse @message in the log's order otherwise", () => {
    const d = compileQuery({ ...base, engine: 'insights', trigger: 'ssh-blocked' });
    assert.doesNotMatch(d, /parse @message/);
    assert.match(d, /dstPort = 22/);
    const a = compileQuery({ ...base, format: ALPHABETICAL_29, engine: 'insights', trigger: 'ssh-blocked' });
    assert.match(
      a,
      new RegExp(
        `parse @message "${ALPHABETICAL_29.fields.map(() => '\\*').join(' ')}" as ${ALPHABETICAL_29.fields.map((f) => f.replace(/-/g, '_')).join(', ')}`,
      ),
    );
    assert.match(compileQuery({ ...base, engine: 'insights', trigger: 'port-scan' }), /APPROXIMATE/);
  });
});
