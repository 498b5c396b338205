// The Logs Insights queries and metric-filter documents equal their golden files (test/golden/query/). The test
// only reads them: after an intended change, regenerate with `npx tsx scripts/goldenQueries.ts` and review the diff.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenCases } from '../../../src/core/query/golden';

const DIR = join(__dirname, '..', '..', 'golden', 'query');

describe('query: golden Insights queries and metric filters', () => {
  for (const g of goldenCases()) {
    it(g.file, () => {
      const file = join(DIR, g.file);
      assert.ok(existsSync(file), `${g.file} is missing: run npx tsx scripts/goldenQueries.ts and review it`);
      assert.equal(
        g.text,
        readFileSync(file, 'utf8'),
        `${g.file} changed: if intended, run npx tsx scripts/goldenQueries.ts`,
      );
    });
  }
});
