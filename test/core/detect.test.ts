// Detection for the editor: flow logs, headers and envelopes yes; web logs, CSV, arbitrary JSON and prose no.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectFlowLog } from '../../src/core/detect';

const DIR = join(__dirname, '..', 'fixtures');
const sample = (name: string) => readFileSync(join(DIR, name), 'utf8').split('\n').slice(0, 50).join('\n');

describe('detectFlowLog', () => {
  it('detects flow records, headers and envelopes in the fixtures', () => {
    const expect: Record<string, string> = {
      'aws-examples-default.log': 'records',
      'logzilla-format1.log': 'records',
      'logzilla-format2.log': 'records',
      's3-alphabetical-skipdata.log': 'records',
      'malformed.log': 'records',
      'cloudwatch-export.log': 'records',
      'custom-v3-tcp-flags.log': 'header',
      'custom-v5-service-path.log': 'header',
      'custom-nat-gateway-no-version.log': 'header',
      'tgw-flow-log-v6.log': 'header',
      'cloudwatch-filter-log-events.json': 'envelope',
      'cloudwatch-get-log-events.json': 'envelope',
      'cloudwatch-subscription-data-message.json': 'envelope',
      'firehose-request-cloudwatch.json': 'envelope',
      'firehose-request-direct.json': 'envelope',
      'ndjson-messages.log': 'envelope',
    };
    for (const [file, kind] of Object.entries(expect)) {
      const d = detectFlowLog(sample(file));
      assert.equal(d?.kind, kind, file);
      assert.ok(d.confidence > 0 && d.confidence <= 1, file);
    }
    assert.ok(readdirSync(DIR).includes('nginx-access.log'));
  });

  it('says no to an nginx access log, CSV, arbitrary JSON, prose and empty text', () => {
    assert.equal(detectFlowLog(sample('nginx-access.log')), null);
    assert.equal(detectFlowLog('name,age,city\nalice,30,Paris\nbob,25,Berlin\n'), null);
    assert.equal(
      detectFlowLog('{\n  "name": "vpc-flow-explorer",\n  "version": "0.1.0",\n  "message": "hello world"\n}\n'),
      null,
    );
    assert.equal(detectFlowLog('{"message":"GET /index.html 200"}\n{"message":"GET /a 404"}\n'), null);
    assert.equal(detectFlowLog('The quick brown fox jumps over the lazy dog.\nIt was the best of times.\n'), null);
    assert.equal(detectFlowLog(''), null);
    assert.equal(detectFlowLog('\n\n  \n'), null);
  });

  it('judges a sample cut in the middle of a line', () => {
    const text = readFileSync(join(DIR, 'aws-examples-default.log'), 'utf8');
    assert.equal(detectFlowLog(text.slice(0, text.length - 40))?.kind, 'records');
  });
});
