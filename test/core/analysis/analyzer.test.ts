import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, eventClass, FlowAnalyzer, recordTriggers } from '../../../src/core/analysis/analyzer';
import { FlowParser, parseText } from '../../../src/core/parser';
import type { AnalysisSummary, TriggerSummary } from '../../../src/shared/summary';
import { DEFAULT_ANALYSIS_CONFIG } from '../../../src/core/analysis/config';
import { isEphemeralPort } from '../../../src/core/ports';
import { line, lines, noData, skipData } from './helpers';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

function trig(s: AnalysisSummary, id: string): TriggerSummary {
  const t = s.triggers.find((x) => x.id === id);
  assert.ok(t, `trigger ${id}`);
  return t;
}

function counts(s: AnalysisSummary): Record<string, number> {
  return Object.fromEntries(s.triggers.map((t) => [t.id, t.count]));
}

const T0 = 1_700_000_000;

describe('analysis: triggers over crafted logs', () => {
  it('12 rejected SSH attempts from 3 sources', () => {
    const sources = ['198.51.100.1', '198.51.100.2', '203.0.113.9'];
    const ls: string[] = [];
    for (let i = 0; i < 12; i++)
      ls.push(line({ src: sources[i % 3], dst: '10.0.0.5', sport: 50000 + i, dport: 22, start: T0 + i }));
    const s = analyzeText(lines(...ls));
    assert.equal(s.totals.records, 12);
    assert.equal(s.totals.rejected, 12);
    assert.equal(s.totals.accepted, 0);
    assert.deepEqual(counts(s), {
      'ssh-blocked': 12,
      'rdp-blocked': 0,
      'telnet-blocked': 0,
      'smb-blocked': 0,
      'database-blocked': 0,
      'port-scan': 0,
      'mitre-threat': 12,
      'traffic-rejected': 12,
      'nacl-return-blocked': 0,
    });
    assert.equal(s.totals.alerts, 12);
    assert.deepEqual(
      s.security.mitre.map((m) => [m.technique, m.tacticId, m.hits, m.sources]),
      [['T1110', 'TA0006', 12, 3]],
    );
    assert.deepEqual(
      s.security.blockedSources.rows.map((r) => [r.key, r.flows]),
      [
        ['198.51.100.1', 4],
        ['198.51.100.2', 4],
        ['203.0.113.9', 4],
      ],
    );
    assert.equal(s.security.blockedPorts.rows[0]?.key, '22');
    assert.equal(s.security.blockedPorts.rows[0]?.flows, 12);
    const ssh = trig(s, 'ssh-blocked');
    assert.deepEqual(
      ssh.hits.map((h) => h.line),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    );
    assert.equal(
      ssh.hits[0]?.description,
      'SSH blocked: 198.51.100.1 → 10.0.0.5:22 (T1110 Brute Force, Credential Access)',
    );
    assert.equal(ssh.hits[0]?.srcaddr, '198.51.100.1');
    assert.equal(ssh.hits[0]?.dstport, 22);
    assert.equal(ssh.mitre?.technique, 'T1110');
    assert.equal(trig(s, 'mitre-threat').mitre?.technique, 'T1110');
    assert.equal(ssh.hitsTruncated, false);
  });

  it('a rejected reply FROM port 22 is not an SSH attempt; SSH over UDP is not SSH', () => {
    const s = analyzeText(
      lines(
        line({ src: '10.0.0.5', dst: '198.51.100.7', sport: 22, dport: 51000 }),
        line({ src: '198.51.100.7', dst: '10.0.0.5', sport: 51000, dport: 22, proto: 17 }),
      ),
    );
    assert.equal(trig(s, 'ssh-blocked').count, 0);
    assert.equal(trig(s, 'mitre-threat').count, 0);
    assert.equal(trig(s, 'traffic-rejected').count, 2);
    assert.equal(trig(s, 'nacl-return-blocked').count, 1);
    assert.equal(s.totals.alerts, 0);
  });

  it('a REJECT from 443 to 50000 is a reply (return traffic blocked), not a database attempt', () => {
    const reply = line({ src: '10.0.0.5', dst: '198.51.100.7', sport: 443, dport: 50000 });
    const s = analyzeText(lines(reply));
    assert.equal(trig(s, 'database-blocked').count, 0);
    assert.equal(trig(s, 'port-scan').count, 0);
    assert.equal(trig(s, 'traffic-rejected').count, 1);
    const ret = trig(s, 'nacl-return-blocked');
    assert.equal(ret.count, 1);
    assert.equal(ret.actionable, false);
    assert.equal(ret.name, 'AWS VPC: Return Traffic Blocked (stateless NACL?)');
    assert.equal(
      ret.hits[0]?.description,
      'Return traffic blocked: reply 10.0.0.5:443 (https) → 198.51.100.7:50000 TCP (6) (a stateless network ACL without a rule for ephemeral ports?)',
    );
    assert.equal(s.totals.alerts, 0);
    // The same in a hover (one record on its own).
    const rec = parseText(reply).records[0]!;
    assert.deepEqual(
      recordTriggers(rec).map((t) => t.id),
      ['traffic-rejected', 'nacl-return-blocked'],
    );
  });

  it('applies the reply rule to every port trigger, also to ports a user adds in the ephemeral range', () => {
    const cfg = { ports: { 'database-blocked': [3306, 50000] } };
    const s = analyzeText(
      lines(
        line({ src: '10.0.0.5', dst: '198.51.100.7', sport: 443, dport: 50000 }), // reply: not an attempt
        line({ src: '198.51.100.7', dst: '10.0.0.5', sport: 51515, dport: 50000 }), // client to Db2: attempt
        line({ src: '10.0.0.5', dst: '198.51.100.7', sport: 3306, dport: 40001 }), // MySQL reply
        line({ src: '198.51.100.9', dst: '10.0.0.5', sport: 443, dport: 3306 }), // to a service port: attempt
      ),
      { config: cfg },
    );
    assert.equal(trig(s, 'database-blocked').count, 2);
    assert.deepEqual(
      trig(s, 'database-blocked').hits.map((h) => h.line),
      [2, 4],
    );
    assert.deepEqual(
      trig(s, 'nacl-return-blocked').hits.map((h) => h.line),
      [1, 3],
    );
  });

  it('watches no default port inside the common ephemeral ranges (Linux 32768–60999, IANA 49152–65535)', () => {
    for (const [id, rule] of Object.entries(DEFAULT_ANALYSIS_CONFIG.ports)) {
      for (const p of [...rule.tcp, ...rule.udp]) {
        assert.ok(p < 32768, `${id} watches ${p} by default`);
        assert.ok(!isEphemeralPort(p), `${id} watches ${p}, which ports.ts calls ephemeral`);
      }
    }
  });

  it('ICMP has no ports: not counted as port 0, not shown with one', () => {
    const s = analyzeText(
      lines(line({ proto: 1, sport: 0, dport: 0 }), line({ proto: 1, sport: 0, dport: 0, action: 'ACCEPT' })),
    );
    assert.deepEqual(s.security.blockedPorts.rows, []);
    assert.deepEqual(s.network.dstPorts.rows, []);
    assert.equal(
      trig(s, 'traffic-rejected').hits[0]?.description,
      'Traffic rejected: 198.51.100.7 → 10.0.0.5 ICMP (1)',
    );
    assert.equal(trig(s, 'traffic-rejected').hits[0]?.dstport, undefined);
  });

  it('an ACCEPTed SSH flow fires nothing', () => {
    const s = analyzeText(lines(line({ dport: 22, action: 'ACCEPT' })));
    assert.ok(s.triggers.every((t) => t.count === 0));
    assert.equal(s.totals.accepted, 1);
  });

  it('RDP over TCP and UDP, Telnet over TCP only', () => {
    const s = analyzeText(
      lines(
        line({ dport: 3389, proto: 6 }),
        line({ dport: 3389, proto: 17 }),
        line({ dport: 23, proto: 6 }),
        line({ dport: 23, proto: 17 }),
      ),
    );
    assert.equal(trig(s, 'rdp-blocked').count, 2);
    assert.equal(trig(s, 'telnet-blocked').count, 1);
    assert.equal(trig(s, 'mitre-threat').count, 3);
    assert.deepEqual(
      trig(s, 'telnet-blocked').hits.map((h) => h.line),
      [3],
    );
  });

  it('SMB: TCP 445 and 139, UDP 137 and 138', () => {
    const s = analyzeText(
      lines(
        line({ dport: 445, proto: 6 }),
        line({ dport: 139, proto: 6 }),
        line({ dport: 137, proto: 17 }),
        line({ dport: 138, proto: 17 }),
        line({ dport: 137, proto: 6 }),
        line({ dport: 445, proto: 17 }),
      ),
    );
    assert.deepEqual(
      trig(s, 'smb-blocked').hits.map((h) => h.line),
      [1, 2, 3, 4],
    );
    assert.equal(trig(s, 'mitre-threat').count, 0);
    assert.equal(s.totals.alerts, 4);
  });

  it('databases over TCP, not over UDP, not when accepted', () => {
    const ports = [1433, 1434, 1521, 3306, 5432, 6379, 27017, 27018, 27019, 9200, 9300, 9042, 5984, 11211];
    const ls = ports.map((p, i) => line({ src: `198.51.100.${i + 1}`, dport: p, proto: 6 }));
    ls.push(
      line({ dport: 3306, proto: 17 }),
      line({ dport: 5432, proto: 6, action: 'ACCEPT' }),
      line({ dport: 8080, proto: 6 }),
    );
    const s = analyzeText(lines(...ls));
    const db = trig(s, 'database-blocked');
    assert.equal(db.count, ports.length);
    assert.deepEqual(
      db.hits.map((h) => h.dstport),
      ports,
    );
    assert.match(db.hits[3]?.description ?? '', /^Database access blocked: 198\.51\.100\.4 → 10\.0\.0\.5:3306/);
    assert.equal(db.mitre, null);
    assert.equal(trig(s, 'mitre-threat').count, 0);
    assert.equal(trig(s, 'traffic-rejected').count, ports.length + 2);
  });

  describe('port scans', () => {
    const vertical = (n: number, spacing = 1, base = 1000): string[] =>
      Array.from({ length: n }, (_, i) =>
        line({ src: '203.0.113.66', dst: '10.0.0.9', sport: 45000, dport: base + i, start: T0 + i * spacing }),
      );
    const horizontal = (n: number): string[] =>
      Array.from({ length: n }, (_, i) =>
        line({ src: '203.0.113.77', dst: `10.0.1.${i + 1}`, sport: 45001, dport: 8080, start: T0 + i }),
      );

    it('vertical: 14 distinct ports on one host is below the threshold, 15 fires once', () => {
      assert.equal(trig(analyzeText(lines(...vertical(14))), 'port-scan').count, 0);
      const s = analyzeText(lines(...vertical(15)));
      const ps = trig(s, 'port-scan');
      assert.equal(ps.count, 1);
      assert.equal(ps.hits[0]?.line, 15);
      assert.equal(
        ps.hits[0]?.description,
        'Port scan (vertical): 203.0.113.66 reached 15 ports on 10.0.0.9 within 300 s, latest 1014 (T1046 Network Service Discovery, Discovery)',
      );
      assert.equal(trig(s, 'mitre-threat').count, 1);
      assert.equal(trig(s, 'mitre-threat').hits[0]?.line, 15);
      assert.deepEqual(
        s.security.mitre.map((m) => [m.technique, m.tacticId, m.hits, m.sources]),
        [['T1046', 'TA0007', 1, 1]],
      );
      assert.equal(s.totals.alerts, 1);
      // a longer scan in the same window still counts once
      assert.equal(trig(analyzeText(lines(...vertical(200))), 'port-scan').count, 1);
    });

    it('vertical: 15 ports spread wider than the window do not fire', () => {
      // one port every 25 s: 15 ports over 350 s, never 15 within 300 s
      assert.equal(trig(analyzeText(lines(...vertical(15, 25))), 'port-scan').count, 0);
      assert.equal(trig(analyzeText(lines(...vertical(15, 21))), 'port-scan').count, 1);
    });

    it('horizontal: one port on 19 hosts is below the threshold, 20 fires', () => {
      assert.equal(trig(analyzeText(lines(...horizontal(19))), 'port-scan').count, 0);
      const s = analyzeText(lines(...horizontal(20)));
      assert.equal(trig(s, 'port-scan').count, 1);
      assert.match(
        trig(s, 'port-scan').hits[0]?.description ?? '',
        /^Port scan \(horizontal\): 203\.0\.113\.77 reached port 8080 on 20 hosts/,
      );
    });

    it('IPv6 scans count the same way (vertical 14 / 15 ports, horizontal 19 / 20 hosts)', () => {
      const v6 = (n: number): string[] =>
        Array.from({ length: n }, (_, i) =>
          line({ src: '2001:db8::66', dst: '2001:db8:1::9', sport: 45000, dport: 1000 + i, start: T0 + i }),
        );
      const h6 = (n: number): string[] =>
        Array.from({ length: n }, (_, i) =>
          line({
            src: '2001:db8::77',
            dst: `2001:db8:2::${(i + 1).toString(16)}`,
            sport: 45001,
            dport: 8080,
            start: T0 + i,
          }),
        );
      assert.equal(trig(analyzeText(lines(...v6(14))), 'port-scan').count, 0);
      const s = analyzeText(lines(...v6(15)));
      assert.equal(trig(s, 'port-scan').hits[0]?.line, 15);
      assert.match(
        trig(s, 'port-scan').hits[0]?.description ?? '',
        /^Port scan \(vertical\): 2001:db8::66 reached 15 ports on 2001:db8:1::9/,
      );
      assert.equal(trig(analyzeText(lines(...h6(19))), 'port-scan').count, 0);
      assert.equal(trig(analyzeText(lines(...h6(20))), 'port-scan').count, 1);
      // An IPv4 scanner and an IPv6 one at once: each is its own pair.
      const both = analyzeText(lines(...v6(15), ...vertical(15)));
      assert.equal(trig(both, 'port-scan').count, 2);
    });

    it('replies from a well-known port to many ephemeral ports are not a scan', () => {
      const ls = Array.from({ length: 40 }, (_, i) =>
        line({ src: '10.0.0.9', dst: '198.51.100.3', sport: 443, dport: 40000 + i, start: T0 + i }),
      );
      assert.equal(trig(analyzeText(lines(...ls)), 'port-scan').count, 0);
    });

    it('thresholds come from the configuration', () => {
      const s = analyzeText(lines(...vertical(5)), { config: { portScan: { distinctPorts: 5 } } });
      assert.equal(trig(s, 'port-scan').count, 1);
      assert.match(trig(s, 'port-scan').rule, /at least 5 distinct dstports/);
    });
  });

  it('port overrides change what fires', () => {
    const text = lines(line({ dport: 22 }), line({ dport: 2222 }));
    const s = analyzeText(text, { config: { ports: { 'ssh-blocked': [2222] } } });
    assert.deepEqual(
      trig(s, 'ssh-blocked').hits.map((h) => h.line),
      [2],
    );
    assert.match(trig(s, 'ssh-blocked').rule, /dstport 2222/);
  });

  it('caps stored hits but keeps the full count', () => {
    const ls = Array.from({ length: 12 }, (_, i) => line({ dport: 22, start: T0 + i }));
    const s = analyzeText(lines(...ls), { config: { maxHitsPerTrigger: 5 } });
    const ssh = trig(s, 'ssh-blocked');
    assert.equal(ssh.count, 12);
    assert.equal(ssh.hits.length, 5);
    assert.equal(ssh.hitsTruncated, true);
    assert.equal(trig(s, 'traffic-rejected').count, 12);
    assert.equal(trig(s, 'traffic-rejected').hits.length, 5);
  });

  it('top blocked sources turn approximate past the cap and keep the heavy hitter', () => {
    const ls: string[] = [];
    for (let i = 0; i < 3000; i++) {
      ls.push(line({ src: `10.${(i >> 8) & 255}.${i & 255}.1`, dport: 80, start: T0 + i }));
      if (i % 5 === 0) ls.push(line({ src: '2001:db8::bad', dport: 80, start: T0 + i }));
    }
    const s = analyzeText(lines(...ls), { config: { exactKeyCap: 100 } });
    const t = s.security.blockedSources;
    assert.equal(t.approximate, true);
    assert.equal(t.rows[0]?.key, '2001:db8::bad');
    assert.ok((t.rows[0]?.flows ?? 0) >= 600);
    const exact = analyzeText(lines(...ls.slice(0, 50)), { config: { exactKeyCap: 100 } });
    assert.equal(exact.security.blockedSources.approximate, false);
  });
});

describe('analysis: dashboard data', () => {
  it('counts classes, network tables and time series', () => {
    const s = analyzeText(
      lines(
        line({ src: '10.0.0.1', dst: '10.0.0.2', dport: 443, bytes: 1000, packets: 10, action: 'ACCEPT' }),
        line({
          src: '10.0.0.2',
          dst: '10.0.0.1',
          sport: 443,
          dport: 40000,
          bytes: 5000,
          packets: 20,
          action: 'ACCEPT',
        }),
        line({
          src: '2001:db8::1',
          dst: '2001:db8::2',
          dport: 53,
          proto: 17,
          bytes: 100,
          packets: 1,
          action: 'ACCEPT',
        }),
        line({ dport: 22, bytes: 60, packets: 1 }),
        noData(),
        skipData(),
      ),
    );
    const t = s.totals;
    assert.deepEqual([t.records, t.accepted, t.rejected, t.noData, t.skipData, t.other], [6, 3, 1, 1, 1, 0]);
    assert.equal(t.bytes, 6160);
    assert.equal(t.packets, 32);
    assert.deepEqual(
      s.network.protocols.rows.map((r) => [r.label, r.flows]),
      [
        ['TCP (6)', 2],
        ['UDP (17)', 1],
      ],
    );
    assert.equal(s.network.dstPorts.rows.find((r) => r.key === '443')?.label, '443 (https)');
    assert.deepEqual(
      s.network.talkers.rows.map((r) => [r.key, r.bytes]),
      [
        ['10.0.0.2', 5000],
        ['10.0.0.1', 1000],
        ['2001:db8::1', 100],
      ],
    );
    // both directions of 10.0.0.1 <-> 10.0.0.2 are one conversation
    assert.deepEqual(
      s.network.conversations.rows.map((r) => [r.key, r.flows, r.bytes]),
      [
        ['10.0.0.1 ↔ 10.0.0.2', 2, 6000],
        ['2001:db8::1 ↔ 2001:db8::2', 1, 100],
      ],
    );
    assert.equal(s.network.interfaces.rows[0]?.key, 'eni-0a1b2c3d4e5f60718');
    assert.equal(s.network.interfaces.rows[0]?.flows, 3);
    const net = s.network.overTime;
    const sec = s.security.overTime;
    assert.equal(net.bucketSeconds, sec.bucketSeconds);
    assert.equal(
      net.points.reduce((a, p) => a + p.flows, 0),
      3,
    );
    assert.equal(
      sec.points.reduce((a, p) => a + p.flows, 0),
      1,
    );
    assert.deepEqual(s.timeRange, { start: T0, end: T0 + 60 });
    assert.equal(s.formats[0]?.label, 'default v2');
    assert.equal(s.formats[0]?.records, 6);
  });

  it('v5 fields feed regions, AZs, VPCs, flow direction and traffic path', () => {
    const s = analyzeText(fixture('custom-v5-service-path.log'));
    assert.equal(s.totals.accepted, 2);
    assert.deepEqual(
      s.network.regions.rows.map((r) => [r.key, r.flows]),
      [['ap-southeast-2', 2]],
    );
    assert.deepEqual(
      s.network.azs.rows.map((r) => r.key),
      ['apse2-az3'],
    );
    assert.deepEqual(
      s.network.vpcs.rows.map((r) => r.key),
      ['vpc-abcdefab012345678'],
    );
    assert.deepEqual(s.network.flowDirection.rows.map((r) => [r.key, r.flows]).sort(), [
      ['egress', 1],
      ['ingress', 1],
    ]);
    const path = s.network.trafficPath.rows;
    assert.ok(path.some((r) => r.key === '8' && r.flows === 1 && /internet gateway/i.test(r.label)));
    assert.ok(path.some((r) => r.key === '-' && r.flows === 1));
  });

  it('keeps unparsed lines with their reasons, capped, with the exact count', () => {
    const bad = Array.from({ length: 10 }, (_, i) => `garbage line ${i}`);
    const s = analyzeText(lines(line({}), ...bad), { config: { maxUnparsed: 3 } });
    assert.equal(s.totals.unparsedLines, 10);
    assert.equal(s.unparsed.length, 3);
    assert.equal(s.unparsed[0]?.line, 2);
    assert.ok((s.unparsed[0]?.reason ?? '').length > 0);
  });

  it('the summary is plain JSON', () => {
    const s = analyzeText(fixture('aws-examples-default.log'));
    assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
  });
});

describe('analysis: samples', () => {
  it('aws-examples-default.log: classes, totals and triggers per line', () => {
    const text = fixture('aws-examples-default.log');
    const parsed = parseText(text);
    assert.deepEqual(
      parsed.records.map((r) => eventClass(r)),
      ['network', 'security', null, null, 'network', 'security', 'network'],
    );
    const ids = parsed.records.map((r) => recordTriggers(r).map((t) => t.id));
    assert.deepEqual(ids, [
      [],
      ['rdp-blocked', 'mitre-threat', 'traffic-rejected'],
      [],
      [],
      [],
      ['traffic-rejected'],
      [],
    ]);
    const rdp = recordTriggers(parsed.records[1]!);
    assert.equal(
      rdp[0]?.description,
      'RDP blocked: 172.31.9.69 → 172.31.9.12:3389 (T1110 Brute Force, Credential Access)',
    );
    assert.equal(rdp[1]?.mitre?.technique, 'T1110');
    assert.equal(rdp[2]?.actionable, false);

    const s = analyzeText(text);
    const t = s.totals;
    assert.deepEqual(
      [t.lines, t.records, t.accepted, t.rejected, t.noData, t.skipData, t.unparsedLines],
      [7, 7, 3, 2, 1, 1, 0],
    );
    assert.deepEqual(counts(s), {
      'ssh-blocked': 0,
      'rdp-blocked': 1,
      'telnet-blocked': 0,
      'smb-blocked': 0,
      'database-blocked': 0,
      'port-scan': 0,
      'mitre-threat': 1,
      'traffic-rejected': 2,
      'nacl-return-blocked': 0,
    });
    assert.deepEqual(
      trig(s, 'rdp-blocked').hits.map((h) => h.line),
      [2],
    );
    assert.deepEqual(
      trig(s, 'traffic-rejected').hits.map((h) => h.line),
      [2, 6],
    );
    assert.match(trig(s, 'traffic-rejected').hits[1]?.description ?? '', /ICMP \(1\)/);
    assert.equal(t.alerts, 1);
  });

  it('the same log in every envelope gives the same counts', () => {
    const base = analyzeText(fixture('aws-examples-default.log'));
    for (const name of [
      'cloudwatch-filter-log-events.json',
      'cloudwatch-get-log-events.json',
      'cloudwatch-subscription-data-message.json',
    ]) {
      const s = analyzeText(fixture(name));
      assert.ok(s.totals.records > 0, name);
      assert.equal(s.totals.unparsedLines, 0, name);
      assert.equal(
        s.totals.records,
        s.totals.accepted + s.totals.rejected + s.totals.noData + s.totals.skipData + (s.totals.other ?? 0),
        name,
      );
      if (s.totals.records === base.totals.records) assert.deepEqual(counts(s), counts(base), name);
    }
  });

  it('a gzip S3 file is analysed from bytes', () => {
    const bytes = readFileSync(
      join(FIXTURES, '123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0420Z_fe123456.log.gz'),
    );
    const analyzer = new FlowAnalyzer();
    const parser = new FlowParser(analyzer);
    parser.push(new Uint8Array(bytes));
    const s = analyzer.finish(parser.end());
    assert.ok(s.totals.records > 0);
    assert.equal(s.totals.headers, 1);
    assert.equal(s.formats[0]?.source, 'header');
  });

  it('a Transit Gateway log has no action: records are counted as other, no class', () => {
    const text = fixture('tgw-flow-log-v6.log');
    const s = analyzeText(text);
    assert.equal(s.totals.records, 1);
    assert.equal(s.totals.other, 1);
    assert.equal(eventClass(parseText(text).records[0]!), null);
  });
});
