// `npm run package`: production build, then a .vsix with @vscode/vsce holding only what .vscodeignore
// allow-lists (everything is bundled by esbuild, hence --no-dependencies). Prints the file and its contents.
// Option: --out <file.vsix>.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT, packageVsix } from './codeServer.mjs';

const i = process.argv.indexOf('--out');
const file = packageVsix(i > 0 ? { out: process.argv[i + 1] } : {});
const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies', '--tree'], { cwd: ROOT, stdio: 'inherit' });
console.log(`[package] ${path.relative(process.cwd(), file)}`);
