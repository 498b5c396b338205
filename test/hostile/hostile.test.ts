// The hostile-input suite (see scripts/hostile.ts and docs/hostile-inputs.md): each case's input is
// generated into a temporary folder and run through the built CLI (dist/cli.js, built by
// `npm run test:hostile`), checking exit status, line accounting, peak RSS (< 300 MB) and a hang guard.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, cases, check, inputPath, runCli, scale, TIME_LIMIT_MS, type CaseContext } from '../../scripts/hostile';

describe(`hostile inputs (HOSTILE_SCALE=${scale()})`, function () {
  this.timeout(TIME_LIMIT_MS * 6);
  this.slow(30_000);
  let dir = '';
  before(function () {
    if (!existsSync(CLI))
      throw new Error(`${CLI} is missing: run \`node esbuild.mjs\` first (npm run test:hostile does)`);
    dir = mkdtempSync(join(tmpdir(), 'vpcflow-hostile-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of cases()) {
    it(`${c.name}: ${c.about}`, async () => {
      const input = inputPath(dir, c);
      const lines = await c.make(input);
      const problems: string[] = [];
      const ctx: CaseContext = {};
      try {
        for (const run of c.runs ?? [
          { args: ['parse', '--ndjson', '{in}'], exit: 0 },
          { args: ['analyze', '{in}', '--json'], exit: 0 },
        ]) {
          const r = await runCli(run, input, dir);
          for (const p of check(c, run, r, lines, ctx))
            problems.push(`${run.shell ?? run.args.join(' ').replace(input, '<input>')}: ${p}`);
        }
      } finally {
        rmSync(input, { force: true });
      }
      assert.deepEqual(problems, []);
    });
  }
});
