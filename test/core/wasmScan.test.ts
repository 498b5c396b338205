// The WebAssembly record scanner (wasm/scan.ts) against the JavaScript one (scanRecordValues): wherever the
// module accepts a line, it must give the same spans and values; it must accept the ordinary records (or
// it would never be used); and the committed module must be the one its source compiles to.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DEFAULT_V2, DEFAULT_V2_FIELDS, makeFormat } from '../../src/core/format';
import { FlowParser, type FusedRecordSink } from '../../src/core/parser';
import { scanRecordValues } from '../../src/core/record';
import type { FlowFormat } from '../../src/core/types';
import { compileFormat } from '../../src/core/validate';
import { createWasmScanner, type WasmScanner } from '../../src/core/wasmScan';
import { SCAN_WASM_BASE64 } from '../../src/core/wasmScanModule';

const enc = new TextEncoder();

/** Scans `line` with both scanners; returns whether the module accepted it (after checking it agreed). */
function compare(ws: WasmScanner, format: FlowFormat, line: string): boolean {
  const cf = compileFormat(format);
  assert.ok(ws.ready(cf), 'the module takes this format');
  const bytes = enc.encode(`${line}\n`);
  const base = ws.load(bytes);
  const b = base + bytes.length - 1;
  const accepted = ws.scan(base, b);
  const wSpans = Array.from(ws.spans.subarray(0, 2 * cf.n));
  const wVals = Array.from(ws.vals.subarray(0, cf.n));
  const spans = new Int32Array(2 * cf.n);
  const vals = new Float64Array(cf.n);
  const reason = scanRecordValues(ws.u8, base, b, cf, format.fields, spans, vals);
  if (accepted) {
    assert.equal(reason, undefined, `the module accepted a line JavaScript rejects: ${JSON.stringify(line)}`);
    assert.deepEqual(wSpans, Array.from(spans), `spans of ${JSON.stringify(line)}`);
    assert.deepEqual(wVals, Array.from(vals), `values of ${JSON.stringify(line)}`);
  }
  return accepted;
}

const DEFAULT = DEFAULT_V2;
// Another order and subset, with a metadata field the module checks by its prefix (interface-id) in the middle.
const CUSTOM = makeFormat(['log-status', 'dstaddr', 'bytes', 'interface-id', 'action', 'start', 'srcaddr', 'dstport'], {
  source: 'user',
});

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
const tokens = {
  addr: fc.oneof(
    ipv4,
    fc.constantFrom(
      '010.001.000.255',
      '2001:db8::1',
      '::',
      '::1',
      'fe80::1:2:3:4:5:6',
      '1:2:3:4:5:6:7:8',
      '::ffff:10.0.0.1',
    ),
    fc.constantFrom('1:2:3:4:5:6:7:8:9', '2001:db8:::1', ':1', '1::2::3', '12345::1', '::ffff:1.2.3', 'fe80::g'),
    fc.constantFrom('-', '10.0.0', '1.2.3.4.5', '256.1.1.1', '1.2.3.1000', '1..2.3', '.1.2.3', '1.2.3.', 'a.b.c.d'),
  ),
  num: fc.oneof(
    fc.nat().map(String),
    fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String),
    fc.constantFrom(
      '-',
      '0',
      '007',
      '9007199254740993',
      '9999999999999999',
      '99999999999999999',
      '12a',
      '-1',
      '+1',
      '',
    ),
  ),
  port: fc.oneof(fc.nat(70000).map(String), fc.constantFrom('65535', '65536', '000022', '-', 'x')),
  action: fc.constantFrom('ACCEPT', 'REJECT', '-', 'accept', 'ACCEPTED', 'REJEC', 'DROP', 'ACCEPt'),
  status: fc.constantFrom('OK', 'NODATA', 'SKIPDATA', '-', 'ok', 'OKAY', 'NODAT', 'SKIPDATAX'),
  any: fc.oneof(
    fc.constantFrom('eni-0a1b2c3d4e5f60718', '-', 'x', '\u0001ctl', 'a\rb'),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }).filter((s) => !/[ \t]/.test(s)),
  ),
};

/** A valid token of the field most of the time, else one of the edge cases above. */
function tokenFor(field: string): fc.Arbitrary<string> {
  const mostly = (valid: fc.Arbitrary<string>, edge: fc.Arbitrary<string>) =>
    fc.oneof({ weight: 15, arbitrary: valid }, { weight: 1, arbitrary: edge });
  if (field.endsWith('addr')) return mostly(ipv4, tokens.addr);
  if (field.endsWith('port')) return mostly(fc.nat(65535).map(String), tokens.port);
  if (field === 'action') return mostly(fc.constantFrom('ACCEPT', 'REJECT'), tokens.action);
  if (field === 'log-status') return mostly(fc.constantFrom('OK', 'NODATA', 'SKIPDATA'), tokens.status);
  if (field === 'interface-id') return mostly(fc.constant('eni-0a1b2c3d4e5f60718'), tokens.any);
  if (field === 'account-id')
    return mostly(fc.constant('123456789012'), fc.constantFrom('unknown', '1234567890123', '-'));
  if (field === 'version') return mostly(fc.constant('2'), fc.constantFrom('100', '-', '02'));
  if (field === 'protocol') return mostly(fc.constantFrom('6', '17', '1'), fc.constantFrom('255', '256', '-'));
  if (field === 'start' || field === 'end') return mostly(fc.integer({ min: 1e9, max: 2e12 }).map(String), tokens.num);
  return mostly(fc.nat().map(String), tokens.num);
}

/** Lines of `format`: the right tokens (or a stray one), any spacing, sometimes a field more or less. */
function lines(format: FlowFormat): fc.Arbitrary<string> {
  const sep = fc.constantFrom(' ', ' ', ' ', '  ', '\t', ' \t ');
  return fc
    .tuple(
      fc.tuple(...format.fields.map((f) => fc.oneof({ weight: 30, arbitrary: tokenFor(f) }, tokens.any))),
      fc.array(sep, { minLength: format.fields.length + 1, maxLength: format.fields.length + 1 }),
      fc.constantFrom('same', 'same', 'same', 'same', 'same', 'same', 'more', 'fewer', 'non-ascii'),
    )
    .map(([ts, seps, shape]) => {
      const t = [...ts];
      if (shape === 'more') t.push('extra');
      if (shape === 'fewer') t.pop();
      if (shape === 'non-ascii') t[t.length - 1] = `${t[t.length - 1]}é`;
      const lead = seps[0] === ' ' ? '' : seps[0]!;
      return lead + t.map((x, k) => (k === 0 ? x : `${seps[k % seps.length]!}${x}`)).join('');
    });
}

describe('WebAssembly record scanner', () => {
  const ws = createWasmScanner();

  it('is available in Node (the parser falls back to JavaScript only where WebAssembly is missing)', () => {
    assert.ok(ws, 'createWasmScanner() returned null');
  });

  for (const [name, format] of [
    ['default', DEFAULT],
    ['custom order', CUSTOM],
  ] as const) {
    it(`agrees with the JavaScript scanner on every line it accepts (${name} format)`, () => {
      let accepted = 0;
      let total = 0;
      fc.assert(
        fc.property(lines(format), (line) => {
          total++;
          if (compare(ws!, format, line)) accepted++;
        }),
        { numRuns: 3000 },
      );
      // The generator is mostly valid records: the module must take a good share of them itself.
      assert.ok(accepted > total * 0.2, `accepted ${accepted} of ${total}`);
    });
  }

  it('accepts ordinary records, including IPv6 and `-` values', () => {
    for (const line of [
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
      '2 123456789010 eni-1235b8ca123456789 2001:db8::1 ::ffff:10.0.0.1 443 49152 6 3 180 1418530010 1418530070 REJECT OK',
      '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA',
      '2\t123456789010  eni-1  1.2.3.4 5.6.7.8 1 2 17 1 1 1418530010 1418530070 ACCEPT SKIPDATA',
    ]) {
      assert.ok(compare(ws!, DEFAULT, line), line);
    }
  });

  it('leaves bad lines to the JavaScript scanner, which gives the reason', () => {
    for (const line of [
      '2 123456789010 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 1 1418530010 1418530070 ACCEPT',
      '2 123456789010 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 1 1418530010 1418530070 ACCEPT OK extra',
      '2 123456789010 eni-1 1.2.3.256 5.6.7.8 1 2 6 1 1 1418530010 1418530070 ACCEPT OK',
      '2 123456789010 eni-1 1.2.3.4 5.6.7.8 1 65536 6 1 1 1418530010 1418530070 ACCEPT OK',
      '2 123456789010 eni-1 1.2.3.4 5.6.7.8 1 2 6 1 1 1418530010 1418530070 accept OK',
      '2 unknown eni-1 1.2.3.4 5.6.7.8 1 2 6 1 1 1418530010 1418530070 ACCEPT OK',
    ]) {
      assert.equal(compare(ws!, DEFAULT, line), false, line);
    }
  });

  it('is not used for formats with validators only JavaScript knows (the 29-field layout)', () => {
    const cf = compileFormat(makeFormat(['version', 'region', 'az-id', 'srcaddr'], { source: 'user' }));
    assert.equal(ws!.ready(cf), false);
  });

  it('gives the same records, values and unparsed lines as the JavaScript scanner across a 16 MiB window', () => {
    // One chunk larger than the window the parser copies at a time, with a line longer than a window.
    const good =
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 REJECT OK';
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 17.5 * 1024 * 1024; i++) {
      const l = i % 500 === 7 ? `${good} junk` : good.replace('20641', String(i % 65536));
      parts.push(l);
      size += l.length + 1;
      if (i === 50_000) {
        const long = `2 ${'9'.repeat(17 * 1024 * 1024)}`;
        parts.push(long);
        size += long.length + 1;
      }
    }
    const bytes = enc.encode(`${parts.join('\n')}\n`);
    const run = (wasm: boolean) => {
      const seen: number[] = [];
      const sink: FusedRecordSink = {
        record: () => assert.fail('the fused path takes every record here'),
        unparsed: (u) => seen.push(-u.line),
        header: () => {},
        recordValues: (_b, _s, vals, line) => {
          seen.push(line, vals[5]!, vals[6]!, vals[12]!);
        },
      };
      const parser = new FlowParser(sink, { format: DEFAULT_V2_FIELDS.join(' '), wasm });
      parser.push(bytes);
      const stats = parser.end();
      return { seen, records: stats.records, unparsed: stats.unparsed };
    };
    const withWasm = run(true);
    const withoutWasm = run(false);
    assert.equal(withWasm.records + withWasm.unparsed, parts.length);
    assert.ok(withWasm.unparsed > 100);
    assert.deepEqual(withWasm, withoutWasm);
  });

  it('is the module wasm/scan.ts compiles to (run `npm run build:wasm` after editing it)', async function () {
    this.timeout(300_000); // compiling AssemblyScript takes seconds, minutes on a loaded machine
    // @ts-expect-error: a plain ES module script without types
    const { compileScanner } = (await import('../../scripts/buildWasm.mjs')) as {
      compileScanner: () => Promise<Uint8Array>;
    };
    const fresh = Buffer.from(await compileScanner()).toString('base64');
    assert.equal(SCAN_WASM_BASE64, fresh, 'src/core/wasmScanModule.ts is stale');
  });
});
