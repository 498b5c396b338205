// The fused parse + analyze path (the parser hands spans and values straight to the analyzer, for byte
// input) must give exactly the summary of the record path (a FlowRecord per line, as any other sink gets).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FlowAnalyzer } from '../../../src/core/analysis/analyzer';
import { FlowParser } from '../../../src/core/parser';
import type { ParseSink, UnparsedLine } from '../../../src/core/types';
import type { AnalysisSummary } from '../../../src/shared/summary';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

/** An analyzer that also keeps every unparsed line it is given (with its text). */
class Keeping extends FlowAnalyzer {
  readonly entries: UnparsedLine[] = [];
  override unparsed(entry: UnparsedLine): void {
    this.entries.push(entry);
    super.unparsed(entry);
  }
}

/** Summary of bytes pushed in chunks, with the analyzer as the sink itself (fused) or behind a plain sink. */
function summarize(
  bytes: Uint8Array,
  fused: boolean,
  chunk = 1 << 16,
  format?: string,
  wasm = true,
): AnalysisSummary & { entries: UnparsedLine[] } {
  const analyzer = new Keeping();
  const sink: ParseSink = fused
    ? analyzer
    : {
        record: (r) => analyzer.record(r),
        unparsed: (u) => analyzer.unparsed(u),
        header: (l, f) => analyzer.header(l, f),
      };
  const parser = new FlowParser(sink, format ? { format, wasm } : { wasm });
  for (let i = 0; i < bytes.length; i += chunk) parser.push(bytes.subarray(i, i + chunk));
  return { ...analyzer.finish(parser.end()), entries: analyzer.entries };
}

describe('fused parse + analyze path', () => {
  for (const name of readdirSync(FIXTURES, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.md'))
    .map((e) => e.name)) {
    it(`gives the record path's summary on ${name}`, () => {
      const bytes = readFileSync(join(FIXTURES, name));
      const fused = summarize(bytes, true, 4096);
      assert.deepEqual(fused, summarize(bytes, false, 4096));
      // The fused path with the JavaScript scanner only (where WebAssembly is missing).
      assert.deepEqual(summarize(bytes, true, 4096, undefined, false), fused);
    });
  }

  // Values at the edges of what validation and the analysis read: '-' everywhere it may be, epoch in
  // milliseconds, counts past 16 digits (read as absent) and up to 20 (valid), IPv6, bad values.
  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
  const addr = fc.oneof(ipv4, fc.constantFrom('2001:db8::1', 'fe80::1', '-', '10.0.0', '1.2.3.4.5', '256.1.1.1'));
  const count = fc.oneof(
    fc.nat(100_000).map(String),
    fc.constantFrom('-', '12345678901234567', '99999999999999999999', '123456789012345678901', '12a'),
  );
  const time = fc.oneof(
    fc.integer({ min: 1_600_000_000, max: 1_600_100_000 }).map(String),
    fc.integer({ min: 1_600_000_000_000, max: 1_600_100_000_000 }).map(String),
    fc.constantFrom('-', '99999999999999'),
  );
  const port = fc.oneof(fc.nat(65535).map(String), fc.constantFrom('22', '3389', '445', '-', '65536', 'x'));
  const proto = fc.constantFrom('6', '17', '1', '58', '-', '256');
  const action = fc.constantFrom('ACCEPT', 'REJECT', '-', 'accept', 'DROP');
  const status = fc.constantFrom('OK', 'OK', 'OK', 'NODATA', 'SKIPDATA', '-', 'ok');
  const record = fc
    .tuple(addr, addr, port, port, proto, count, count, time, time, action, status)
    .map(([src, dst, sp, dp, pr, pk, by, st, en, ac, ls]) =>
      ['2', '123456789010', 'eni-0a1b2c3d4e5f60718', src, dst, sp, dp, pr, pk, by, st, en, ac, ls].join(' '),
    );
  // Non-ASCII bytes anywhere (a valid field, an invalid one, past the last field) send the line down the
  // text path; byte and character offsets then differ, so the reason text must still be right.
  const nonAscii = fc.tuple(record, fc.constantFrom('é', '→', '\u00a0', '😀'), fc.nat(200)).map(([l, ch, at]) => {
    const parts = l.split(' ');
    const k = at % (parts.length + 1);
    if (k === parts.length) return `${l} ${ch}`;
    if (k === 2) parts[2] = `eni-${ch}`;
    else parts[k] = `${parts[k]}${ch}`;
    return parts.join(' ');
  });
  const anyLine = fc.oneof(
    { weight: 12, arbitrary: record },
    { weight: 2, arbitrary: nonAscii },
    { weight: 1, arbitrary: fc.constantFrom('', '  ', '2 123 eni-1 1.2.3.4', 'hello world', '{"a": 1}') },
  );

  it('gives the record path summary on records with edge values, any chunking', function () {
    this.timeout(300_000); // a property over many inputs: minutes on a loaded machine
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 60 }), fc.integer({ min: 1, max: 300 }), (ls, chunk) => {
        const bytes = new TextEncoder().encode(ls.join('\n') + '\n');
        // A user format skips the inference sample, so every record line takes the byte path.
        const fmt =
          'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
        const viaRecords = summarize(bytes, false, chunk, fmt);
        assert.deepEqual(summarize(bytes, true, chunk, fmt), viaRecords);
        assert.deepEqual(summarize(bytes, true, chunk, fmt, false), viaRecords);
        assert.deepEqual(summarize(bytes, true, chunk), summarize(bytes, false, chunk));
      }),
      { numRuns: 300 },
    );
  });
});
