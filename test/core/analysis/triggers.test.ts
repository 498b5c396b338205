// The trigger declarations are data (inspectable, printable as SQL later) and one evaluator reads them.
import * as assert from 'node:assert/strict';
import { DEFAULT_ANALYSIS_CONFIG } from '../../../src/core/analysis/config';
import { firedTriggers } from '../../../src/core/analysis/evaluate';
import { ACCEPTED, REJECTED } from '../../../src/core/analysis/layout';
import { PORT_TRIGGERS, TRIGGERS, triggerBit, triggerDef, triggersInMask } from '../../../src/core/analysis/triggers';

const ids = (defs: readonly { id: string }[]): string[] => defs.map((d) => d.id);

describe('trigger declarations', () => {
  it('hold their rule and flags as plain data', () => {
    for (const t of TRIGGERS) {
      assert.deepEqual(JSON.parse(JSON.stringify(t.when)), t.when, t.id);
      assert.deepEqual(JSON.parse(JSON.stringify(t.flags)), t.flags, t.id);
      assert.equal(t.when.action, 'REJECT');
    }
    assert.equal(TRIGGERS.filter((t) => t.flags.needsState).length, 1, 'one stateful trigger');
    assert.equal(TRIGGERS.filter((t) => t.flags.derived).length, 1, 'one derived trigger');
    assert.deepEqual(
      ids(PORT_TRIGGERS),
      Object.keys(DEFAULT_ANALYSIS_CONFIG.ports),
      'configured ports per port trigger',
    );
  });

  it('map to per-line bits and back', () => {
    let all = 0;
    for (const t of TRIGGERS) {
      assert.deepEqual(ids(triggersInMask(triggerBit(t.id))), [t.id]);
      all |= triggerBit(t.id);
    }
    assert.deepEqual(ids(triggersInMask(all)), ids(TRIGGERS));
    assert.equal(triggerBit('no-such-trigger'), 0);
  });

  it('are evaluated by their rules: action, configured ports, replies, state and derivation', () => {
    const c = DEFAULT_ANALYSIS_CONFIG;
    const fired = (status: number, proto: number, dport: number, reply: boolean, state = false): string[] =>
      ids(firedTriggers({ status, proto, dport, reply }, c, state));
    assert.deepEqual(fired(ACCEPTED, 6, 22, false), []);
    assert.deepEqual(fired(REJECTED, 6, 22, false), ['ssh-blocked', 'mitre-threat', 'traffic-rejected']);
    assert.deepEqual(fired(REJECTED, 17, 22, false), ['traffic-rejected'], 'SSH is watched over TCP only');
    assert.deepEqual(fired(REJECTED, 17, 3389, false), ['rdp-blocked', 'mitre-threat', 'traffic-rejected']);
    assert.deepEqual(fired(REJECTED, 6, 445, false), ['smb-blocked', 'traffic-rejected'], 'not MITRE-mapped');
    assert.deepEqual(fired(REJECTED, 6, 50000, true), ['traffic-rejected', 'nacl-return-blocked']);
    assert.deepEqual(fired(REJECTED, 6, 4444, false, true), ['port-scan', 'mitre-threat', 'traffic-rejected']);
    assert.equal(triggerDef('nacl-return-blocked')?.when.replies, 'only');
  });
});
