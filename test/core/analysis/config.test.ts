import * as assert from 'node:assert/strict';
import {
  DEFAULT_ANALYSIS_CONFIG,
  resolveAnalysisConfig,
  validateAnalysisConfig,
} from '../../../src/core/analysis/config';
import { PORT_TRIGGER_IDS, TRIGGERS } from '../../../src/core/analysis/triggers';
import manifest from '../../../package.json';

describe('analysis config', () => {
  it('defaults match the settings declared in package.json', () => {
    const props = manifest.contributes.configuration.properties;
    assert.equal(
      DEFAULT_ANALYSIS_CONFIG.portScan.distinctPorts,
      props['vpcFlow.triggers.portScan.distinctPorts'].default,
    );
    assert.equal(
      DEFAULT_ANALYSIS_CONFIG.portScan.distinctHosts,
      props['vpcFlow.triggers.portScan.distinctHosts'].default,
    );
    assert.equal(
      DEFAULT_ANALYSIS_CONFIG.portScan.windowSeconds,
      props['vpcFlow.triggers.portScan.windowSeconds'].default,
    );
    assert.equal(DEFAULT_ANALYSIS_CONFIG.portScan.distinctPorts, 15);
    assert.equal(DEFAULT_ANALYSIS_CONFIG.portScan.distinctHosts, 20);
    assert.equal(DEFAULT_ANALYSIS_CONFIG.portScan.windowSeconds, 300);
    // Every key the ports setting documents is a port trigger id.
    const doc = props['vpcFlow.triggers.ports'].markdownDescription;
    for (const id of PORT_TRIGGER_IDS) assert.ok(doc.includes(`\`${id}\``), id);
  });

  it('has the documented default ports and protocols', () => {
    const p = DEFAULT_ANALYSIS_CONFIG.ports;
    assert.deepEqual(p['ssh-blocked'], { tcp: [22], udp: [] });
    assert.deepEqual(p['rdp-blocked'], { tcp: [3389], udp: [3389] });
    assert.deepEqual(p['telnet-blocked'], { tcp: [23], udp: [] });
    assert.deepEqual([...p['smb-blocked'].tcp].sort(), [139, 445]);
    assert.deepEqual([...p['smb-blocked'].udp].sort(), [137, 138]);
    for (const port of [1433, 1434, 1521, 3306, 5432, 6379, 27017, 27018, 27019, 9200, 9300, 9042, 5984, 11211]) {
      assert.ok(p['database-blocked'].tcp.includes(port), String(port));
    }
    assert.deepEqual(p['database-blocked'].udp, []);
  });

  it('names the triggers exactly as the issue does', () => {
    const byId = new Map<string, (typeof TRIGGERS)[number]>(TRIGGERS.map((t) => [t.id, t]));
    assert.equal(byId.get('ssh-blocked')?.name, 'AWS VPC: SSH Blocked (tcp/22)');
    assert.equal(byId.get('rdp-blocked')?.name, 'AWS VPC: RDP Blocked (3389)');
    assert.equal(byId.get('telnet-blocked')?.name, 'AWS VPC: Telnet Blocked (tcp/23)');
    assert.equal(byId.get('traffic-rejected')?.name, 'AWS VPC: Traffic Rejected (any REJECT)');
    assert.equal(byId.get('traffic-rejected')?.actionable, false);
    assert.equal(TRIGGERS.filter((t) => t.actionable).length, 7);
    assert.equal(byId.get('port-scan')?.mitre?.technique, 'T1046');
    assert.equal(byId.get('port-scan')?.mitre?.tacticId, 'TA0007');
    for (const id of ['ssh-blocked', 'rdp-blocked', 'telnet-blocked']) {
      assert.equal(byId.get(id)?.mitre?.technique, 'T1110');
      assert.equal(byId.get(id)?.mitre?.tactic, 'Credential Access');
    }
    assert.equal(byId.get('smb-blocked')?.mitre, null);
    assert.equal(byId.get('database-blocked')?.mitre, null);
  });

  it('merges overrides over the defaults', () => {
    const r = validateAnalysisConfig({
      portScan: { distinctPorts: 5 },
      ports: { 'ssh-blocked': [22, 2222], 'rdp-blocked': [3390], 'smb-blocked': { udp: [137] } },
      maxHitsPerTrigger: 3,
    });
    assert.ok(r.ok);
    assert.equal(r.config.portScan.distinctPorts, 5);
    assert.equal(r.config.portScan.distinctHosts, 20);
    assert.deepEqual(r.config.ports['ssh-blocked'], { tcp: [22, 2222], udp: [] });
    assert.deepEqual(r.config.ports['rdp-blocked'], { tcp: [3390], udp: [3390] });
    assert.deepEqual(r.config.ports['smb-blocked'], { tcp: [445, 139], udp: [137] });
    assert.equal(r.config.maxHitsPerTrigger, 3);
    assert.equal(r.config.ports['telnet-blocked'], DEFAULT_ANALYSIS_CONFIG.ports['telnet-blocked']);
  });

  it('reports every error with the setting path and a suggestion', () => {
    const r = validateAnalysisConfig({
      portScan: { distinctPorts: 1, windowSecond: 60, distinctHosts: 'many' },
      ports: { 'ssh-blocke': [22], 'rdp-blocked': [70000], 'database-blocked': 5432 },
      topN: 2.5,
    });
    assert.ok(!r.ok);
    const text = r.errors.join('\n');
    assert.match(text, /portScan\.distinctPorts: 1 is out of range \(2 to 65536\)/);
    assert.match(text, /portScan\.windowSecond: unknown setting \(did you mean 'windowSeconds'\?\)/);
    assert.match(text, /portScan\.distinctHosts: expected an integer/);
    assert.match(text, /ports\.ssh-blocke: unknown setting \(did you mean 'ssh-blocked'\?\)/);
    assert.match(text, /ports\.rdp-blocked\[0\]: 70000 is not a port/);
    assert.match(text, /ports\.database-blocked: expected a list of ports/);
    assert.match(text, /topN: expected an integer/);
    assert.equal(r.errors.length, 7);
  });

  it('rejects a non-object', () => {
    const r = validateAnalysisConfig([1, 2]);
    assert.ok(!r.ok);
    assert.match(r.errors[0] ?? '', /expected an object/);
    assert.ok(validateAnalysisConfig(undefined).ok);
  });

  it('resolve keeps the valid part of an invalid configuration', () => {
    const c = resolveAnalysisConfig({
      portScan: { distinctPorts: 7, windowSeconds: -1 },
      ports: { 'ssh-blocked': [2222], 'rdp-blocked': ['x'] as unknown as number[] },
    });
    assert.equal(c.portScan.distinctPorts, 7);
    assert.equal(c.portScan.windowSeconds, 300);
    assert.deepEqual(c.ports['ssh-blocked'].tcp, [2222]);
    assert.deepEqual(c.ports['rdp-blocked'], DEFAULT_ANALYSIS_CONFIG.ports['rdp-blocked']);
  });
});
