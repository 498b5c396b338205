// Proven equal: the DuckDB SQL `vpcflow query --engine duckdb --from <input>` prints, run by DuckDB over the same
// input, gives every trigger count (and hit lines), every exact dashboard figure and every port scan the analyzer
// gives. Inputs: the default, custom-header and 29-field alphabetical fixtures, the generated demo log (port scans,
// brute force), 20 000 generated realistic and 10 000 alphabetical lines (scripts/benchData.ts's generators; the
// million-line bench files take many minutes per query set on this shared 2-core machine, so the unit suite uses
// these smaller outputs of the same generators) and a Parquet file written by
// DuckDB with AWS's underscore column names.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { benchLines } from '../../scripts/benchData';
import { runQuery } from '../../src/cli/query';
import { analyzeText } from '../../src/core/analysis/analyzer';
import { TRIGGERS } from '../../src/core/analysis/triggers';
import { DEFAULT_V2_FIELDS } from '../../src/core/format';
import { TABLES } from '../../src/core/query/plan';
import { capturedIo } from './capturedIo';
import type { AnalysisSummary, TopTable } from '../../src/shared/summary';

const ROOT = join(__dirname, '..', '..');
const FIX = join(ROOT, 'test', 'fixtures');

async function query(args: string[]): Promise<string> {
  const c = capturedIo();
  const code = await runQuery(args, c.io);
  assert.equal(code, 0, c.err);
  return c.out;
}

type Row = Record<string, unknown>;

async function rows(c: DuckDBConnection, sql: string): Promise<Row[]> {
  const r = await c.runAndReadAll(sql);
  return r.getRowObjectsJson();
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Rows strictly heavier than the last row (ties at the cut may differ in which keys are kept). */
function aboveCut(t: TopTable, by: 'flows' | 'bytes'): TopTable['rows'] {
  const last = t.rows[t.rows.length - 1];
  return last === undefined ? [] : t.rows.filter((r) => r[by] > last[by]);
}

function sectionOf(s: AnalysisSummary, where: string): unknown {
  return where.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], s);
}

async function checkInput(
  c: DuckDBConnection,
  file: string,
  summary: AnalysisSummary,
  opts: { lines: boolean },
): Promise<void> {
  for (const def of TRIGGERS) {
    const sql = await query(['--engine', 'duckdb', '--from', file, '--trigger', def.id]);
    const got = await rows(c, sql);
    const want = summary.triggers.find((t) => t.id === def.id)!;
    assert.equal(got.length, want.count, `${def.id}: rows vs analyzer count in ${file}`);
    if (opts.lines) {
      const lines = got.slice(0, want.hits.length).map((r) => n(r.line));
      assert.deepEqual(
        lines,
        want.hits.map((h) => h.line),
        `${def.id}: hit lines in ${file}`,
      );
      if (def.flags.needsState) {
        const kinds = got.slice(0, want.hits.length).map((r) => String(r.kind));
        assert.deepEqual(
          kinds,
          want.hits.map((h) => (/vertical/.test(h.description) ? 'vertical' : 'horizontal')),
          `${def.id}: kinds`,
        );
      }
    }
  }
  for (const t of TABLES) {
    const sql = await query(['--engine', 'duckdb', '--from', file, '--table', t.id]);
    const got = await rows(c, sql);
    switch (t.kind) {
      case 'totals': {
        const r = got[0]!;
        const s = summary.totals;
        assert.deepEqual(
          [
            n(r.records),
            n(r.accepted),
            n(r.rejected),
            n(r.nodata),
            n(r.skipdata),
            n(r.other),
            n(r.bytes),
            n(r.packets),
          ],
          [s.records, s.accepted, s.rejected, s.noData, s.skipData, s.other, s.bytes, s.packets],
          `totals of ${file}`,
        );
        break;
      }
      case 'top': {
        const table = sectionOf(summary, t.summary) as TopTable;
        const by = t.rankBy as 'flows' | 'bytes';
        assert.equal(got.length, table.rows.length, `${t.id}: row count in ${file}`);
        const exact = aboveCut(table, by);
        assert.deepEqual(
          got.slice(0, exact.length).map((r) => [String(r.key), n(r.flows), n(r.bytes), n(r.packets)]),
          exact.map((r) => [r.key, r.flows, r.bytes, r.packets]),
          `${t.id} in ${file}`,
        );
        break;
      }
      case 'series': {
        const series = t.dimension === 'time' ? summary.network.overTime : summary.security.overTime;
        const points = series.points.filter((p) => p.flows > 0);
        assert.deepEqual(
          got.map((r) => [n(r.bucket_start), n(r.flows), n(r.bytes), n(r.packets)]),
          points.map((p) => [p.t, p.flows, p.bytes, p.packets]),
          `${t.id} in ${file}`,
        );
        if (got.length > 0) assert.equal(n(got[0]!.bucket_seconds), series.bucketSeconds, `${t.id} bucket size`);
        break;
      }
      case 'mitre': {
        const key = (a: [string, number, number][]): [string, number, number][] =>
          a.sort((x, y) => (x[0] < y[0] ? -1 : 1));
        assert.deepEqual(
          key(got.map((r) => [String(r.technique), n(r.hits), n(r.sources)])),
          key(summary.security.mitre.map((m) => [m.technique, m.hits, m.sources])),
          `mitre in ${file}`,
        );
        break;
      }
      case 'scans': {
        const scan = summary.triggers.find((x) => x.id === TRIGGERS.find((d) => d.flags.needsState)!.id)!;
        assert.equal(got.length, scan.count, `port scans in ${file}`);
        if (opts.lines) {
          assert.deepEqual(
            got.slice(0, scan.hits.length).map((r) => [n(r.line), String(r.srcaddr), String(r.dstaddr), n(r.dstport)]),
            scan.hits.map((h) => [h.line, h.srcaddr, h.dstaddr, h.dstport]),
            `port scans in ${file}`,
          );
        }
        break;
      }
    }
  }
}

describe('cli: vpcflow query --engine duckdb equals the analyzer', function () {
  this.timeout(600_000);
  let db: DuckDBInstance;
  let c: DuckDBConnection;
  let dir: string;

  before(async () => {
    db = await DuckDBInstance.create(':memory:');
    c = await db.connect();
    dir = mkdtempSync(join(tmpdir(), 'vpcflow-query-'));
  });
  after(() => {
    c?.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  const fixtures: [string, string][] = [
    ['default format, no header', join(FIX, 'aws-examples-default.log')],
    ['custom format with a header', join(FIX, 'dashboard-demo.log')],
    ['the 29-field alphabetical layout (S3, SKIPDATA)', join(FIX, 's3-alphabetical-skipdata.log')],
    ['a custom v3 header, with a doubled space in a record', join(FIX, 'custom-v3-tcp-flags.log')],
    ['the generated demo log (brute force, scans)', join(ROOT, 'demo', 'busy-vpc.log')],
  ];
  for (const [name, file] of fixtures) {
    it(`${name}: every trigger, table and port scan`, async () => {
      await checkInput(c, file, analyzeText(readFileSync(file, 'utf8')), { lines: true });
    });
  }

  it('20 000 generated realistic lines (scripts/benchData.ts) and 10 000 alphabetical ones', async () => {
    for (const [profile, count] of [
      ['realistic', 20_000],
      ['alphabetical', 10_000],
    ] as const) {
      const text = benchLines(profile, count, 7).join('\n') + '\n';
      const file = join(dir, `${profile}.log`);
      writeFileSync(file, text);
      await checkInput(c, file, analyzeText(text), { lines: true });
    }
  });

  it('Parquet with AWS column names (written by DuckDB COPY) gives the text figures', async () => {
    const src = join(ROOT, 'demo', 'busy-vpc.log');
    // AWS's Parquet column names: the default format's fields with underscores.
    const fields = DEFAULT_V2_FIELDS.map((f) => f.replace(/-/g, '_'));
    const types: Record<string, string> = {
      version: 'INTEGER',
      srcport: 'INTEGER',
      dstport: 'INTEGER',
      protocol: 'INTEGER',
      packets: 'BIGINT',
      bytes: 'BIGINT',
      start: 'BIGINT',
      end: 'BIGINT',
    };
    const file = join(dir, 'busy-vpc.parquet');
    const cols = fields.map((f) => `'${f}': 'VARCHAR'`).join(', ');
    const sel = fields.map((f) => (types[f] ? `TRY_CAST("${f}" AS ${types[f]}) AS "${f}"` : `"${f}"`)).join(', ');
    await c.run(
      `COPY (SELECT ${sel} FROM read_csv('${src}', delim = ' ', header = false, auto_detect = false, columns = {${cols}})) TO '${file}' (FORMAT parquet)`,
    );
    // The figures (not the lines: a Parquet row's line counts the header line the reader yields first).
    await checkInput(c, file, analyzeText(readFileSync(src, 'utf8')), { lines: false });
  });
});
