// Folders, compressed and columnar files inside the real extension host (code-server): "Analyze Folder…" on a synced
// S3 day (test/fixtures/s3-day: a .log.gz, a .log, a .log.parquet and a file that is not a flow log) gives one
// summary with per-file facts and the dashboard draws it; a hit in the .log.gz opens the read-only decompressed
// view at its line, where hovers work; a .parquet file opens as flow-log text; Analyze File… reads Parquet.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { WAIT_MS, nextEvent, until, workspaceFile } from './helpers';
import { testServices, type TestServices } from './testServices';
import { analyzeText } from '../../src/core/analysis/analyzer';
import type { DashboardPanel, RenderReport } from '../../src/extension/dashboardPanel';
import type { FolderSource } from '../../src/extension/dashboardSources';
import { filteredView, recordsPage } from '../../src/extension/dashboardFilters';
import { Dashboards } from '../../src/extension/dashboards';
import { listFolderInputs } from '../../src/extension/analyzeFolder';
import { RecordsCsvSink, hitsCsv } from '../../src/extension/exports';
import { DEFAULT_ROW_CONTEXT } from '../../src/core/analysis/rows';
import { VIEW_SCHEME, sourceOfView, viewUri } from '../../src/extension/decompressedView';
import { createNodeHost } from '../../src/extension/nodeHost';
import type { Host, Services } from '../../src/extension/services';
import type { Filter } from '../../src/shared/protocol';
import type { AnalysisSummary } from '../../src/shared/summary';
import { fflateInflater } from '../../src/core/input/fflate';

const DAY = 's3-day/AWSLogs/123456789010/vpcflowlogs/us-east-1/2014/12/14';
const GZ = `${DAY}/123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0420Z_fe123456.log.gz`;
const LOG = `${DAY}/123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0425Z_0a1b2c3d.log`;
const PARQUET = `${DAY}/123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0430Z_9f8e7d6c.log.parquet`;
const NOTES = `${DAY}/sync-notes.txt`;

function renderedWith(dashboard: DashboardPanel, records: number): Promise<RenderReport> {
  if (dashboard.lastRender?.records === records) return Promise.resolve(dashboard.lastRender);
  return nextEvent(`the webview to draw ${records} records`, dashboard.onDidRender, (r) => r.records === records);
}

/** Hover text at (line, column), markdown escapes removed. */
async function hoverText(doc: vscode.TextDocument, line: number, column: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    doc.uri,
    new vscode.Position(line, column),
  );
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n')
    .replace(/\\([\\`*_{}[\]()#+\-.!<>|~&])/g, '$1');
}

/** The active editor once it shows the decompressed view of `source` with line `line` (1-based) selected. */
function viewAtLine(source: vscode.Uri, line: number): Promise<vscode.TextEditor> {
  const want = viewUri(source).toString();
  return until(
    `the decompressed view of ${source.path} at line ${line}`,
    () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.toString() === want && e.selection.start.line === line - 1 ? e : undefined;
    },
    WAIT_MS,
    () => ({
      active: vscode.window.activeTextEditor?.document.uri.toString(),
      line: vscode.window.activeTextEditor?.selection.start.line,
    }),
  );
}

describe('folders, compressed and Parquet files', function () {
  this.timeout(3 * WAIT_MS);
  let services: Services;
  let dashboards: Dashboards;
  let owned: TestServices | undefined;

  before(async () => {
    owned = await testServices('folder test');
    ({ services, dashboards } = owned);
  });

  after(async () => {
    owned?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Analyze Folder… gives one summary with each file in time order, skips the file that is not a flow log, and draws it', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The AWSLogs folder of a synced day (s3-day/README.md describes it, beside it).
    const folder = workspaceFile('s3-day/AWSLogs');
    const dashboard = await dashboards.openForFolder([folder]);
    assert.ok(dashboard, 'the analysis was not cancelled');
    const summary = dashboard.source.summary();
    assert.ok(summary, dashboard.source.failure);
    const files = summary.files;
    assert.ok(files);
    // The files in the time their paths carry: the day folder dates the note (midnight), the object names their
    // interval. Paths are relative to the workspace.
    assert.deepEqual(
      files.map((f) => [f.path, f.kind]),
      [
        [NOTES, 'plain'],
        [GZ, 'gzip'],
        [LOG, 'plain'],
        [PARQUET, 'parquet'],
      ],
    );
    // Each file's facts are those of analysing it alone.
    const gzText = zlib.gunzipSync(await vscode.workspace.fs.readFile(workspaceFile(GZ))).toString('utf8');
    const logText = new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceFile(LOG)));
    const gz = analyzeText(gzText);
    const plain = analyzeText(logText);
    assert.deepEqual(
      files.map((f) => [f.lines, f.records, f.unparsedLines, f.skipped === undefined]),
      [
        [0, 0, 0, false],
        [gz.totals.lines, gz.totals.records, 0, true],
        [plain.totals.lines, plain.totals.records, 1, true],
        [4, 3, 0, true],
      ],
    );
    assert.match(files[0]?.skipped ?? '', /not a flow log/);
    assert.equal(files[3]?.format, 'header (14 fields)');
    // The totals are the sum of the three flow logs.
    assert.equal(summary.totals.records, gz.totals.records + plain.totals.records + 3);
    assert.equal(summary.totals.unparsedLines, 1);
    assert.deepEqual(
      summary.unparsed.map((u) => [u.file, u.line]),
      [[2, 4]],
    );
    // Every hit names its file and its line within it.
    const hits = (id: string) => summary.triggers.find((t) => t.id === id)?.hits.map((h) => [h.file, h.line]);
    assert.deepEqual(hits('rdp-blocked'), [[1, 3]]);
    assert.deepEqual(hits('ssh-blocked'), [[2, 2]]);
    assert.deepEqual(hits('telnet-blocked'), [[3, 2]]);
    // The records page names each record's file (clicking its line opens that file), as do both CSV exports.
    const cts = new vscode.CancellationTokenSource();
    const page = await recordsPage(dashboard.source, summary, undefined, cts.token);
    assert.deepEqual(
      page.rows.map((r) => r.file),
      [
        ...Array<number>(gz.totals.records).fill(1),
        ...Array<number>(plain.totals.records).fill(2),
        ...Array<number>(3).fill(3),
      ],
    );
    const port = page.columns.indexOf('dstport');
    const rdp = page.rows.filter((r) => r.values[port] === '3389');
    assert.deepEqual(
      rdp.map((r) => [r.file, r.line]),
      [[1, 3]],
    );
    const csv: string[] = [];
    const sink = new RecordsCsvSink({ write: (t) => csv.push(t) }, page.columns, [], DEFAULT_ROW_CONTEXT, files);
    await dashboard.source.scan(sink, { token: cts.token, onFile: (i) => sink.file(i) });
    assert.match(csv[0] ?? '', /^file,line,/);
    assert.equal(sink.count, summary.totals.records);
    assert.ok(
      csv.some((row) => row.startsWith(`${GZ},3,`)),
      'the RDP record names its .log.gz',
    );
    const hitRows = hitsCsv(summary);
    assert.match(hitRows[0] ?? '', /,file,line,/);
    assert.ok(hitRows.some((row) => row.startsWith('rdp-blocked,') && row.includes(`,${GZ},3,`)));
    const info = dashboard.source.info();
    assert.equal(info.origin, 'folder');
    assert.deepEqual(info.inputs, [folder.toString()]);
    assert.match(info.note ?? '', /4 files .*1 skipped/);
    assert.equal((await renderedWith(dashboard, summary.totals.records)).records, summary.totals.records);
    dashboard.dispose();
  });

  it('a port-scan row of a folder dashboard filters in one pass over every file: the count it shows, its file and line', async () => {
    // A scan of one host from one source: 8 ports at the end of the first object and 8 at the start of the next
    // (the threshold is 15 distinct ports within 300 s), so it is only seen across the two files.
    const dir = vscode.Uri.file(mkdtempSync(join(tmpdir(), 'vpcflow-scan-folder-')));
    const header =
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
    const rec = (dport: number, t: number, action = 'REJECT', src = '198.51.100.7'): string =>
      `2 123456789010 eni-1 ${src} 10.0.0.9 40000 ${dport} 6 1 40 ${t} ${t + 1} ${action} OK`;
    const ports = (from: number, t: number): string[] => [0, 1, 2, 3, 4, 5, 6, 7].map((k) => rec(from + k, t + k));
    const name = (hhmm: string, ext: string): string =>
      `123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T${hhmm}Z_0000${hhmm}.${ext}`;
    const write = (file: string, bytes: Uint8Array): Thenable<void> =>
      vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, file), bytes);
    const text = (lines: string[]): Uint8Array => new TextEncoder().encode(`${lines.join('\n')}\n`);
    await write(
      name('0420', 'log'),
      text([header, rec(443, 1418530000, 'ACCEPT', '10.0.0.5'), ...ports(100, 1418530010)]),
    );
    await write(
      name('0425', 'log'),
      text([header, ...ports(200, 1418530030), rec(22, 1418530060, 'REJECT', '203.0.113.9')]),
    );
    await write(name('0430', 'log.gz'), zlib.gzipSync(text([header, rec(3389, 1418530100, 'REJECT', '203.0.113.9')])));
    const dashboard = await dashboards.openForFolder([dir]);
    try {
      assert.ok(dashboard);
      const summary = dashboard.source.summary();
      assert.ok(summary, dashboard.source.failure);
      const scanHits = (s: typeof summary): number[][] | undefined =>
        s.triggers.find((t) => t.id === 'port-scan')?.hits.map((h) => [h.file!, h.line]);
      // The 15th distinct port is the 7th record of the second file (line 8, after its header).
      assert.deepEqual(scanHits(summary), [[1, 8]]);

      const filters: Filter[] = [{ dimension: 'trigger', key: 'port-scan', label: 'Port scan' }];
      const cts = new vscode.CancellationTokenSource();
      const view = await filteredView(dashboard.source, filters, services.config.current.analysis, cts.token);
      assert.equal(view.summary.filtered?.matched, 1, 'the count the row shows');
      assert.equal(view.summary.totals.records, 1);
      assert.deepEqual(scanHits(view.summary), [[1, 8]]);
      assert.deepEqual(view.summary.files, summary.files);
      // The records page and the CSV export list that record, in its file.
      const page = await recordsPage(dashboard.source, summary, view, cts.token);
      assert.equal(page.matched, 1);
      assert.deepEqual(
        page.rows.map((r) => [r.file, r.line, r.values[page.columns.indexOf('dstport')]]),
        [[1, 8, '206']],
      );
      const csv: string[] = [];
      const sink = new RecordsCsvSink(
        { write: (t) => csv.push(t) },
        page.columns,
        filters,
        view.context,
        summary.files,
      );
      await dashboard.source.scan(sink, { token: cts.token, onFile: (i) => sink.file(i) });
      assert.equal(sink.count, 1);
      assert.ok(csv[1]?.includes(`${name('0425', 'log')},8,`), csv.join(''));
    } finally {
      dashboard?.dispose();
      rmSync(dir.fsPath, { recursive: true, force: true });
    }
  });

  it("lists a folder's files in time order, each once: links to folders are not followed (a link to itself ends)", async () => {
    const root = mkdtempSync(join(tmpdir(), 'vpcflow-links-'));
    const other = mkdtempSync(join(tmpdir(), 'vpcflow-links-other-'));
    try {
      const name = (hhmm: string): string =>
        `123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T${hhmm}Z_0000${hhmm}.log`;
      const body = (port: number): string =>
        `2 123456789010 eni-1 10.0.0.5 10.0.0.9 40000 ${port} 6 1 40 1418530010 1418530070 REJECT OK\n`;
      mkdirSync(join(root, 'a'));
      writeFileSync(join(root, 'a', name('0425')), body(22));
      writeFileSync(join(root, name('0420')), body(3389));
      writeFileSync(join(other, name('0430')), body(23));
      symlinkSync(root, join(root, 'a', 'loop'), 'dir');
      symlinkSync(other, join(root, 'elsewhere'), 'dir');
      symlinkSync(join(root, name('0420')), join(root, 'same-file.log'), 'file');
      const inputs = await listFolderInputs([vscode.Uri.file(root)]);
      assert.deepEqual(
        inputs.map((i) => i.uri.fsPath.slice(root.length + 1)),
        [name('0420'), join('a', name('0425')), 'same-file.log'],
      );
      assert.deepEqual(
        inputs.map((i) => i.bytes),
        [body(3389).length, body(22).length, body(3389).length],
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('without a worker pool (the browser build), the folder is read file by file with the same summary', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const folder = workspaceFile('s3-day/AWSLogs');
    const pooled = await dashboards.openForFolder([folder]);
    assert.ok(pooled);
    const expected = pooled.source.summary();
    assert.ok(expected, pooled.source.failure);
    pooled.dispose();
    // The browser's host: no local disk, fflate, no pool (extension.web.ts builds the same).
    const webHost: Host = {
      name: 'web',
      yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
      localFiles: undefined,
      inflater: fflateInflater,
      documentWorker: undefined,
    };
    const oneThread = new Dashboards({ ...services, host: webHost });
    try {
      const dashboard = await oneThread.openForFolder([folder]);
      assert.ok(dashboard);
      const summary = dashboard.source.summary();
      assert.ok(summary, dashboard.source.failure);
      assert.equal((dashboard.source as FolderSource).analysis?.workers, 1, 'read on this thread');
      assert.deepEqual(summary.totals, expected.totals);
      assert.deepEqual(summary.triggers, expected.triggers);
      assert.deepEqual(summary.unparsed, expected.unparsed);
      // The same facts, skip reasons included (one rule, src/core/input/verdict.ts, on both paths).
      assert.deepEqual(summary.files, expected.files);
      assert.equal((await renderedWith(dashboard, summary.totals.records)).records, summary.totals.records);
      dashboard.dispose();
    } finally {
      oneThread.dispose();
    }
  });

  it('a hit in a .log.gz opens the decompressed view at its line, in the vpcflow language, with hovers', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const dashboard = await dashboards.openForFolder([workspaceFile('s3-day/AWSLogs')]);
    assert.ok(dashboard);
    const source = dashboard.source as FolderSource;
    const rdp = source.summary()?.triggers.find((t) => t.id === 'rdp-blocked')?.hits[0];
    assert.ok(rdp && rdp.file === 1);
    await source.reveal(rdp.line, rdp.file);
    const editor = await viewAtLine(workspaceFile(GZ), rdp.line);
    const doc = editor.document;
    assert.equal(doc.uri.scheme, VIEW_SCHEME);
    assert.equal(sourceOfView(doc.uri)?.toString(), workspaceFile(GZ).toString());
    const gzText = zlib.gunzipSync(await vscode.workspace.fs.readFile(workspaceFile(GZ))).toString('utf8');
    assert.equal(doc.getText(), gzText, 'the view is the decompressed text, header line first');
    await until('the view in the vpcflow language', () => doc.languageId === 'vpcflow');
    const line = doc.lineAt(rdp.line - 1).text;
    assert.match(line, / 3389 /);
    const column = line.indexOf(' 3389 ') + 1;
    const text = await until('a hover that names the field', async () => {
      const t = await hoverText(doc, rdp.line - 1, column);
      return /\*\*dstport\*\*/.test(t) ? t : undefined;
    });
    assert.match(text, /3389/);
    // A read-only file system: the editor refuses typing and saving.
    assert.equal(vscode.workspace.fs.isWritableFileSystem(VIEW_SCHEME), false);
    dashboard.dispose();
  });

  it('"Open Decompressed View" on a .parquet file shows its rows as flow-log text', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = workspaceFile(PARQUET);
    await vscode.commands.executeCommand('vpcFlow.openDecompressed', uri);
    const editor = await until('the Parquet view', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.toString() === viewUri(uri).toString() ? e : undefined;
    });
    assert.deepEqual(editor.document.getText().split('\n'), [
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
      '2 123456789010 eni-1235b8ca123456789 203.0.113.50 172.31.16.21 51515 23 6 2 120 1418530610 1418530670 REJECT OK',
      '2 123456789010 eni-1235b8ca123456789 172.31.16.21 203.0.113.50 23 51515 6 2 120 1418530610 1418530670 ACCEPT OK',
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530610 1418530670 ACCEPT OK',
      '',
    ]);
    assert.equal(editor.document.languageId, 'vpcflow');
  });

  it('"Analyze File…" of a .parquet file reads its rows, and a hit opens the Parquet view at its line', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const uri = workspaceFile(PARQUET);
    const dashboard = await dashboards.openForFile(uri);
    assert.ok(dashboard);
    const summary = dashboard.source.summary();
    assert.ok(summary, dashboard.source.failure);
    assert.equal(summary.totals.records, 3);
    assert.equal(summary.totals.rejected, 1);
    assert.match(dashboard.source.info().note ?? '', /Parquet/);
    const telnet = summary.triggers.find((t) => t.id === 'telnet-blocked')?.hits[0];
    assert.ok(telnet);
    assert.equal((await renderedWith(dashboard, 3)).records, 3);
    await dashboard.source.reveal(telnet.line);
    const editor = await viewAtLine(uri, telnet.line);
    assert.match(editor.document.lineAt(telnet.line - 1).text, / 51515 23 6 /);
    dashboard.dispose();
  });

  /** The summaries Analyze File… gives of each of `files` with each of `hosts`, host after host. */
  async function fileSummaries(hosts: Host[], files: string[]): Promise<AnalysisSummary[]> {
    const summaries: AnalysisSummary[] = [];
    for (const host of hosts) {
      const board = new Dashboards({ ...services, host });
      try {
        for (const file of files) {
          const dashboard = await board.openForFile(workspaceFile(file));
          assert.ok(dashboard);
          const summary = dashboard.source.summary();
          assert.ok(summary, dashboard.source.failure);
          summaries.push(summary);
          dashboard.dispose();
        }
      } finally {
        board.dispose();
      }
    }
    return summaries;
  }

  it('the Node host hands a local Parquet file to the reader at positions (footer, column chunks), as a whole read gives', async () => {
    // Analyze File… in the extension host (no worker), with the Node host's disk (watched: the real one reads), and
    // with no local disk (the browser's way: workspace.fs, the file held whole).
    const nodeHost = createNodeHost();
    const local = nodeHost.localFiles!;
    const opened: string[] = [];
    const ranges: number[][] = [];
    const atPositions: Host = {
      ...nodeHost,
      analyzeFile: undefined,
      localFiles: {
        ...local,
        openParquet: async (path) => {
          opened.push(path);
          const file = await local.openParquet(path);
          return {
            byteLength: file.byteLength,
            slice: (start, end) => {
              ranges.push([start, end ?? file.byteLength]);
              return file.slice(start, end);
            },
            close: () => file.close(),
          };
        },
      },
    };
    const whole: Host = { ...nodeHost, analyzeFile: undefined, localFiles: undefined };
    const summaries = await fileSummaries([atPositions, whole], [PARQUET]);
    assert.deepEqual(opened, [workspaceFile(PARQUET).fsPath]);
    // Its last 4 bytes (PAR1), the footer (hyparquet asks for the last 512 KiB: all of this small file), then each
    // column chunk of each row group on its own.
    const size = (await vscode.workspace.fs.stat(workspaceFile(PARQUET))).size;
    assert.deepEqual(ranges[0], [size - 4, size], JSON.stringify(ranges));
    const chunks = ranges.slice(2);
    assert.ok(chunks.length >= 14, JSON.stringify(ranges));
    assert.ok(
      chunks.every(([a, b]) => a! >= 0 && b! - a! < size),
      JSON.stringify(ranges),
    );
    assert.deepEqual(summaries[0], summaries[1]);
    assert.equal(summaries[0]?.totals.records, 3);
  });

  it('"Analyze File…" reads a local file on a worker thread, with the summary one pass in the extension host gives', async () => {
    // The Node host's worker, watched (the real one runs); and a host without it, as the browser's reads the file.
    const nodeHost = createNodeHost();
    const asked: string[] = [];
    const watched: Host = {
      ...nodeHost,
      analyzeFile: (path, options) => {
        asked.push(path);
        return nodeHost.analyzeFile!(path, options);
      },
    };
    const withoutWorker: Host = { ...nodeHost, analyzeFile: undefined };
    const summaries = await fileSummaries([watched, withoutWorker], [GZ, LOG]);
    assert.deepEqual(asked, [workspaceFile(GZ).fsPath, workspaceFile(LOG).fsPath]);
    const [gzWorker, logWorker, gzHere, logHere] = summaries;
    assert.deepEqual(gzWorker, gzHere);
    assert.deepEqual(logWorker, logHere);
    const logText = new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceFile(LOG)));
    assert.equal(logWorker?.totals.records, analyzeText(logText).totals.records);
  });
});
