// Writes the golden files of the Logs Insights queries and the metric-filter documents (test/golden/query/), which
// test/core/query/golden.test.ts compares with what the compiler prints. Run only on purpose, after checking the
// change is wanted: `npx tsx scripts/goldenQueries.ts`. The test never writes them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenCases } from '../src/core/query/golden';

const DIR = join(__dirname, '..', 'test', 'golden', 'query');
for (const g of goldenCases()) {
  const file = join(DIR, g.file);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, g.text);
}
console.log(`wrote ${goldenCases().length} files under ${DIR}`);
