import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../src/core/analysis/analyzer';
import { parseText } from '../../src/core/parser';
import { RecordsPageCollector, recordMatches, splitConversation } from '../../src/extension/recordFilter';
import type { Filter } from '../../src/shared/protocol';

const fixture = (name: string): string => fs.readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8');

/** Lines of the records of `text` that match `filter`. */
function matching(text: string, filter: Filter): number[] {
  return parseText(text)
    .records.filter((r) => recordMatches(r, filter))
    .map((r) => r.line);
}

describe('recordFilter', () => {
  const aws = fixture('aws-examples-default.log');

  it('selects the records behind each summary table row', () => {
    // Every row of every top table the dashboard can click selects exactly as many records as the row counts
    // (network tables count accepted records, security tables rejected ones).
    const summary = analyzeText(fixture('dashboard-demo.log'));
    const text = fixture('dashboard-demo.log');
    const records = parseText(text).records;
    const checks: [Filter['dimension'], { rows: { key: string; label: string; flows: number }[] }][] = [
      ['protocol', summary.network.protocols],
      ['dstport', summary.network.dstPorts],
      ['talker', summary.network.talkers],
      ['conversation', summary.network.conversations],
      ['region', summary.network.regions],
      ['az', summary.network.azs],
      ['vpc', summary.network.vpcs],
      ['interface', summary.network.interfaces],
      ['flowDirection', summary.network.flowDirection],
      ['trafficPath', summary.network.trafficPath],
      ['blockedSource', summary.security.blockedSources],
      ['blockedPort', summary.security.blockedPorts],
    ];
    for (const [dimension, table] of checks) {
      assert.ok(table.rows.length > 0, `${dimension} has rows`);
      for (const row of table.rows) {
        const filter: Filter = { dimension, key: row.key, label: row.label };
        const n = records.filter((r) => recordMatches(r, filter)).length;
        assert.equal(n, row.flows, `${dimension} ${row.label}`);
      }
    }
    // The Network tab's TCP row: accepted TCP flows only (the old filter listed every TCP record, 1,469).
    const tcp = summary.network.protocols.rows.find((r) => r.key === '6');
    assert.equal(tcp?.flows, 1291);
    assert.equal(
      records.filter((r) => recordMatches(r, { dimension: 'protocol', key: '6', label: 'TCP' })).length,
      1291,
    );
  });

  it('filters by time bucket and by action', () => {
    const summary = analyzeText(aws);
    const p = summary.security.overTime.points[0];
    assert.ok(p);
    const lines = matching(aws, {
      dimension: 'rejectedTime',
      key: String(p.t),
      end: p.t + summary.security.overTime.bucketSeconds,
      label: 't',
    });
    assert.equal(lines.length, p.flows);
    assert.deepEqual(matching(aws, { dimension: 'action', key: 'REJECT', label: 'r' }), [2, 6]);
  });

  it('splits conversation keys', () => {
    assert.deepEqual(splitConversation('10.0.0.1 ↔ 10.0.0.2'), ['10.0.0.1', '10.0.0.2']);
    assert.deepEqual(splitConversation('2001:db8::1 ↔ 2001:db8::2'), ['2001:db8::1', '2001:db8::2']);
  });

  it('keeps a bounded page with every field, of the records all the filters select', () => {
    const blocked3389: Filter = { dimension: 'blockedPort', key: '3389', label: 'x' };
    const c = new RecordsPageCollector([blocked3389], undefined, 1);
    parseText(aws, {}).records.forEach((r) => c.record(r));
    const page = c.page();
    assert.equal(page.matched, 1);
    assert.equal(page.rows.length, 1);
    assert.equal(page.columns[6], 'dstport');
    assert.equal(page.rows[0]?.values[6], '3389');
    assert.equal(page.rows[0]?.line, 2);
    // AND across filters: REJECT selects two records, REJECT and blocked port 3389 one, and a port 22 as well none.
    const count = (filters: Filter[]): number => {
      const all = new RecordsPageCollector(filters, undefined);
      parseText(aws, {}).records.forEach((r) => all.record(r));
      return all.page().matched;
    };
    const reject: Filter = { dimension: 'action', key: 'REJECT', label: 'r' };
    assert.equal(count([reject]), 2);
    assert.equal(count([reject, blocked3389]), 1);
    assert.equal(count([reject, blocked3389, { dimension: 'dstport', key: '22', label: 'p' }]), 0);
    assert.equal(count([]), parseText(aws, {}).records.length);
  });

  it('names the file of each record of a folder, as told before each file', () => {
    const c = new RecordsPageCollector([], undefined);
    const records = parseText(aws, {}).records;
    c.file(0);
    records.slice(0, 2).forEach((r) => c.record(r));
    c.file(3);
    records.slice(2).forEach((r) => c.record(r));
    const rows = c.page().rows;
    assert.deepEqual(
      rows.map((r) => [r.file, r.line]),
      records.map((r, i) => [i < 2 ? 0 : 3, r.line]),
    );
    // Without a folder, rows carry no file.
    const single = new RecordsPageCollector([], undefined);
    records.forEach((r) => single.record(r));
    assert.ok(single.page().rows.every((r) => !('file' in r)));
  });
});
