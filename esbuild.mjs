// Bundles the extension (node + browser), the webview and the CLI into dist/.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  target: 'es2022',
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  // The document worker the Node entry starts (nodeHost.ts): documents analysed off the extension host's thread.
  {
    ...common,
    entryPoints: ['src/extension/documentWorker.ts'],
    outfile: 'dist/documentWorker.js',
    platform: 'node',
    format: 'cjs',
  },
  // The browser entry: what differs from Node is passed to the features by extension.web.ts; no Node built-in may
  // reach this bundle (platform browser, only vscode external: esbuild fails the build on one).
  {
    ...common,
    entryPoints: ['src/extension/extension.web.ts'],
    outfile: 'dist/web/extension.js',
    platform: 'browser',
    format: 'cjs',
    external: ['vscode'],
  },
  { ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' },
  { ...common, entryPoints: ['webview/styles.css'], outfile: 'dist/webview.css', sourcemap: false },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    sourcemap: false,
  },
  // The analysis worker of the CLI and the Node extension host (src/node/pool.ts): beside them in dist/.
  {
    ...common,
    entryPoints: ['src/node/analysisWorker.ts'],
    outfile: 'dist/analysisWorker.js',
    platform: 'node',
    format: 'cjs',
    sourcemap: false,
  },
];

if (watch) {
  const ctxs = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(ctxs.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
