// The constants the WebAssembly scanner and its JavaScript side share are generated from one declaration
// (scripts/genWasmLayout.ts) and the validator declarations: the checked-in files must be what the generator
// prints, and the codes they carry must be the validators' own.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wasmLayoutFiles } from '../../scripts/genWasmLayout';
import { compileFormat } from '../../src/core/validate';
import { V, VALIDATORS } from '../../src/core/validators';
import { CODES, DATA, MAX_FIELDS, MAXD, MAXV, SPANS, VALS, WASM_TEXT_CODES } from '../../src/core/wasmLayout';
import { makeFormat } from '../../src/core/format';
import { createWasmScanner } from '../../src/core/wasmScan';

const root = join(__dirname, '../..');

describe('WebAssembly scanner layout', () => {
  for (const [path, text] of Object.entries(wasmLayoutFiles())) {
    it(`${path} is what scripts/genWasmLayout.ts prints (run \`npx tsx scripts/genWasmLayout.ts\`)`, () => {
      assert.equal(readFileSync(join(root, path), 'utf8'), text);
    });
  }

  it('carries the validator codes and words of src/core/validators.ts', () => {
    const as = wasmLayoutFiles()['wasm/layout.ts']!;
    const constant = (name: string): string => new RegExp(`export const ${name}: \\w+ = (\\S+);`).exec(as)![1]!;
    assert.equal(Number(constant('IP')), V.Ip);
    assert.equal(Number(constant('ACTION')), V.Action);
    assert.equal(Number(constant('LOG_STATUS')), V.LogStatus);
    assert.equal(Number(constant('ENI')), V.Eni);
    assert.equal(Number(constant('REJECT_VALUE')), 2);
    assert.equal(Number(constant('SKIPDATA_VALUE')), 4);
    // 'eni-' as one little-endian 32-bit load.
    assert.equal(Number(constant('ENI_PREFIX_U32_0')), Buffer.from(VALIDATORS[V.Eni]!.prefix!).readUInt32LE(0));
    assert.deepEqual(WASM_TEXT_CODES, [V.Any, V.Ip, V.Action, V.LogStatus, V.Eni]);
  });

  it('keeps the areas apart: each holds MAX_FIELDS entries below the next, and the data above them', () => {
    const areas: [number, number][] = [
      [CODES, MAX_FIELDS],
      [MAXD, MAX_FIELDS],
      [MAXV, MAX_FIELDS * 8],
      [SPANS, MAX_FIELDS * 2 * 4],
      [VALS, MAX_FIELDS * 8],
    ];
    for (let k = 0; k + 1 < areas.length; k++) assert.ok(areas[k]![0] + areas[k]![1] <= areas[k + 1]![0], `area ${k}`);
    assert.ok(VALS + MAX_FIELDS * 8 <= DATA);
  });

  it('is used exactly for the formats whose validators the module implements', () => {
    const ws = createWasmScanner()!;
    assert.ok(
      ws.ready(
        compileFormat(makeFormat(['srcaddr', 'action', 'log-status', 'interface-id', 'bytes'], { source: 'user' })),
      ),
    );
    assert.ok(
      !ws.ready(compileFormat(makeFormat(['srcaddr', 'action', 'vpc-id'], { source: 'user' }))),
      'vpc-id: JavaScript only',
    );
  });
});
