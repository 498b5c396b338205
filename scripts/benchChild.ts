// What the bench scripts share to time the core as it ships: the bench script is bundled by esbuild the
// way esbuild.mjs bundles the CLI, and each timed run is a fresh Node process (`<script> --one <file>`)
// that prints its result as JSON.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/** Bundles `entry` (a bench script and the core it imports) into bench-data/<outName>; returns its path. */
export function bundleChild(entry: string, outName: string): string {
  const out = join(__dirname, '..', 'bench-data', outName);
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    outfile: out,
    logLevel: 'warning',
    external: ['esbuild'],
  });
  return out;
}

/** One timed run of `script --one path` in a fresh process; returns the JSON it printed. */
export function runChild<T>(script: string, path: string): T {
  const r = spawnSync(process.execPath, [script, '--one', path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
