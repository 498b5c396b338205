import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { resolveAnalysisConfig } from '../../src/core/analysis/config';
import type { DoneFacts, FromWorker, PartialFacts, ToWorker } from '../../src/extension/documentWorkerProtocol';
import { LineAnalysis, LineFlag, type FinishedFacts } from '../../src/extension/lineFacts';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const config = resolveAnalysisConfig();

/** The analysis the browser build runs in the extension host: the text path, fed the document's text. */
function inThread(text: string, format = ''): FinishedFacts {
  const run = new LineAnalysis(lineCount(text), config, format ? { format } : {});
  run.parser.push(text);
  return run.finish();
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The document worker, bundled from source as esbuild.mjs bundles it into dist/documentWorker.js. */
class TestWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, (m: FromWorker) => void>();
  readonly partials: PartialFacts[] = [];
  readonly desynced: number[] = [];

  constructor(file: string) {
    this.worker = new Worker(file);
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'partial') this.partials.push(m);
      else if (m.type === 'desync') this.desynced.push(m.doc);
      else this.waiting.get(m.job)?.(m);
    });
  }

  post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  result(job: number): Promise<FromWorker> {
    return new Promise((resolve) => this.waiting.set(job, resolve));
  }

  /** Streams `text` in chunks of `linesPerChunk` lines (UTF-8, as the extension host sends a document). */
  async stream(
    job: number,
    doc: number,
    text: string,
    linesPerChunk = 3,
    version = 1,
    progress = false,
  ): Promise<DoneFacts> {
    const done = this.result(job);
    const lines = text.split('\n');
    this.post({
      type: 'analyze',
      job,
      doc,
      version,
      lineCount: lines.length,
      stream: true,
      format: '',
      config,
      progress,
    });
    for (let i = 0; i < lines.length; i += linesPerChunk) {
      const part = lines.slice(i, i + linesPerChunk);
      const last = i + linesPerChunk >= lines.length;
      const bytes = new TextEncoder().encode(part.join('\n') + (last ? '' : '\n'));
      this.post({ type: 'chunk', job, bytes, lines: part.length });
    }
    this.post({ type: 'end', job });
    const m = await done;
    assert.equal(m.type, 'done', JSON.stringify(m));
    return m;
  }

  /** Asks for an analysis of the text the worker holds of `doc` at `version` (no text sent). */
  held(job: number, doc: number, version: number, lines: number): Promise<FromWorker> {
    const done = this.result(job);
    this.post({
      type: 'analyze',
      job,
      doc,
      version,
      lineCount: lines,
      stream: false,
      format: '',
      config,
      progress: false,
    });
    return done;
  }

  /** Has the worker read `text`, saved at `file`, itself (as for an unmodified local document). */
  async fromFile(job: number, doc: number, file: string, text: string, progress = false): Promise<FromWorker> {
    const done = this.result(job);
    const lines = text.split(/\r\n|\n/);
    this.post({
      type: 'analyze',
      job,
      doc,
      version: 1,
      lineCount: lines.length,
      stream: false,
      file: { path: file, length: text.length, firstLine: lines[0]!, lastLine: lines[lines.length - 1]! },
      format: '',
      config,
      progress,
    });
    return done;
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

function assertSameFacts(actual: DoneFacts, expected: FinishedFacts, what: string): void {
  assert.deepEqual(actual.flags, expected.flags, `${what}: flags`);
  assert.deepEqual(actual.formatIds, expected.formatIds, `${what}: formatIds`);
  assert.deepEqual(actual.offsets, expected.offsets, `${what}: offsets`);
  assert.deepEqual(actual.triggerMasks, expected.triggerMasks, `${what}: trigger masks`);
  assert.deepEqual(actual.alertLines, expected.alertLines, `${what}: alert lines`);
  assert.deepEqual(actual.unparsedReasons, expected.unparsedReasons, `${what}: unparsed reasons`);
  assert.deepEqual(actual.flaggedValues, expected.flaggedValues, `${what}: flagged values`);
  assert.deepEqual(
    actual.formats.map((f) => f.fields),
    expected.formats.map((f) => f.fields),
    `${what}: formats`,
  );
  assert.deepEqual(actual.summary, expected.summary, `${what}: summary`);
  assert.equal(actual.mainFormat?.label, expected.mainFormat?.label, `${what}: main format`);
}

describe('documentWorker', function () {
  this.timeout(60000);
  let dir: string;
  let worker: TestWorker;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpcflow-worker-'));
    const outfile = path.join(dir, 'documentWorker.js');
    await esbuild.build({
      entryPoints: [path.join(__dirname, '..', '..', 'src', 'extension', 'documentWorker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'warning',
    });
    worker = new TestWorker(outfile);
  });

  after(async () => {
    await worker.terminate();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives every fixture the same per-line facts and summary as the in-thread analysis', async () => {
    // The worker reads UTF-8 bytes on the byte path (WebAssembly scanner); the browser reads the text: same facts.
    const names = fs.readdirSync(FIXTURES).filter((n) => /\.(log|json)$/.test(n));
    assert.ok(names.length >= 15);
    let job = 1;
    for (const name of names) {
      const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
      const done = await worker.stream(job++, job, text);
      assertSameFacts(done, inThread(text), name);
    }
  });

  it('marks REJECT, NODATA and alert lines of a generated log', async () => {
    const lines: string[] = [
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
    ];
    for (let i = 0; i < 3000; i++) {
      const reject = i % 7 === 0;
      const port = i % 5 === 0 ? 22 : 443;
      lines.push(
        i % 11 === 0
          ? `2 123456789010 eni-1 - - - - - - - ${1418530010 + i} ${1418530070 + i} - NODATA`
          : `2 123456789010 eni-1 198.51.100.${i % 250} 10.0.0.${i % 200} ${1024 + i} ${port} 6 3 180 ${1418530010 + i} ${1418530070 + i} ${reject ? 'REJECT' : 'ACCEPT'} OK`,
      );
    }
    lines.push('this is not a flow record');
    const text = lines.join('\n') + '\n';
    const done = await worker.stream(100, 100, text, 700, 1, true);
    assertSameFacts(done, inThread(text), 'generated');
    assert.ok(done.flags[1]! & LineFlag.Header);
    assert.ok(done.flags[2]! & LineFlag.NoData); // i = 0
    assert.ok(done.flags[9]! & LineFlag.Reject); // i = 7
    assert.equal(done.flags[3]! & (LineFlag.Reject | LineFlag.NoData), 0); // i = 1
    assert.ok(done.flags[3002]! & LineFlag.Unparsed);
    assert.ok(done.alertLines.length > 0);
    // A first analysis reports the first lines' facts before the end.
    const partial = worker.partials.find((p) => p.job === 100);
    assert.ok(partial, 'a partial report');
    assert.equal(partial.to, 701);
    assert.deepEqual(partial.flags, done.flags.slice(0, 701));
  });

  it('applies edits to the text it holds and analyses the edited text', async () => {
    const original = fs.readFileSync(path.join(FIXTURES, 'aws-examples-default.log'), 'utf8');
    await worker.stream(200, 7, original);
    // Replace the first record with a REJECT on SSH, then insert a malformed line after it (two edits, in order).
    const firstEnd = original.indexOf('\n');
    const reject =
      '2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 49761 22 6 20 4249 1418530010 1418530070 REJECT OK';
    const afterFirst = reject + original.slice(firstEnd);
    const edited = afterFirst.slice(0, reject.length + 1) + 'garbage line\n' + afterFirst.slice(reject.length + 1);
    worker.post({
      type: 'edit',
      doc: 7,
      version: 2,
      changes: [{ offset: 0, length: firstEnd, text: reject }],
      length: afterFirst.length,
    });
    worker.post({
      type: 'edit',
      doc: 7,
      version: 3,
      changes: [{ offset: reject.length + 1, length: 0, text: 'garbage line\n' }],
      length: edited.length,
    });
    const done = worker.held(201, 7, 3, lineCount(edited));
    const m = await done;
    assert.equal(m.type, 'done');
    assertSameFacts(m, inThread(edited), 'edited');
    assert.ok(m.flags[1]! & LineFlag.Alert);
    assert.ok(m.flags[2]! & LineFlag.Unparsed);
  });

  it('asks for the text again when it does not hold the version asked for, or an edit does not fit', async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'malformed.log'), 'utf8');
    await worker.stream(300, 9, text);
    const stale = worker.held(301, 9, 5, 3);
    assert.equal((await stale).type, 'failed');
    // An edit whose result has the wrong length drops the text.
    worker.post({ type: 'edit', doc: 9, version: 2, changes: [{ offset: 0, length: 0, text: 'x' }], length: 1 });
    const after = worker.held(302, 9, 2, 3);
    const m = await after;
    assert.equal(m.type, 'failed');
    assert.equal(m.type === 'failed' && m.reason, 'unsynced');
    assert.deepEqual(worker.desynced, [9]);
  });

  it('reads an unmodified saved file itself: the same facts as the text sent, and the text kept for edits', async () => {
    const names = fs.readdirSync(FIXTURES).filter((n) => /\.(log|json)$/.test(n));
    let job = 500;
    for (const name of names) {
      const file = path.join(FIXTURES, name);
      const text = fs.readFileSync(file, 'utf8');
      const m = await worker.fromFile(job++, job, file, text);
      assert.equal(m.type, 'done', `${name}: ${JSON.stringify(m).slice(0, 200)}`);
      assertSameFacts(m, inThread(text), name);
    }
    // Larger than one read (the first read is 64 KiB, then 1 MiB), with Windows line breaks: lines cut between
    // reads, partial facts after the first read, and the text kept for the edits that follow.
    const lines = [
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
    ];
    for (let i = 0; i < 16000; i++) {
      lines.push(
        `2 123456789010 eni-1 198.51.100.${i % 250} 10.0.0.${i % 200} ${1024 + i} ${i % 3 ? 443 : 22} 6 3 180 ${1418530010 + i} ${1418530070 + i} ${i % 4 ? 'ACCEPT' : 'REJECT'} OK`,
      );
    }
    const text = lines.join('\r\n') + '\r\n';
    const file = path.join(dir, 'big-crlf.log');
    fs.writeFileSync(file, text);
    assert.ok(text.length > 1.2 * (1 << 20));
    const m = await worker.fromFile(600, 60, file, text, true);
    assert.equal(m.type, 'done');
    assertSameFacts(m, inThread(text), 'big-crlf');
    const partial = worker.partials.find((p) => p.job === 600);
    assert.ok(partial && partial.to > 1 && partial.to < lines.length, 'a partial report after the first read');
    const edited = 'garbage\r\n' + text;
    worker.post({
      type: 'edit',
      doc: 60,
      version: 2,
      changes: [{ offset: 0, length: 0, text: 'garbage\r\n' }],
      length: edited.length,
    });
    const again = worker.held(601, 60, 2, lineCount(edited));
    const e = await again;
    assert.equal(e.type, 'done');
    assertSameFacts(e, inThread(edited), 'big-crlf edited');
  });

  it("replies unsynced when the saved file is not the document's text as plain ASCII", async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'aws-examples-default.log'), 'utf8');
    const write = (name: string, content: string | Buffer): string => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      return file;
    };
    // A text without a final line break, whose last line differs on disk.
    const unterminated = text.trimEnd();
    const cases: [string, string, string?][] = [
      ['changed on disk (longer)', write('longer.log', text + 'one more line\n')],
      ['changed on disk (shorter)', write('shorter.log', text.slice(0, -10))],
      ['another first line', write('first.log', 'X' + text.slice(1))],
      ['another last line', write('last.log', unterminated.slice(0, -1) + 'X'), unterminated],
      [
        'a byte-order mark',
        write('bom.log', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.slice(3))])),
      ],
      ['not ASCII', write('utf8.log', text.replace('ACCEPT', 'ACCÉPT').slice(0, text.length))],
      ['a lone carriage return (another line count)', write('cr.log', text.replace('\n', '\r'))],
      ['missing', path.join(dir, 'no-such-file.log')],
    ];
    let job = 700;
    for (const [what, file, documentText] of cases) {
      const m = await worker.fromFile(job, job, file, documentText ?? text);
      assert.equal(m.type, 'failed', what);
      assert.equal(m.type === 'failed' && m.reason, 'unsynced', what);
      // Nothing half-read is kept: the document's text is then streamed.
      const after = worker.held(job + 1, job, 1, lineCount(text));
      assert.equal((await after).type, 'failed', `${what}: no text kept`);
      job += 2;
    }
  });

  it('stops a cancelled stream and keeps no half text', async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'aws-examples-default.log'), 'utf8');
    worker.post({
      type: 'analyze',
      job: 400,
      doc: 11,
      version: 1,
      lineCount: lineCount(text),
      stream: true,
      format: '',
      config,
      progress: false,
    });
    worker.post({
      type: 'chunk',
      job: 400,
      bytes: new TextEncoder().encode(text.slice(0, text.indexOf('\n') + 1)),
      lines: 1,
    });
    worker.post({ type: 'cancel', job: 400 });
    const m = worker.held(401, 11, 1, lineCount(text));
    assert.equal((await m).type, 'failed');
  });
});
