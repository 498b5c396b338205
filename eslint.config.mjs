import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['fs', 'zlib', 'path', 'os', 'stream', 'readline', 'child_process', 'worker_threads', 'buffer', 'crypto'];
const noVscode = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        { name: 'vscode', message: 'Only src/extension may import vscode.' },
        ...nodeBuiltins.flatMap((n) => [n, `node:${n}`]).map((name) => ({ name, message: 'src/core, src/shared and webview stay pure: no Node built-ins.' })),
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'out/**', 'test-results/**', 'wasm/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
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
  { files: ['src/core/**', 'src/shared/**', 'webview/**'], rules: noVscode },
  { files: ['src/extension/**'], rules: { 'no-console': 'error' } },
  { files: ['webview/**'], languageOptions: { globals: { ...globals.browser } } },
);
