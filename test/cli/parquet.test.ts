// The CLI on Parquet flow logs: `vpcflow analyze` and `vpcflow parse` read a .parquet file (or Parquet on stdin) as
// the same records as text, say in one line when a Parquet file is no flow log, and report a damaged one.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { damageText, readInput } from '../../src/cli/io';
import { capturedIo } from './capturedIo';
import { FlowParser } from '../../src/core/parser';
import { writeFlowParquet } from '../../scripts/parquetWriter';

const ROOT = join(__dirname, '..', '..');
const FIX = join(ROOT, 'test', 'fixtures');

function vpcflow(args: string[], input?: Buffer): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('cli: Parquet flow logs', function () {
  this.timeout(120000);
  let dir: string;
  let pq: string;
  let txt: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vpcflow-cli-parquet-'));
    // The dashboard demo (29 fields, header line) as AWS's Parquet, in row groups of 500, and as text.
    const lines = readFileSync(join(FIX, 'dashboard-demo.log'), 'utf8').trimEnd().split('\n');
    const fields = lines[0]!.split(' ');
    pq = join(dir, 'demo.parquet');
    txt = join(dir, 'demo.log');
    writeFlowParquet(
      pq,
      fields,
      lines.slice(1).map((l) => l.split(' ')),
      { rowGroupSize: 500 },
    );
    writeFileSync(txt, `${lines.join('\n')}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('analyze --json of a Parquet file prints what the same records as text give, byte for byte', () => {
    const a = vpcflow(['analyze', '--json', pq]);
    const b = vpcflow(['analyze', '--json', txt]);
    assert.equal(a.code, 0, a.err);
    assert.equal(a.err, '');
    assert.equal(a.out, b.out);
    const s = JSON.parse(a.out) as { totals: { records: number }; triggers: { count: number }[] };
    assert.equal(s.totals.records, 1840);
    assert.ok(s.triggers.some((t) => t.count > 0));
  });

  it('analyze reads Parquet on stdin (in memory) as the file', () => {
    const a = vpcflow(['analyze', '--json', '-'], readFileSync(pq));
    assert.equal(a.code, 0, a.err);
    assert.equal(a.out, vpcflow(['analyze', '--json', pq]).out);
  });

  it('parse of a Parquet file prints the table of the text, line numbers included (the header is line 1)', () => {
    const a = vpcflow(['parse', pq]);
    const b = vpcflow(['parse', txt]);
    assert.equal(a.code, 0, a.err);
    assert.equal(a.out, b.out);
    assert.equal(a.err, b.err);
    assert.match(a.err, /^vpcflow parse: 1841 lines, 1840 records, 1 header, 0 unparsed, 0 blank$/m);
  });

  it('a Parquet file that is not a flow log: exit 1 and one line that says so', () => {
    const other = join(dir, 'people.parquet');
    writeFileSync(
      other,
      new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'name', data: ['Alice'], type: 'STRING' },
            { name: 'age', data: [25], type: 'INT32' },
          ],
        }),
      ),
    );
    const r = vpcflow(['analyze', other]);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.equal(
      r.err,
      `vpcflow analyze: cannot read '${other}': not a flow-log Parquet file: none of its 2 columns (name, age) are flow-log fields\n`,
    );
  });

  it('a truncated Parquet file: a clear error that names the damage, never a crash', () => {
    const cut = join(dir, 'cut.parquet');
    const bytes = readFileSync(pq);
    writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    const r = vpcflow(['analyze', '--json', cut]);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /the Parquet file is truncated or corrupt: it does not end with its footer \(PAR1\)/);
    assert.equal(r.err.trimEnd().split('\n').length, 1);
  });

  it("readInput with the parser: a damaged Parquet file becomes the parser's damage (exit 2's line), what was read counts", async () => {
    // Corrupt the last row group: the first three (1,500 records) are read.
    const bad = join(dir, 'bad.parquet');
    const bytes = new Uint8Array(readFileSync(pq));
    const { parquetMetadata } = await import('hyparquet');
    const md = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const col = md.row_groups[3]!.columns[0]!.meta_data!;
    const at = Number(col.dictionary_page_offset ?? col.data_page_offset);
    bytes.fill(0xff, at, at + 24);
    writeFileSync(bad, bytes);
    let records = 0;
    const parser = new FlowParser({ record: () => records++, unparsed: () => {} });
    await readInput(bad, capturedIo().io, (chunk) => parser.write(chunk), undefined, parser);
    const stats = await parser.finish();
    assert.equal(records, 1500);
    assert.match(
      damageText(bad, stats.damage) ?? '',
      /^damaged input '.*bad\.parquet': the Parquet data is corrupt in row group 4 of 4 \(.*\); what decoded before the damage was used$/,
    );
  });
});
