// Every command id of the extension, in one place. `Command` is exactly the set package.json contributes (the
// manifest unit test checks both directions and that each is registered); internal ids are never contributed.
// No `vscode` import: plain Node tests read this file too.

/** Commands contributed in package.json (palette, menus, status bar). */
export const Command = {
  analyze: 'vpcFlow.analyze',
  analyzeFile: 'vpcFlow.analyzeFile',
  analyzeFolder: 'vpcFlow.analyzeFolder',
  openDecompressed: 'vpcFlow.openDecompressed',
  toggleFieldLabels: 'vpcFlow.toggleFieldLabels',
  setFormat: 'vpcFlow.setFormat',
  showLog: 'vpcFlow.showLog',
  copyQuery: 'vpcFlow.copyQuery',
  exportQueries: 'vpcFlow.exportQueries',
} as const;

/** Internal commands: not in package.json, registered only in extension test runs (see probe.ts). */
export const InternalCommand = {
  /** What the editor features last showed, for the integration tests and `npm run bench:editor`. */
  editorState: 'vpcFlow._editorState',
} as const;

/** The second argument `vpcFlow.openDecompressed` takes from code (the dashboard): where to open the view. */
export interface OpenViewOptions {
  /** 1-based line of the decompressed text. */
  readonly line?: number;
  readonly viewColumn?: number;
}

/** An OpenViewOptions argument (the Explorer passes the selected URIs there instead). */
export function isOpenViewOptions(x: unknown): x is OpenViewOptions {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const { line, viewColumn } = x as Record<string, unknown>;
  return (
    (line === undefined || (typeof line === 'number' && Number.isSafeInteger(line) && line >= 1)) &&
    (viewColumn === undefined || typeof viewColumn === 'number')
  );
}

export type CommandId = (typeof Command)[keyof typeof Command];
