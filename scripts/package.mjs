// `npm run package`: production build, then a .vsix with @vscode/vsce holding only what .vscodeignore
// allow-lists (everything is bundled by esbuild, hence --no-dependencies); vsce prints the files it holds.
// Option: --out <file.vsix>.
import * as path from 'node:path';
import { packageVsix } from './codeServer.mjs';

const i = process.argv.indexOf('--out');
const file = packageVsix(i > 0 ? { out: process.argv[i + 1] } : {});
console.log(`[package] ${path.relative(process.cwd(), file)}`);
