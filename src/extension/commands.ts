// Every command id of the extension, in one place. `Command` is exactly the set package.json contributes (the
// manifest unit test checks both directions and that each is registered); internal ids are never contributed.
// No `vscode` import: plain Node tests read this file too.

/** Commands contributed in package.json (palette, menus, status bar). */
export const Command = {
  analyze: 'vpcFlow.analyze',
  analyzeFile: 'vpcFlow.analyzeFile',
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

export type CommandId = (typeof Command)[keyof typeof Command];
