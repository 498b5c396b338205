// The DuckDB side of the many-input bench (benchInputs.ts): the dashboard tables of `vpcflow analyze` (totals by
// action and status, protocols, destination ports, talkers and conversations of accepted traffic, blocked sources
// and ports, both time series, the port triggers) computed with read_csv over a folder of .log.gz objects (all
// cores: DuckDB's own threads). `node bench-data/bench-duckdb.cjs <folder>`; prints row counts as JSON.
import { DuckDBInstance } from '@duckdb/node-api';

const COLUMNS = `{'version': 'INTEGER', 'account_id': 'VARCHAR', 'interface_id': 'VARCHAR', 'srcaddr': 'VARCHAR',
  'dstaddr': 'VARCHAR', 'srcport': 'INTEGER', 'dstport': 'INTEGER', 'protocol': 'INTEGER', 'packets': 'BIGINT',
  'bytes': 'BIGINT', 'start': 'BIGINT', 'end': 'BIGINT', 'action': 'VARCHAR', 'log_status': 'VARCHAR'}`;

const TABLES = [
  `SELECT count(*) AS records, count(*) FILTER (action = 'ACCEPT') AS accepted, count(*) FILTER (action = 'REJECT') AS rejected,
     count(*) FILTER (log_status = 'NODATA') AS nodata, count(*) FILTER (log_status = 'SKIPDATA') AS skipdata,
     sum(bytes) AS bytes, sum(packets) AS packets, min(start) AS t0, max("end") AS t1 FROM flows`,
  `SELECT protocol, count(*) f, sum(bytes) b, sum(packets) p FROM flows WHERE action = 'ACCEPT' GROUP BY 1 ORDER BY f DESC LIMIT 20`,
  `SELECT dstport, count(*) f, sum(bytes) b FROM flows WHERE action = 'ACCEPT' GROUP BY 1 ORDER BY f DESC LIMIT 20`,
  `SELECT srcaddr, count(*) f, sum(bytes) b FROM flows WHERE action = 'ACCEPT' GROUP BY 1 ORDER BY b DESC LIMIT 20`,
  `SELECT srcaddr, dstaddr, count(*) f, sum(bytes) b FROM flows WHERE action = 'ACCEPT' GROUP BY 1, 2 ORDER BY b DESC LIMIT 20`,
  `SELECT interface_id, count(*) f, sum(bytes) b FROM flows WHERE action = 'ACCEPT' GROUP BY 1 ORDER BY f DESC LIMIT 20`,
  `SELECT srcaddr, count(*) f FROM flows WHERE action = 'REJECT' GROUP BY 1 ORDER BY f DESC LIMIT 20`,
  `SELECT dstport, count(*) f FROM flows WHERE action = 'REJECT' GROUP BY 1 ORDER BY f DESC LIMIT 20`,
  `SELECT start // 60 * 60 AS t, count(*) f, sum(bytes) b FROM flows WHERE action = 'ACCEPT' GROUP BY 1 ORDER BY 1`,
  `SELECT start // 60 * 60 AS t, count(*) f FROM flows WHERE action = 'REJECT' GROUP BY 1 ORDER BY 1`,
  `SELECT dstport, count(*) f FROM flows WHERE action = 'REJECT' AND protocol = 6 AND dstport IN (22, 3389, 23, 445, 3306, 5432, 1433, 6379, 27017, 9200)
     GROUP BY 1`,
];

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: bench-duckdb <folder>');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const glob = `${dir.replace(/'/g, "''")}/**/*.log.gz`;
  // Materialised once (as a dashboard would), then every table from it.
  await con.run(
    `CREATE TABLE flows AS SELECT * FROM read_csv('${glob}', delim = ' ', header = true, columns = ${COLUMNS}, nullstr = '-')`,
  );
  const counts: number[] = [];
  for (const sql of TABLES) counts.push((await con.runAndReadAll(sql)).getRows().length);
  con.closeSync();
  db.closeSync();
  process.stdout.write(`${JSON.stringify({ tables: counts })}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
