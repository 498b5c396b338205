// The cases of the query golden files (test/golden/query/): every Insights query and both metric-filter documents
// for three formats (the default one Insights discovers, the 29-field alphabetical layout and a custom order), so a
// change in what the compiler prints shows up as a reviewed diff. PURE: read by scripts/goldenQueries.ts (writes)
// and test/core/query/golden.test.ts (compares).

import { DEFAULT_ANALYSIS_CONFIG } from '../analysis/config';
import { ALPHABETICAL_29, DEFAULT_V2, makeFormat } from '../format';
import type { FlowFormat } from '../types';
import { compileQuery, exportQueries, queryTargets } from './index';

const CUSTOM: FlowFormat = makeFormat(
  'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status'.split(
    ' ',
  ),
  { source: 'header' },
);

export function goldenCases(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const [name, format] of [
    ['default', DEFAULT_V2],
    ['alphabetical', ALPHABETICAL_29],
    ['custom-tcp-flags', CUSTOM],
  ] as const) {
    const base = { format, config: DEFAULT_ANALYSIS_CONFIG };
    for (const t of queryTargets()) {
      if (!t.engines.includes('insights')) continue;
      const text = compileQuery({
        ...base,
        engine: 'insights',
        ...(t.kind === 'trigger' ? { trigger: t.id } : { table: t.id }),
      });
      out.push({ file: `${name}/insights/${t.kind}-${t.id}.txt`, text: text.endsWith('\n') ? text : `${text}\n` });
    }
    for (const flavor of ['cloudformation', 'terraform'] as const) {
      const [doc] = exportQueries({ ...base, engine: 'metric-filter', metricFilterFlavor: flavor });
      out.push({ file: `${name}/metric-filters.${flavor === 'terraform' ? 'tf' : 'yaml'}`, text: doc!.text });
    }
  }
  return out;
}
