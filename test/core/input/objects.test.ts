import * as assert from 'node:assert/strict';
import { looksLikeFlowLogName, objectKind, orderByObjectTime, parseObjectPath } from '../../../src/core/input/objects';

const S3 =
  'AWSLogs/123456789010/vpcflowlogs/us-east-1/2014/12/14/123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0420Z_fe123456.log.gz';
const HIVE =
  'AWSLogs/aws-account-id=123456789010/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2024/month=03/day=05/hour=07/123456789010_vpcflowlogs_eu-west-1_fl-0abc_20240305T0705Z_0a1b2c3d.log.parquet';

describe('S3 flow-log object names', () => {
  it('reads account, Region, flow-log id and interval from an S3 object path', () => {
    const o = parseObjectPath(S3);
    assert.deepEqual(o, {
      kind: 'gzip',
      s3Name: true,
      layout: 's3',
      account: '123456789010',
      region: 'us-east-1',
      flowLogId: 'fl-1234abcd',
      time: Date.UTC(2014, 11, 14, 4, 20) / 1000,
    });
  });

  it('reads the Hive-style layout, with the name time winning over the folders', () => {
    const o = parseObjectPath(HIVE);
    assert.equal(o.layout, 'hive');
    assert.equal(o.kind, 'parquet');
    assert.equal(o.account, '123456789010');
    assert.equal(o.region, 'eu-west-1');
    assert.equal(o.time, Date.UTC(2024, 2, 5, 7, 5) / 1000);
  });

  it('takes the time from Hive folders (with or without hour) when the name carries none', () => {
    assert.equal(
      parseObjectPath('x/aws-account-id=1/aws-region=r/year=2024/month=03/day=05/hour=07/part-0.parquet').time,
      Date.UTC(2024, 2, 5, 7) / 1000,
    );
    assert.equal(parseObjectPath('x/year=2024/month=03/day=05/f.log').time, Date.UTC(2024, 2, 5) / 1000);
  });

  it('takes the day from S3 folders when the name is not an S3 object name', () => {
    const o = parseObjectPath('AWSLogs/123456789010/vpcflowlogs/us-east-1/2024/01/31/mine.log');
    assert.equal(o.layout, 's3');
    assert.equal(o.s3Name, false);
    assert.equal(o.time, Date.UTC(2024, 0, 31) / 1000);
  });

  it('accepts Windows separators and rejects impossible dates', () => {
    assert.equal(parseObjectPath(S3.replace(/\//g, '\\')).time, Date.UTC(2014, 11, 14, 4, 20) / 1000);
    assert.equal(parseObjectPath('123456789010_vpcflowlogs_us-east-1_fl-1_20240231T0000Z_ab.log').time, undefined);
  });

  it('knows kinds and flow-log-like names', () => {
    assert.equal(objectKind('a.log'), 'plain');
    assert.equal(objectKind('a.LOG.GZ'), 'gzip');
    assert.equal(objectKind('a.parquet'), 'parquet');
    assert.equal(looksLikeFlowLogName('dir/a.log.gz'), true);
    assert.equal(looksLikeFlowLogName('notes.md'), false);
    assert.equal(looksLikeFlowLogName('123456789010_vpcflowlogs_us-east-1_fl-1_20240101T0000Z_ab'), true);
  });

  it('orders by the time the names carry, then by name, untimed names last', () => {
    const paths = [
      'z-untimed.log',
      'b/123456789010_vpcflowlogs_us-east-1_fl-1_20240101T0010Z_aa.log.gz',
      'a/123456789010_vpcflowlogs_us-east-1_fl-1_20240101T0005Z_ff.log.gz',
      'a-untimed.log',
      'c/123456789010_vpcflowlogs_us-east-1_fl-2_20240101T0005Z_00.log.gz',
      'AWSLogs/aws-account-id=1/aws-region=r/year=2023/month=12/day=31/x.log',
    ];
    assert.deepEqual(
      orderByObjectTime(paths, (p) => p),
      [
        'AWSLogs/aws-account-id=1/aws-region=r/year=2023/month=12/day=31/x.log',
        'a/123456789010_vpcflowlogs_us-east-1_fl-1_20240101T0005Z_ff.log.gz',
        'c/123456789010_vpcflowlogs_us-east-1_fl-2_20240101T0005Z_00.log.gz',
        'b/123456789010_vpcflowlogs_us-east-1_fl-1_20240101T0010Z_aa.log.gz',
        'a-untimed.log',
        'z-untimed.log',
      ],
    );
  });
});
