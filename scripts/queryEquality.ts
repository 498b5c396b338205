// Checks one flow-log file at scale: for every trigger, the DuckDB statement `vpcflow query --engine duckdb --from
// <file> --trigger <id>` prints returns the analyzer's count (`vpcflow analyze --json`) and the same stored hit lines.
// The unit suite runs the same comparison on smaller generated logs (test/cli/queryDuckdb.test.ts); this script is
// for the million-line bench files, which take minutes per trigger on a busy machine:
//   node esbuild.mjs && npx tsx scripts/queryEquality.ts bench-data/realistic-1000000-v1.log
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

interface Summary {
  triggers: { id: string; count: number; hits: { line: number }[] }[];
}

async function run(file: string): Promise<number> {
  const bin = join(__dirname, '..', 'bin', 'vpcflow.js');
  const cli = (args: string[]): string =>
    execFileSync(process.execPath, [bin, ...args], { maxBuffer: 1 << 30 }).toString();
  const summary = JSON.parse(cli(['analyze', '--json', file])) as Summary;
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  let bad = 0;
  for (const t of summary.triggers) {
    const sql = cli(['query', '--engine', 'duckdb', '--from', file, '--trigger', t.id]);
    const started = Date.now();
    const r = await c.runAndReadAll(sql);
    const lines = (r.getRowObjectsJson() as { line: unknown }[]).slice(0, t.hits.length).map((x) => Number(x.line));
    const same = lines.length === t.hits.length && lines.every((l, i) => l === t.hits[i]!.line);
    if (r.currentRowCount !== t.count || !same) bad++;
    console.log(
      `${t.id.padEnd(20)} analyzer ${String(t.count).padStart(8)}  duckdb ${String(r.currentRowCount).padStart(8)}  hit lines ${same ? 'same' : 'DIFFER'}  ${Date.now() - started} ms`,
    );
  }
  c.closeSync();
  return bad === 0 ? 0 : 1;
}

const file = process.argv[2];
if (file === undefined) {
  console.error('usage: npx tsx scripts/queryEquality.ts <flow-log file>');
  process.exit(1);
}
run(file).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
