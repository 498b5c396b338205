import * as assert from 'node:assert/strict';
import { FlowAnalyzer } from '../../src/core/analysis/analyzer';
import { validateAnalysisConfig } from '../../src/core/analysis/config';
import { combineParts, type AnalysisPart } from '../../src/core/analysis/merge';
import { FlowParser } from '../../src/core/parser';
import { PartCombiner } from '../../src/node/partCombiner';
import { benchLines } from '../../scripts/benchData';

const checked = validateAnalysisConfig({});
if (!checked.ok) throw new Error(checked.errors.join());
const config = checked.config;

function partOf(text: string, cfg = config, hitRoom?: readonly number[]): AnalysisPart {
  const analyzer = new FlowAnalyzer(cfg, { part: true, hitRoom });
  const parser = new FlowParser(analyzer);
  parser.push(text);
  return analyzer.part(parser.end());
}

describe('PartCombiner', () => {
  it('gives what combineParts gives, for parts of several files and of one input', () => {
    // 7 parts (not a power of two: the last merges are uneven), files 0, 0, 1, 2, 2, 2, 3.
    const lines = benchLines('realistic', 3500, 5);
    const parts = [0, 1, 2, 3, 4, 5, 6].map((i) => ({
      part: partOf(lines.slice(i * 500, (i + 1) * 500).join('\n') + '\n'),
      file: [0, 0, 1, 2, 2, 2, 3][i]!,
    }));
    const files = [0, 1, 2, 3].map((i) => ({ path: `f${i}.log`, kind: 'plain' as const, bytes: 1 }));
    const withFiles = new PartCombiner(config, true);
    for (const f of files) withFiles.file(f);
    for (const p of parts) withFiles.add(p.part, p.file);
    assert.deepEqual(withFiles.summary(), combineParts(config, parts, files));

    const one = new PartCombiner(config, false);
    one.file(files[0]!);
    for (const p of parts) one.add(p.part, 0);
    const whole = combineParts(
      config,
      parts.map((p) => ({ part: p.part, file: 0 })),
      undefined,
    );
    assert.deepEqual(one.summary(), whole);
    assert.ok(whole.triggers.some((t) => t.count > 0));
  });

  it('gives the empty summary when nothing was added', () => {
    const c = new PartCombiner(config, true);
    c.file({ path: 'a.log', kind: 'plain', bytes: 0, skipped: 'not a flow log' });
    assert.deepEqual(
      c.summary(),
      combineParts(config, [], [{ path: 'a.log', kind: 'plain', bytes: 0, skipped: 'not a flow log' }]),
    );
  });

  it('asks later parts only for the hits it can still keep, and gives the same summary as with every hit', () => {
    // Few hits kept per trigger, so that the first parts fill them: later parts are made with no room.
    const small = validateAnalysisConfig({ maxHitsPerTrigger: 5 });
    if (!small.ok) throw new Error(small.errors.join());
    const cfg = small.config;
    const lines = benchLines('realistic', 4000, 9);
    const texts = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => lines.slice(i * 500, (i + 1) * 500).join('\n') + '\n');
    const full = texts.map((t, i) => ({ part: partOf(t, cfg), file: i }));
    const files = texts.map((_, i) => ({ path: `f${i}.log`, kind: 'plain' as const, bytes: 1 }));
    const c = new PartCombiner(cfg, true);
    for (const f of files) c.file(f);
    const rooms: number[][] = [];
    texts.forEach((t, i) => {
      const room = c.hitRoom();
      rooms.push(room);
      c.add(partOf(t, cfg, room), i);
    });
    assert.deepEqual(c.summary(), combineParts(cfg, full, files));
    // The rooms shrink to nothing for the triggers that hit early, and those parts described no hit.
    const last = rooms[rooms.length - 1]!;
    assert.ok(last.some((r) => r === 0));
    assert.ok(last.every((r) => r >= 0 && r <= 5));
    const withoutRoom = partOf(texts[7]!, cfg, last);
    withoutRoom.triggers.forEach((t, i) => {
      assert.ok(t.hits.length <= last[i]!);
      assert.equal(t.count, full[7]!.part.triggers[i]!.count);
    });
  });
});
