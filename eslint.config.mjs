import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'zlib',
  'path',
  'os',
  'stream',
  'readline',
  'child_process',
  'worker_threads',
  'buffer',
  'crypto',
];
const builtinPaths = [
  { name: 'vscode', message: 'Only src/extension may import vscode.' },
  ...nodeBuiltins
    .flatMap((n) => [n, `node:${n}`])
    .map((name) => ({ name, message: 'src/core, src/shared and webview stay pure: no Node built-ins.' })),
];

/** One `no-restricted-imports` rule per layer (ESLint replaces, not merges, a rule configured twice). */
function layer(patterns, { builtins = false, typeOnlyCore = false } = {}) {
  const rule = typeOnlyCore ? '@typescript-eslint/no-restricted-imports' : 'no-restricted-imports';
  const groups = patterns.map(([group, message]) => ({ group, message }));
  if (typeOnlyCore)
    groups.push({
      group: ['**/core', '**/core/**'],
      message: "src/shared imports only the core's types.",
      allowTypeImports: true,
    });
  return {
    rules: {
      [rule]: ['error', { ...(builtins ? { paths: builtinPaths } : {}), patterns: groups }],
    },
  };
}

const FRONT_ENDS =
  'src/core is pure and knows no front end: import it from src/extension, src/cli or webview, never the reverse.';
// Layering (docs/ARCHITECTURE.md): core <- shared (types) <- extension, cli, webview; test may import scripts.
const layers = [
  {
    files: ['src/core/**'],
    ...layer(
      [[['**/extension', '**/extension/**', '**/cli', '**/cli/**', '**/webview', '**/webview/**'], FRONT_ENDS]],
      {
        builtins: true,
      },
    ),
  },
  {
    files: ['src/shared/**'],
    ...layer(
      [
        [
          ['**/extension/**', '**/cli/**', '**/webview/**'],
          'src/shared is imported by the front ends, not the reverse.',
        ],
      ],
      {
        builtins: true,
        typeOnlyCore: true,
      },
    ),
  },
  {
    files: ['webview/**'],
    ...layer(
      [
        [
          ['**/src/core/**', '**/src/extension/**', '**/src/cli/**'],
          'The webview imports only src/shared (and chart.js).',
        ],
      ],
      {
        builtins: true,
      },
    ),
  },
  {
    files: ['src/node/**'],
    ...layer([
      [
        ['**/extension/**', '**/cli/**', '**/webview/**'],
        'src/node holds Node host parts for the core; it knows no front end.',
      ],
    ]),
  },
  { files: ['src/cli/**'], ...layer([[['**/extension/**', '**/webview/**'], 'The CLI runs on the core alone.']]) },
  {
    files: ['src/extension/**'],
    ...layer([
      [['**/cli/**', '**/webview/**'], 'The extension talks to the webview by messages (src/shared/protocol.ts) only.'],
    ]),
  },
  { files: ['scripts/**'], ...layer([[['**/test/**'], 'test/ may import scripts/, never the reverse.']]) },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.vscode-test/**',
      'out/**',
      'test-results/**',
      'wasm/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  ...layers,
  { files: ['src/extension/**'], rules: { 'no-console': 'error' } },
  { files: ['webview/**'], languageOptions: { globals: { ...globals.browser } } },
);
