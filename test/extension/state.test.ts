// StoredState (src/extension/state.ts): what "Set Log Format…" remembers is read back as written, lives in the
// workspace memento under its historical key, and a stored value of the wrong shape reads as "nothing stored".
// Plain Node: state.ts only imports vscode's types, so two in-memory mementos stand in for VS Code's.
import * as assert from 'node:assert/strict';
import { StoredState } from '../../src/extension/state';
import { MemoryMemento } from '../integration/memoryMemento';

describe('stored state', () => {
  const setup = () => {
    const workspaceState = new MemoryMemento();
    const globalState = new MemoryMemento();
    return { workspaceState, globalState, state: new StoredState({ workspaceState, globalState }) };
  };

  it('reads the format overrides back as written, from the workspace memento key vpcFlow.formatOverrides', async () => {
    const { workspaceState, globalState, state } = setup();
    assert.deepEqual(state.get('formatOverrides'), {});
    await state.update('formatOverrides', { 'file:///a.log': 'default' });
    assert.deepEqual(state.get('formatOverrides'), { 'file:///a.log': 'default' });
    // The key settings written by earlier versions used: a user's choices survive the upgrade.
    assert.deepEqual(workspaceState.keys(), ['vpcFlow.formatOverrides']);
    assert.deepEqual(globalState.keys(), []);
  });

  it('reads a value of the wrong shape as nothing stored', () => {
    for (const bad of [42, 'default', null, ['default'], { 'file:///a.log': 3 }]) {
      const { workspaceState, state } = setup();
      workspaceState.values.set('vpcFlow.formatOverrides', bad);
      assert.deepEqual(state.get('formatOverrides'), {}, JSON.stringify(bad));
    }
  });

  it('remembers the engine "Copy Query for…" last used, for every workspace (global memento)', async () => {
    const { workspaceState, globalState, state } = setup();
    assert.equal(state.get('queryEngine'), '');
    await state.update('queryEngine', 'metric-filter:terraform');
    assert.equal(state.get('queryEngine'), 'metric-filter:terraform');
    assert.deepEqual(globalState.keys(), ['vpcFlow.queryEngine']);
    assert.deepEqual(workspaceState.keys(), []);
    for (const bad of [42, null, ['athena'], { engine: 'athena' }, 'x'.repeat(65)]) {
      globalState.values.set('vpcFlow.queryEngine', bad);
      assert.equal(state.get('queryEngine'), '', JSON.stringify(bad));
    }
  });

  it('hands out a default that cannot be changed by accident', () => {
    const { state } = setup();
    const none = state.get('formatOverrides') as Record<string, string>;
    assert.throws(() => {
      none['file:///a.log'] = 'default';
    }, TypeError);
    assert.deepEqual(state.get('formatOverrides'), {});
  });
});
