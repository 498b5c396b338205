// What Copy Query for… and Export Queries… hand the compiler, and what they open (src/extension/queryDocuments.ts):
// one document per engine in the log's own field order, a refused value refused before anything opens, and the
// dashboard's "Query…" buttons only where the compiler has a query. Plain Node: the file imports no vscode.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../src/core/analysis/analyzer';
import { DEFAULT_ANALYSIS_CONFIG } from '../../src/core/analysis/config';
import { makeFormat } from '../../src/core/format';
import { compileQuery, queryTargets } from '../../src/core/query';
import { FILTER_DIMENSIONS } from '../../src/shared/dimensions';
import {
  dashboardQueryTargets,
  engineChoices,
  exportDocuments,
  exportValueProblem,
  summaryFormat,
} from '../../src/extension/queryDocuments';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');
/** A custom order (v3 fields, srcaddr after type): no documented layout. */
const FIELDS = fs.readFileSync(path.join(FIXTURES, 'custom-v3-tcp-flags.log'), 'utf8').split('\n')[0]!.split(' ');
const format = makeFormat(FIELDS, { source: 'header' });
const base = { format, config: DEFAULT_ANALYSIS_CONFIG };

describe('query documents', () => {
  it('offers metric filters as CloudFormation and as Terraform, only for triggers that have them', () => {
    const all = engineChoices(['athena', 'insights', 'metric-filter', 'duckdb']).map((c) => c.id);
    assert.deepEqual(all, ['athena', 'insights', 'metric-filter:cloudformation', 'metric-filter:terraform', 'duckdb']);
    const scan = queryTargets().find((t) => t.id === 'port-scan');
    assert.ok(scan && !scan.engines.includes('metric-filter'), 'a port scan has no single-record metric filter');
    assert.deepEqual(
      engineChoices(scan.engines).map((c) => c.id),
      ['athena', 'insights', 'duckdb'],
    );
  });

  it('exports one document per engine, with the right language, each naming the log its own field order', () => {
    const { documents: docs, refused } = exportDocuments(base, {});
    assert.deepEqual(refused, []);
    assert.deepEqual(
      docs.map((d) => [d.choice.id, d.language]),
      [
        ['athena', 'sql'],
        ['insights', 'plaintext'],
        ['metric-filter:cloudformation', 'yaml'],
        ['metric-filter:terraform', 'terraform'],
        ['duckdb', 'sql'],
      ],
    );
    for (const d of docs) assert.ok(d.text.includes(FIELDS.join(' ')), `${d.choice.id} names the field order`);
    const [athena, insights, cfn, tf, duckdb] = docs.map((d) => d.text);
    assert.match(athena ?? '', /CREATE EXTERNAL TABLE/);
    // Insights parses @message in the log's order (the fields of a custom format are not discovered).
    const underscored = FIELDS.map((f) => f.replace(/-/g, '_')).join(', ');
    assert.ok(insights?.includes(`as ${underscored}`), 'Insights parses the fields in the log order');
    assert.match(cfn ?? '', /AWS::Logs::MetricFilter/);
    assert.match(tf ?? '', /resource "aws_cloudwatch_log_metric_filter"/);
    assert.match(duckdb ?? '', /read_csv/);
    // The text is the compiler's: the engine's whole query set, as `vpcflow query --engine <e>` prints it.
    assert.equal(duckdb?.trimEnd(), compileQuery({ ...base, engine: 'duckdb' }).trimEnd());
  });

  it('passes the optional values through the compiler, which refuses quotes, semicolons and newlines', () => {
    const values = {
      tableName: 'flows_prod',
      location: 's3://my-bucket/AWSLogs/123456789012/vpcflowlogs/us-east-1/',
      partitioned: 's3',
    } as const;
    assert.equal(exportValueProblem(base, values), undefined);
    const athena = exportDocuments(base, values).documents[0]?.text ?? '';
    assert.match(athena, /flows_prod/);
    assert.match(athena, /s3:\/\/my-bucket\/AWSLogs\/123456789012\/vpcflowlogs\/us-east-1\//);
    assert.match(athena, /projection\.enabled/);
    for (const values of [
      { tableName: "flows'; DROP TABLE x; --" },
      { tableName: 'flows\nx' },
      { location: "s3://bucket/'prefix/" },
      { location: 's3://bucket/prefix/;\n' },
    ]) {
      const problem = exportValueProblem(base, values);
      assert.ok(problem, `${JSON.stringify(values)} is refused`);
      const { documents, refused } = exportDocuments(base, values);
      assert.ok(!documents.some((d) => d.choice.engine === 'athena'), 'no Athena document with a refused value');
      assert.ok(refused.some((r) => r.choice.engine === 'athena' && r.message === problem));
    }
  });

  it('gives the dashboard a "Query…" button for every trigger and for the tables of its cards, by row dimension', () => {
    const { triggers, tables } = dashboardQueryTargets();
    assert.deepEqual(
      triggers,
      queryTargets()
        .filter((t) => t.kind === 'trigger')
        .map((t) => t.id),
    );
    const byDimension = new Map(tables.map((t) => [t.dimension, t.id]));
    assert.equal(byDimension.size, tables.length, 'one table per dimension');
    for (const d of byDimension.keys()) assert.ok((FILTER_DIMENSIONS as readonly string[]).includes(d), d);
    assert.equal(byDimension.get('talker'), 'talkers');
    assert.equal(byDimension.get('blockedPort'), 'blockedPorts');
    assert.equal(byDimension.get('time'), 'flowsOverTime');
    assert.equal(byDimension.get('mitre'), 'mitre');
    assert.equal(byDimension.get('conversation'), undefined, 'no query, no button');
  });

  it("compiles a dashboard's queries for the format most of its records had", () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'custom-v3-tcp-flags.log'), 'utf8');
    const found = summaryFormat(analyzeText(text));
    assert.ok(found);
    assert.deepEqual(found.fields, FIELDS);
    assert.equal(found.source, 'header');
    assert.equal(found.index.get('srcaddr'), FIELDS.indexOf('srcaddr'));
    assert.equal(summaryFormat(analyzeText('')), undefined);
  });
});
