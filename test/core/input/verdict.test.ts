// Whether a file is a flow log (src/core/input/verdict.ts): the skip rule every front end uses, and the watch on a
// sink's first unparsed reason that names why.
import { strict as assert } from 'node:assert';
import { FlowAnalyzer } from '../../../src/core/analysis/analyzer';
import { notAFlowLog, watchFirstProblem } from '../../../src/core/input/verdict';
import { FlowParser } from '../../../src/core/parser';
import type { ParseSink, UnparsedLine } from '../../../src/core/types';

const LOG =
  'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n' +
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 REJECT OK\n' +
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 99999 6 20 4249 1418530010 1418530070 ACCEPT OK\n';

describe('notAFlowLog', () => {
  it('skips a file with unparsed lines and no record, naming its first problem; keeps any other', () => {
    assert.equal(
      notAFlowLog(0, 3, undefined, 'expected 14 fields, found 2'),
      'not a flow log (expected 14 fields, found 2)',
    );
    assert.equal(notAFlowLog(0, 3, undefined, undefined), 'not a flow log (no record)');
    assert.equal(notAFlowLog(1, 3, undefined, 'x'), undefined, 'one record makes it a flow log');
    assert.equal(notAFlowLog(0, 0, undefined, undefined), undefined, 'an empty file is not judged');
    assert.equal(notAFlowLog(0, 2, 'truncated gzip', 'x'), undefined, 'a damaged file counts what decoded');
  });
});

describe('watchFirstProblem', () => {
  it('names the first unparsed reason of an analyzer and gives its method back; the analysis is unchanged', () => {
    const plain = new FlowAnalyzer();
    const plainParser = new FlowParser(plain);
    plainParser.push(LOG);
    const want = plain.finish(plainParser.end());

    const analyzer = new FlowAnalyzer();
    const watch = watchFirstProblem(analyzer);
    assert.ok(Object.hasOwn(analyzer, 'unparsed'));
    const parser = new FlowParser(analyzer);
    parser.push(LOG);
    const stats = parser.end();
    assert.match(watch.first() ?? '', /dstport/);
    watch.stop();
    assert.ok(!Object.hasOwn(analyzer, 'unparsed'), 'the class method again');
    assert.deepEqual(analyzer.finish(stats), want);
  });

  it('restores a sink whose own unparsed was a property, and forwards every line to it', () => {
    const got: UnparsedLine[] = [];
    const own = (u: UnparsedLine): void => void got.push(u);
    const sink: ParseSink = { record() {}, unparsed: own };
    const watch = watchFirstProblem(sink);
    sink.unparsed({ line: 3, text: 'x', reason: 'first', envelope: 'plain' });
    sink.unparsed({ line: 4, text: 'y', reason: 'second', envelope: 'plain' });
    assert.equal(watch.first(), 'first');
    assert.deepEqual(
      got.map((u) => u.reason),
      ['first', 'second'],
    );
    watch.stop();
    assert.equal(Object.getOwnPropertyDescriptor(sink, 'unparsed')?.value, own);
  });
});
