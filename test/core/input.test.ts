// Inputs: what kind a byte stream is, and the two inflaters a host can give the parser (node:zlib, fflate), which
// must read the same records and report the same damage on every gzip input.
import { strict as assert } from 'node:assert';
import * as zlib from 'node:zlib';
import { fflateInflater } from '../../src/core/input/fflate';
import { inputKind, type Inflater } from '../../src/core/input/inflate';
import { FlowParser, PARQUET_REASON, type FullParseStats } from '../../src/core/parser';
import type { FlowRecord, UnparsedLine } from '../../src/core/types';
import { wholeInputInflater, zlibInflater } from '../../src/node/zlibInflater';

const SSH =
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';

const records = (n: number, from = 0): string => {
  let s = '';
  for (let i = from; i < from + n; i++) s += `${SSH.replace(' 20641 ', ` ${1024 + (i % 60000)} `)}\n`;
  return s;
};
const gz = (s: string): Buffer => zlib.gzipSync(Buffer.from(s));

interface Read {
  records: FlowRecord[];
  unparsed: UnparsedLine[];
  stats: FullParseStats;
}

async function read(inflater: Inflater, input: Uint8Array, chunk = 1 << 16): Promise<Read> {
  const out: Read = { records: [], unparsed: [], stats: undefined as unknown as FullParseStats };
  const parser = new FlowParser(
    { record: (r) => out.records.push(r), unparsed: (u) => out.unparsed.push(u) },
    { inflater },
  );
  for (let at = 0; at < input.length; at += chunk) await parser.write(input.subarray(at, at + chunk));
  out.stats = await parser.finish();
  return out;
}

const HOSTS: [string, Inflater][] = [
  ['node:zlib', zlibInflater(zlib)],
  ['node:zlib, input held whole', wholeInputInflater(zlib)],
  ['fflate', fflateInflater],
];

describe('input kinds and inflaters', () => {
  it('tells gzip, Parquet and plain input apart by their first bytes', () => {
    assert.equal(inputKind(Uint8Array.of(0x1f, 0x8b, 8, 0)), 'gzip');
    assert.equal(inputKind(new TextEncoder().encode('PAR1')), 'parquet');
    assert.equal(inputKind(new TextEncoder().encode(SSH)), 'plain');
    assert.equal(inputKind(Uint8Array.of(0x1f)), 'plain');
  });

  it('reports a Parquet file as one unparsed line', async () => {
    const r = await read(fflateInflater, new TextEncoder().encode('PAR1 and then binary'));
    assert.deepEqual(
      r.unparsed.map((u) => u.reason),
      [PARQUET_REASON],
    );
  });

  const whole = gz(records(20_000));
  const inputs: [string, Uint8Array][] = [
    ['a whole gzip', whole],
    ['three members', Buffer.concat([gz(records(700)), gz(records(800, 700)), gz(records(900, 1500))])],
    ['a gzip cut in half', whole.subarray(0, whole.length >> 1)],
    ['a gzip cut inside its trailer', whole.subarray(0, whole.length - 3)],
    ['a gzip followed by junk', Buffer.concat([whole, Buffer.from('junk after the gzip\n')])],
  ];

  for (const [what, input] of inputs) {
    it(`reads the same records and the same damage from ${what}, with either inflater, in any chunking`, async () => {
      const results: Read[] = [];
      for (const [, inflater] of HOSTS)
        for (const chunk of [7, 1 << 16]) results.push(await read(inflater, input, chunk));
      const first = results[0]!;
      for (const r of results.slice(1)) {
        assert.equal(r.records.length, first.records.length);
        assert.equal(r.stats.lines, first.stats.lines);
        assert.equal(r.stats.damage !== undefined, first.stats.damage !== undefined);
        assert.equal(
          r.stats.damage?.startsWith('the gzip data ends early'),
          first.stats.damage?.startsWith('the gzip data ends early'),
        );
      }
      for (const r of results) assert.ok(r.records.every((rec) => rec.envelope === 'gzip'));
    });
  }

  it('reads an input held whole exactly as the stream reads it (one call when it decodes every byte)', async () => {
    const corrupt = Buffer.from(whole).fill(0x55, 400, 404);
    const wrongSize = Buffer.from(whole);
    wrongSize.writeUInt8(wrongSize.at(-1)! ^ 1, wrongSize.length - 1);
    for (const [what, input] of [
      ...inputs,
      ['corrupt bytes', corrupt] as const,
      ['a wrong size', wrongSize] as const,
    ]) {
      const stream = await read(zlibInflater(zlib), input);
      const held = await read(wholeInputInflater(zlib), input);
      assert.deepEqual(
        held.records.map((r) => [r.line, r.text]),
        stream.records.map((r) => [r.line, r.text]),
        what,
      );
      assert.deepEqual(held.unparsed, stream.unparsed, what);
      assert.deepEqual(held.stats, stream.stats, what);
    }
  });

  it('reads a gzip with corrupt bytes without throwing (each decompressor notices what it notices)', async () => {
    for (const [host, inflater] of HOSTS) {
      const r = await read(inflater, Buffer.from(whole).fill(0x55, 400, 404), 7);
      const s = r.stats;
      assert.equal(s.lines, s.blank + s.headers + s.records + s.unparsed, host);
    }
  });

  it('keeps every record before junk after the gzip, and says the data ends early when it is cut', async () => {
    for (const [host, inflater] of HOSTS) {
      const junk = await read(inflater, Buffer.concat([whole, Buffer.from('junk\n')]));
      assert.equal(junk.records.length, 20_000, host);
      assert.match(junk.stats.damage ?? '', /corrupt, or followed by bytes that are not gzip/, host);
      assert.equal(junk.unparsed.at(-1)!.envelope, 'gzip', host);
      const cut = await read(inflater, whole.subarray(0, whole.length >> 1));
      assert.equal(cut.stats.damage, 'the gzip data ends early (truncated)', host);
      // As many records as zlib recovers from the cut stream (the last, partial line is unparsed).
      const lines = zlib.gunzipSync(whole.subarray(0, whole.length >> 1), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      assert.equal(cut.records.length, lines.toString().split('\n').length - 1, host);
    }
  });

  it('decodes base64 gzip payloads in envelopes with the inflater it was given', async () => {
    const payload = zlib
      .gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: [{ id: '1', message: SSH }] }))
      .toString('base64');
    const body = new TextEncoder().encode(JSON.stringify({ awslogs: { data: payload } }));
    let used = 0;
    const counting: Inflater = {
      gunzipStream: (out) => fflateInflater.gunzipStream(out),
      gunzip: (bytes, max) => {
        used++;
        return zlibInflater(zlib).gunzip(bytes, max);
      },
    };
    const r = await read(counting, body);
    assert.equal(r.records.length, 1);
    assert.equal(r.records[0]!.envelope, 'cwl-subscription');
    assert.equal(used, 1);
  });

  it('ends a synchronous read with end(), and an asynchronous one only with finish()', async () => {
    const sync = new FlowParser({ record: () => {}, unparsed: () => {} }, { inflater: fflateInflater });
    sync.push(gz(`${SSH}\n`));
    assert.equal(sync.end().records, 1);
    const unparsed: UnparsedLine[] = [];
    const wrong = new FlowParser(
      { record: () => {}, unparsed: (u) => unparsed.push(u) },
      { inflater: zlibInflater(zlib) },
    );
    await wrong.write(gz(`${SSH}\n`));
    wrong.end();
    assert.match(unparsed.at(-1)?.reason ?? '', /finish\(\)/);
  });
});
