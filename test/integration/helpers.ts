// What the integration suites share: the extension's id, the test workspace, and waiting for a state.
//
// Tests wait for the state they assert (a probe of the extension, a document, a tab), never for time: `until`
// polls a condition and its deadline only guards against a hang, so it is generous (a loaded CI machine can be
// many times slower than a developer's).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'vpcflow.vpc-flow-explorer';

/** How long a wait may take before the test fails as hung (env VPCFLOW_TEST_WAIT_MS, default 90 s). */
export const WAIT_MS = Number(process.env.VPCFLOW_TEST_WAIT_MS ?? 90000);

/** A file of the workspace the test run opens (a copy of test/fixtures). */
export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run opens a workspace folder (a copy of test/fixtures)');
  return vscode.Uri.joinPath(folder.uri, name);
}

/**
 * Polls `probe` until it gives a value other than undefined or false; fails after `timeoutMs` (a hang guard, not a
 * synchronisation). `describe`, given the last value seen, explains a timeout.
 */
export async function until<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = WAIT_MS,
  describe?: () => unknown,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      let seen = '';
      if (describe) {
        try {
          seen = `; last seen: ${JSON.stringify(await describe())}`;
        } catch {
          /* best effort */
        }
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves with the first value `event` fires that satisfies `accept` (a hang guard rejects after `timeoutMs`). */
export function nextEvent<T>(
  what: string,
  event: vscode.Event<T>,
  accept: (value: T) => boolean = () => true,
  timeoutMs = WAIT_MS,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(value);
    });
  });
}

/** A Memento kept in memory, for services a test builds itself (they remember nothing between runs). */
export class MemoryMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();

  keys(): readonly string[] {
    return [...this.values.keys()];
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : defaultValue;
  }

  update(key: string, value: unknown): Thenable<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
}
