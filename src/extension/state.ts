// Everything the extension stores between sessions (VS Code mementos), behind typed keys in one place: a value is
// read back through its guard, so a stored value of the wrong shape reads as the default instead of leaking in.
import type * as vscode from 'vscode';

/** What is stored, by name: its memento key, scope, type (through the guard) and default. */
const STORED = {
  /** "VPC Flow: Set Log Format…": document URI → 'default', 'alphabetical' or a format string (absent = auto). */
  formatOverrides: {
    key: 'vpcFlow.formatOverrides',
    scope: 'workspace',
    guard: isStringRecord,
    fallback: Object.freeze({}) as Readonly<Record<string, string>>,
  },
  /** "VPC Flow: Copy Query for…": the engine last picked ('athena', 'metric-filter:terraform', ...; '' = none yet). */
  queryEngine: {
    key: 'vpcFlow.queryEngine',
    scope: 'global',
    guard: isShortString,
    fallback: '' as string,
  },
} as const;

type Stored = typeof STORED;
export type StoredName = keyof Stored;
export type StoredValue<N extends StoredName> = Stored[N]['fallback'];

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64;
}

function isStringRecord(value: unknown): value is Readonly<Record<string, string>> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

/** The extension's workspace and global mementos, read and written by name. */
export class StoredState {
  constructor(
    private readonly mementos: { readonly workspaceState: vscode.Memento; readonly globalState: vscode.Memento },
  ) {}

  get<N extends StoredName>(name: N): StoredValue<N> {
    const spec = STORED[name];
    const value = this.memento(spec.scope).get<unknown>(spec.key);
    return spec.guard(value) ? value : spec.fallback;
  }

  update<N extends StoredName>(name: N, value: StoredValue<N>): Thenable<void> {
    const spec = STORED[name];
    return this.memento(spec.scope).update(spec.key, value);
  }

  private memento(scope: 'workspace' | 'global'): vscode.Memento {
    return scope === 'workspace' ? this.mementos.workspaceState : this.mementos.globalState;
  }
}
