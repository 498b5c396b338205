// The editor features inside the real extension host: detection, hovers on every sample format, diagnostics,
// status bar, decorations, field labels and the format command.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, WAIT_MS, until, workspaceFile } from './helpers';

/** The default (v2) field order, from the AWS documentation. */
const DEFAULT_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
];

interface EditorState {
  statusText: string;
  statusVisible: boolean;
  /** The status bar: its text, and the document and analysed version it describes. */
  status: { text: string; visible: boolean; uri: string; version: number | null };
  decorations: {
    version: number;
    complete: boolean;
    reject: number;
    dimmed: number;
    alerts: number;
    /** The analysed lines behind the document's first draw (0: drawn before any analysis data). */
    firstLinesDone: number;
  } | null;
  labels: number | null;
  labelFacts: { count: number; firstLine: number; mode: string; version: number; analysisVersion: number } | null;
  analysis: { version: number; elapsedMs: number; runs: number; records: number } | null;
  wasmScanner: boolean;
}

const FLOW_LINE =
  '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n';

/**
 * Returns once every language switch requested before the call has been applied: a switch is a round trip to the
 * workbench, and this makes one more (on a blank untitled document that detection never switches). Detection
 * decides while a document opens or changes language, so a negative check ("not switched") waits for this
 * instead of for some time.
 */
async function languageSwitchesApplied(): Promise<void> {
  const blank = await vscode.workspace.openTextDocument({ language: 'plaintext', content: '' });
  await vscode.languages.setTextDocumentLanguage(blank, 'log');
}

/** The status bar once it shows the analysis of this very version of `doc`. */
async function statusOf(doc: vscode.TextDocument): Promise<EditorState['status']> {
  const state = await until(
    `the status bar to show the analysis of ${doc.uri.path} v${doc.version}`,
    async () => {
      const s = await editorState(doc.uri);
      return s.status.uri === doc.uri.toString() && s.status.version === doc.version ? s : undefined;
    },
    WAIT_MS,
    async () => (await editorState(doc.uri)).status,
  );
  return state.status;
}

/** The field labels once they are drawn in `mode` for this version of `doc` from its analysis of that version. */
async function labelsOf(
  doc: vscode.TextDocument,
  mode: string,
  ok: (facts: NonNullable<EditorState['labelFacts']>) => boolean = () => true,
): Promise<NonNullable<EditorState['labelFacts']>> {
  return until(
    `field labels in mode ${mode} for ${doc.uri.path} v${doc.version}`,
    async () => {
      const f = (await editorState(doc.uri)).labelFacts;
      return f &&
        f.mode === mode &&
        f.version === doc.version &&
        (mode === 'off' || f.analysisVersion === doc.version) &&
        ok(f)
        ? f
        : undefined;
    },
    WAIT_MS,
    async () => (await editorState(doc.uri)).labelFacts,
  );
}

/** Opens a workspace file in an editor and waits until detection switched it to vpcflow. */
async function openFlowLog(name: string): Promise<vscode.TextEditor> {
  const uri = workspaceFile(name);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  const doc = await until(`${name} to become vpcflow`, () =>
    vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === 'vpcflow'),
  );
  const editor = await vscode.window.showTextDocument(doc);
  if (doc.isDirty) {
    // Another suite may have left an edit behind: start from the file on disk.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await until(`${name} to be reverted`, () => !doc.isDirty);
  }
  // Every check below reads what the analysis of this very version produced.
  await until(
    `the analysis of ${name} v${doc.version}`,
    async () => (await editorState(doc.uri)).analysis?.version === doc.version,
    WAIT_MS,
    async () => ({ version: doc.version, analysis: (await editorState(doc.uri)).analysis }),
  );
  return editor;
}

/** The start column (+1, inside the token) of the n-th whitespace-separated token of `text` after `from`. */
function tokenColumn(text: string, n: number, from = 0): number {
  const re = /[^\s"]+/g;
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  let i = 0;
  while ((m = re.exec(text))) {
    if (i === n) return m.index + 1;
    i++;
  }
  throw new Error(`no token ${n} in ${text}`);
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
    .replace(/\\([\\`*_{}[\]()#+\-.!<>|~&])/g, '$1')
    .replace(/&nbsp;/g, ' ');
}

/** The field name a hover names first (the bold title). */
function hoverField(text: string): string | undefined {
  return /\*\*([a-z0-9-]+)\*\*/.exec(text)?.[1];
}

function editorState(uri: vscode.Uri): Promise<EditorState> {
  return Promise.resolve(vscode.commands.executeCommand<EditorState>('vpcFlow._editorState', uri.toString()));
}

describe('editor features', function () {
  this.timeout(4 * WAIT_MS);

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
  });

  it('compiles the WebAssembly record scanner in this extension host (Analyze File… reads bytes through it)', async () => {
    const state = await editorState(workspaceFile('aws-examples-default.log'));
    assert.equal(state.wasmScanner, true);
  });

  describe('detection', () => {
    it('switches .log samples of every kind to vpcflow', async () => {
      for (const name of ['aws-examples-default.log', 'logzilla-format2.log', 'custom-v3-tcp-flags.log']) {
        const editor = await openFlowLog(name);
        assert.equal(editor.document.languageId, 'vpcflow', name);
      }
    });

    it('draws a newly opened flow log with its analysis from the first draw, and analyses it once', async () => {
      // A file no test opened before: its document is new. Opened as a user opens it (document and editor at once).
      const name = `first-screen-${Date.now()}.log`;
      const uri = workspaceFile(name);
      await vscode.workspace.fs.copy(workspaceFile('aws-examples-default.log'), uri);
      try {
        await vscode.window.showTextDocument(uri);
        const doc = await until(`${name} to become vpcflow`, () =>
          vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && d.languageId === 'vpcflow'),
        );
        const facts = await until(
          'the decorations of the finished analysis',
          async () => {
            const d = (await editorState(uri)).decorations;
            return d && d.complete && d.version === doc.version ? d : undefined;
          },
          WAIT_MS,
          async () => (await editorState(uri)).decorations,
        );
        // Detection analyses the first screen when it switches the language: the editor is never drawn bare first.
        assert.ok(facts.firstLinesDone > 0, `first drawn with ${facts.firstLinesDone} lines analysed`);
        assert.deepEqual({ reject: facts.reject, dimmed: facts.dimmed }, { reject: 2, dimmed: 2 });
        // The analysis started at the switch is the one that finished: the reopen in vpcflow did not start another.
        const analysis = (await editorState(uri)).analysis;
        assert.equal(analysis?.runs, 1);
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        await vscode.workspace.fs.delete(uri);
      }
    });

    it('switches a CloudWatch JSON export to vpcflow', async () => {
      const editor = await openFlowLog('cloudwatch-filter-log-events.json');
      assert.equal(editor.document.languageId, 'vpcflow');
    });

    it('leaves an nginx access log alone', async () => {
      const nginx = await vscode.workspace.openTextDocument(workspaceFile('nginx-access.log'));
      await vscode.window.showTextDocument(nginx);
      // Open a flow log after it: once that one is switched, detection has long looked at the nginx log.
      await openFlowLog('logzilla-format1.log');
      await languageSwitchesApplied();
      const again = vscode.workspace.textDocuments.find((d) => d.uri.toString() === nginx.uri.toString());
      assert.ok(again);
      assert.notEqual(again.languageId, 'vpcflow');
      assert.match(again.languageId, /^(log|plaintext)$/);
    });

    it('switches an untitled document once a flow log is pasted into it', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: '' });
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((b) =>
        b.insert(
          new vscode.Position(0, 0),
          '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n',
        ),
      );
      await until('the pasted flow log to become vpcflow', () =>
        vscode.workspace.textDocuments.some(
          (d) => d.uri.toString() === doc.uri.toString() && d.languageId === 'vpcflow',
        ),
      );
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('switches nothing when vpcFlow.autoDetect is off', async () => {
      const config = vscode.workspace.getConfiguration('vpcFlow');
      await config.update('autoDetect', false, vscode.ConfigurationTarget.Global);
      try {
        // Opened with its text: detection decides while the document opens (a paste is looked at after a
        // debounce, which a test could only wait out with a sleep).
        const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: FLOW_LINE });
        await vscode.window.showTextDocument(doc);
        await languageSwitchesApplied();
        assert.equal(
          vscode.workspace.textDocuments.find((d) => d.uri.toString() === doc.uri.toString())?.languageId,
          'plaintext',
        );
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      } finally {
        await config.update('autoDetect', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('recognises AWS Toolkit CloudWatch streams (aws-cwl) and leaves other streams alone', async () => {
      const streams: Record<string, string> = {
        '/flow/eni-1235b8ca123456789-all': [
          '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
          '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK',
        ].join('\n'),
        '/web/nginx': '203.0.113.12 - - [14/Dec/2014:04:20:10 +0000] "GET / HTTP/1.1" 200 4249 "-" "curl/8.5.0"',
      };
      const registration = vscode.workspace.registerTextDocumentContentProvider('aws-cwl', {
        provideTextDocumentContent: (uri) => streams[uri.path] ?? '',
      });
      try {
        const flow = await vscode.workspace.openTextDocument(
          vscode.Uri.parse('aws-cwl:/flow/eni-1235b8ca123456789-all'),
        );
        // The toolkit marks its streams as `log`.
        await vscode.languages.setTextDocumentLanguage(flow, 'log');
        await until('the CloudWatch flow stream to become vpcflow', () =>
          vscode.workspace.textDocuments.some(
            (d) => d.uri.toString() === flow.uri.toString() && d.languageId === 'vpcflow',
          ),
        );
        const web = await vscode.languages.setTextDocumentLanguage(
          await vscode.workspace.openTextDocument(vscode.Uri.parse('aws-cwl:/web/nginx')),
          'log',
        );
        await languageSwitchesApplied();
        assert.equal(
          vscode.workspace.textDocuments.find((d) => d.uri.toString() === web.uri.toString())?.languageId,
          'log',
        );
      } finally {
        registration.dispose();
      }
    });

    it('does not switch back a document the user moved away from vpcflow, and clears its emphasis', async () => {
      // A file of our own in the (temporary) workspace copy, so no other test depends on its language.
      const name = 'editor-switch-back.log';
      const rejected =
        '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK\n';
      await vscode.workspace.fs.writeFile(workspaceFile(name), new TextEncoder().encode(rejected));
      const editor = await openFlowLog(name);
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      await until(
        'emphasis and labels',
        async () => {
          const s = await editorState(editor.document.uri);
          return s.decorations?.reject === 1 && s.labels === 14;
        },
        WAIT_MS,
        () => editorState(editor.document.uri),
      );
      await until('the rdp-blocked problem', () => vscode.languages.getDiagnostics(editor.document.uri).length > 0);
      assert.equal(vscode.languages.getDiagnostics(editor.document.uri).length, 1);
      const plain = await vscode.languages.setTextDocumentLanguage(editor.document, 'plaintext');
      await until('emphasis, labels and problems cleared', async () => {
        const s = await editorState(plain.uri);
        return s.decorations?.reject === 0 && s.labels === 0 && vscode.languages.getDiagnostics(plain.uri).length === 0;
      });
      await languageSwitchesApplied();
      const now = vscode.workspace.textDocuments.find((d) => d.uri.toString() === plain.uri.toString());
      assert.equal(now?.languageId, 'plaintext', "detection respects the user's choice");
    });
  });

  describe('hover', () => {
    it('names every field of a default-format record and decodes port, protocol and start', async () => {
      const { document } = await openFlowLog('aws-examples-default.log');
      const line = document.lineAt(0).text;
      for (let i = 0; i < DEFAULT_FIELDS.length; i++) {
        const text = await hoverText(document, 0, tokenColumn(line, i));
        assert.equal(hoverField(text), DEFAULT_FIELDS[i], `token ${i} of ${line}: ${text}`);
      }
      const port = await hoverText(document, 0, tokenColumn(line, 6));
      assert.match(port, /ssh/i, 'dstport 22 is SSH');
      assert.match(port, /v2/, 'the version that introduced the field');
      const proto = await hoverText(document, 0, tokenColumn(line, 7));
      assert.match(proto, /TCP/);
      const start = await hoverText(document, 0, tokenColumn(line, 10));
      assert.match(start, /2014-12-14T04:06:50/, 'start 1418530010 as ISO UTC');
      assert.match(start, /60 s|1 min/, 'the flow lasted 60 s');
      const src = await hoverText(document, 0, tokenColumn(line, 3));
      assert.match(src, /private/i, '172.31.16.139 is a private address');
    });

    it('lists the triggers and MITRE technique of the rejected RDP record', async () => {
      const { document } = await openFlowLog('aws-examples-default.log');
      const line = document.lineAt(1).text;
      const text = await hoverText(document, 1, tokenColumn(line, 6));
      assert.equal(hoverField(text), 'dstport');
      assert.match(text, /rdp-blocked/);
      assert.match(text, /T1110/);
      assert.match(text, /Brute Force/);
      assert.match(text, /security/i, 'a blocked RDP attempt is a security event');
    });

    it('names the fields of the 29-field alphabetical format', async () => {
      const { document } = await openFlowLog('logzilla-format2.log');
      const line = document.lineAt(0).text;
      const expected: [number, string][] = [
        [0, 'account-id'],
        [2, 'az-id'],
        [8, 'instance-id'],
        [13, 'pkt-dstaddr'],
        [17, 'region'],
        [24, 'tcp-flags'],
        [25, 'traffic-path'],
        [28, 'vpc-id'],
      ];
      for (const [i, name] of expected) {
        const text = await hoverText(document, 0, tokenColumn(line, i));
        assert.equal(hoverField(text), name, `token ${i}: ${text}`);
      }
      const flags = await hoverText(document, 0, tokenColumn(line, 24));
      assert.match(flags, /SYN/);
      assert.match(flags, /ACK/);
    });

    it('follows the header of a custom format, double space included', async () => {
      const { document } = await openFlowLog('custom-v3-tcp-flags.log');
      const header = document.lineAt(0).text;
      assert.equal(hoverField(await hoverText(document, 0, tokenColumn(header, 19))), 'tcp-flags');
      const last = document.lineCount - 1;
      const text = document.lineAt(last).text.trim() ? document.lineAt(last).text : document.lineAt(last - 1).text;
      const lineNo = document.lineAt(last).text.trim() ? last : last - 1;
      assert.match(text, / {2}/, 'the last record keeps its double space');
      assert.equal(hoverField(await hoverText(document, lineNo, tokenColumn(text, 11))), 'pkt-srcaddr');
      const flags = await hoverText(document, lineNo, tokenColumn(text, 19));
      assert.equal(hoverField(flags), 'tcp-flags');
      assert.match(flags, /SYN, ACK, FIN/, 'tcp-flags 19 = SYN, ACK, FIN');
    });

    it('works on the message string inside CloudWatch JSON', async () => {
      const { document } = await openFlowLog('cloudwatch-filter-log-events.json');
      let lineNo = -1;
      for (let l = 0; l < document.lineCount; l++) {
        if (document.lineAt(l).text.includes('"message"') && document.lineAt(l).text.includes(' 3389 ')) lineNo = l;
      }
      assert.ok(lineNo >= 0, 'the RDP record is in the JSON');
      const text = document.lineAt(lineNo).text;
      const from = text.indexOf('"message": "') + '"message": "'.length;
      const dst = await hoverText(document, lineNo, tokenColumn(text, 6, from));
      assert.equal(hoverField(dst), 'dstport', dst);
      assert.match(dst, /rdp/i);
      assert.equal(hoverField(await hoverText(document, lineNo, tokenColumn(text, 4, from))), 'dstaddr');
      // The JSON key before the message is not a field.
      assert.equal(hoverField(await hoverText(document, lineNo, text.indexOf('message'))), undefined);
    });

    it('explains base64-encoded Firehose records, and still flags the blocked RDP record in them', async () => {
      const { document } = await openFlowLog('firehose-request-direct.json');
      let lineNo = -1;
      for (let l = 0; l < document.lineCount && lineNo < 0; l++)
        if (document.lineAt(l).text.includes('"data"')) lineNo = l;
      assert.ok(lineNo >= 0);
      const text = await hoverText(document, lineNo, document.lineAt(lineNo).text.indexOf('"data"') + 12);
      assert.match(text, /Encoded flow records/);
      const diags = await until('the RDP diagnostic', () => {
        const d = vscode.languages.getDiagnostics(document.uri).filter((x) => x.code === 'rdp-blocked');
        return d.length ? d : undefined;
      });
      assert.equal(diags.length, 1);
      assert.match(document.lineAt(diags[0]?.range.start.line ?? 0).text, /"data"/);
    });

    it('shows hostile log text as plain text, never as trusted markdown', async () => {
      const hostile = '[run](command:workbench.action.closeWindow)**x**$(bug)<img/src=x>';
      const content = [
        'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ecs-service-name',
        `7 123456789012 eni-0a1b2c3d4e5f60718 198.51.100.7 10.0.1.25 49152 3389 6 3 180 1418530010 1418530070 REJECT OK ${hostile}`,
      ].join('\n');
      const doc = await vscode.workspace.openTextDocument({ language: 'vpcflow', content });
      await vscode.window.showTextDocument(doc);
      const col = doc.lineAt(1).text.indexOf(hostile) + 3;
      const hovers = await until('a hover on the hostile token', async () => {
        const h = await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          doc.uri,
          new vscode.Position(1, col),
        );
        return h.length ? h : undefined;
      });
      const parts = hovers
        .flatMap((h) => h.contents)
        .filter((c): c is vscode.MarkdownString => typeof c !== 'string' && 'value' in c);
      const ours = parts.find((p) => p.value.includes('ecs-service-name'));
      assert.ok(ours, 'the hover names the field');
      assert.notEqual(ours.isTrusted, true);
      assert.ok(!ours.value.includes('](command:'), `no live command link in:\n${ours.value}`);
      assert.ok(!ours.value.includes('<img'), 'no raw HTML');
      assert.ok(!ours.value.includes('$(bug)'), 'no theme icon injected by the log');
      assert.ok(!ours.value.includes('**x**'), 'no markdown emphasis from the log');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('can be switched off', async () => {
      const { document } = await openFlowLog('aws-examples-default.log');
      const col = tokenColumn(document.lineAt(0).text, 6);
      const config = vscode.workspace.getConfiguration('vpcFlow');
      await config.update('hover.enabled', false, vscode.ConfigurationTarget.Global);
      try {
        await until('the setting to apply', async () => hoverField(await hoverText(document, 0, col)) === undefined);
      } finally {
        await config.update('hover.enabled', undefined, vscode.ConfigurationTarget.Global);
      }
      await until('the hover back on', async () => hoverField(await hoverText(document, 0, col)) === 'dstport');
    });
  });

  describe('problems, status bar and decorations', () => {
    it('reports the rejected RDP line as rdp-blocked with its MITRE technique', async () => {
      const { document } = await openFlowLog('aws-examples-default.log');
      const diags = await until('diagnostics', () => {
        const d = vscode.languages.getDiagnostics(document.uri);
        return d.length ? d : undefined;
      });
      const rdp = diags.filter((d) => d.code === 'rdp-blocked');
      assert.equal(rdp.length, 1, diags.map((d) => `${JSON.stringify(d.code)} ${d.message}`).join('\n'));
      const d = rdp[0];
      assert.ok(d);
      assert.equal(d.range.start.line, 1);
      assert.equal(d.source, 'VPC Flow');
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(d.message, /172\.31\.9\.69 → 172\.31\.9\.12:3389/);
      assert.match(d.message, /T1110 Brute Force, Credential Access/);
      const config = vscode.workspace.getConfiguration('vpcFlow');
      await config.update('diagnostics.severity', 'error', vscode.ConfigurationTarget.Global);
      try {
        await until('the configured severity', () =>
          vscode.languages
            .getDiagnostics(document.uri)
            .some((x) => x.code === 'rdp-blocked' && x.severity === vscode.DiagnosticSeverity.Error),
        );
      } finally {
        await config.update('diagnostics.severity', undefined, vscode.ConfigurationTarget.Global);
      }
      // Neither the accepted SSH flow nor the rejected ICMP reply is an alert.
      assert.deepEqual(
        diags.filter((x) => x.severity !== vscode.DiagnosticSeverity.Information).map((x) => x.range.start.line),
        [1],
      );
    });

    it('reports unparsed lines with their reason and caps the count', async () => {
      const good =
        '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK';
      const lines = [good, 'this is not a flow record at all', ...Array.from({ length: 9 }, () => good)];
      const doc = await vscode.workspace.openTextDocument({ language: 'vpcflow', content: lines.join('\n') + '\n' });
      await vscode.window.showTextDocument(doc);
      const diags = await until('diagnostics', () => {
        const d = vscode.languages.getDiagnostics(doc.uri);
        return d.length ? d : undefined;
      });
      const info = diags.find((d) => d.range.start.line === 1);
      assert.ok(info, 'line 2 is reported');
      assert.equal(info.severity, vscode.DiagnosticSeverity.Information);
      assert.match(info.message, /Not a flow record/);
      assert.equal(diags.filter((d) => d.code === 'rdp-blocked').length, 10);

      const config = vscode.workspace.getConfiguration('vpcFlow');
      await config.update('diagnostics.maxCount', 4, vscode.ConfigurationTarget.Global);
      try {
        const capped = await until('capped diagnostics', () => {
          const d = vscode.languages.getDiagnostics(doc.uri);
          return d.length === 4 ? d : undefined;
        });
        const summary = capped.find((d) => d.code === 'truncated');
        assert.ok(summary, 'one summary diagnostic');
        assert.match(summary.message, /^8 more problems not shown/, '11 problems, 3 shown');
      } finally {
        await config.update('diagnostics.maxCount', undefined, vscode.ConfigurationTarget.Global);
      }
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('keeps a flow whose metadata value fails its check, with a warning on that value and in the hover', async () => {
      const header =
        'version resource-type account-id tgw-id tgw-attachment-id tgw-src-az-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status';
      const rec =
        '6 TransitGatewayAttachment 123456789010 tgw-0123456789abcdef0 tgw-attach-0123456789abcdef0 us-east-1a 10.0.1.5 10.1.2.9 49761 443 6 10 840 1700000000 1700000060 OK';
      const doc = await vscode.workspace.openTextDocument({ language: 'vpcflow', content: `${header}\n${rec}\n` });
      await vscode.window.showTextDocument(doc);
      const warning = await until('the metadata warning', () =>
        vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'metadata'),
      );
      assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(warning.message, /tgw-src-az-id: 'us-east-1a' is not an Availability Zone ID/);
      const col = rec.indexOf('us-east-1a');
      assert.deepEqual(
        [warning.range.start.line, warning.range.start.character, warning.range.end.character],
        [1, col, col + 'us-east-1a'.length],
        'the warning sits on the value',
      );
      const text = await hoverText(doc, 1, col + 2);
      assert.match(text, /not an Availability Zone ID/);
      assert.match(text, /flow is kept/);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('names the likely cause of a rejected reply (return traffic blocked) in its hover', async () => {
      const reply =
        '2 123456789010 eni-1235b8ca123456789 10.0.0.5 198.51.100.7 443 50000 6 20 4249 1418530010 1418530070 REJECT OK';
      const doc = await vscode.workspace.openTextDocument({ language: 'vpcflow', content: `${reply}\n` });
      await vscode.window.showTextDocument(doc);
      const text = await until('the hover of the reply', async () => {
        const t = await hoverText(doc, 0, tokenColumn(reply, 6));
        return /nacl-return-blocked/.test(t) ? t : undefined;
      });
      assert.match(text, /network ACL/);
      assert.doesNotMatch(text, /database-blocked/);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('shows flows, alerts and format in the status bar, and hides it for other editors', async () => {
      const { document } = await openFlowLog('aws-examples-default.log');
      // The status bar of this very version: it keeps showing an earlier version's counts while a new one is analysed.
      const status = await statusOf(document);
      assert.equal(status.text, 'VPC Flow: 7 flows · 1 alert · default v2');
      const nginx = await vscode.workspace.openTextDocument(workspaceFile('nginx-access.log'));
      await vscode.window.showTextDocument(nginx);
      await until('the status bar to hide', async () => !(await editorState(nginx.uri)).statusVisible);
    });

    it('tints REJECT lines, dims NODATA/SKIPDATA and marks the alert line', async () => {
      const { document } = await openFlowLog('aws-examples-default.log');
      const facts = await until(
        `the decorations of the finished analysis of v${document.version}`,
        async () => {
          const d = (await editorState(document.uri)).decorations;
          return d && d.complete && d.version === document.version ? d : undefined;
        },
        WAIT_MS,
        async () => (await editorState(document.uri)).decorations,
      );
      assert.deepEqual(
        { reject: facts.reject, dimmed: facts.dimmed, alerts: facts.alerts },
        { reject: 2, dimmed: 2, alerts: 1 },
      );
    });

    it('draws field labels on the cursor line', async () => {
      const editor = await openFlowLog('aws-examples-default.log');
      editor.selection = new vscode.Selection(4, 0, 4, 0);
      // Drawn for the new cursor line (labels drawn earlier for another line have the same count).
      const facts = await labelsOf(editor.document, 'cursorLine', (f) => f.firstLine === 4);
      assert.equal(facts.count, 14);
    });
  });

  describe('field labels command', () => {
    it('cycles cursorLine → all → off → cursorLine', async () => {
      const editor = await openFlowLog('aws-examples-default.log');
      const doc = editor.document;
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      const config = (): string | undefined => vscode.workspace.getConfiguration('vpcFlow').get<string>('fieldLabels');
      assert.equal(config(), 'cursorLine');
      await labelsOf(doc, 'cursorLine', (f) => f.firstLine === 0);
      try {
        // Each step waits for the labels drawn in the new mode: a count read before the redraw is the old mode's.
        assert.equal(await vscode.commands.executeCommand('vpcFlow.toggleFieldLabels'), 'all');
        await until('the setting to read all', () => config() === 'all');
        // Every record line of the 7-line sample is visible: 14 labels on each of the 7 lines.
        assert.equal((await labelsOf(doc, 'all', (f) => f.count === 7 * 14)).count, 7 * 14);
        assert.equal(await vscode.commands.executeCommand('vpcFlow.toggleFieldLabels'), 'off');
        await until('the setting to read off', () => config() === 'off');
        assert.equal((await labelsOf(doc, 'off')).count, 0);
        assert.equal(await vscode.commands.executeCommand('vpcFlow.toggleFieldLabels'), 'cursorLine');
        await until('the setting to read cursorLine', () => config() === 'cursorLine');
        const again = await labelsOf(doc, 'cursorLine');
        assert.deepEqual({ count: again.count, firstLine: again.firstLine }, { count: 14, firstLine: 0 });
      } finally {
        await vscode.workspace
          .getConfiguration('vpcFlow')
          .update('fieldLabels', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });

  describe('format command', () => {
    it('changes the hover when a custom format is applied, and back with auto', async () => {
      const { document } = await openFlowLog('aws-examples-default.log');
      const col = tokenColumn(document.lineAt(0).text, 6);
      assert.equal(hoverField(await hoverText(document, 0, col)), 'dstport');
      const swapped = DEFAULT_FIELDS.slice();
      swapped[5] = 'dstport';
      swapped[6] = 'srcport';
      await vscode.commands.executeCommand(
        'vpcFlow.setFormat',
        swapped.map((n) => '${' + n + '}').join(' '),
        document.uri,
      );
      assert.equal(hoverField(await hoverText(document, 0, col)), 'srcport');
      await until(
        'the status bar to name the custom format',
        async () => /custom \(14 fields\)|set for this file/.test((await editorState(document.uri)).status.text),
        WAIT_MS,
        async () => (await editorState(document.uri)).status,
      );
      await vscode.commands.executeCommand('vpcFlow.setFormat', 'auto', document.uri);
      assert.equal(hoverField(await hoverText(document, 0, col)), 'dstport');
    });

    it('takes the folder default from vpcFlow.format; a per-file choice beats it, a header line beats both', async () => {
      const { document } = await openFlowLog('aws-examples-default.log');
      const col = tokenColumn(document.lineAt(0).text, 6);
      const swapped = DEFAULT_FIELDS.slice();
      swapped[5] = 'dstport';
      swapped[6] = 'srcport';
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder);
      const config = vscode.workspace.getConfiguration('vpcFlow', folder.uri);
      await config.update('format', swapped.join(' '), vscode.ConfigurationTarget.WorkspaceFolder);
      try {
        await until(
          'the folder format to apply',
          async () => hoverField(await hoverText(document, 0, col)) === 'srcport',
        );
        await until(
          'the status bar to name the format from settings',
          async () => /from settings/.test((await editorState(document.uri)).status.text),
          WAIT_MS,
          async () => (await editorState(document.uri)).status,
        );
        await vscode.commands.executeCommand('vpcFlow.setFormat', 'default', document.uri);
        assert.equal(hoverField(await hoverText(document, 0, col)), 'dstport', 'the per-file choice wins');
        await until(
          'the status bar to name the format set for this file',
          async () => /default v2 \(set for this file\)/.test((await editorState(document.uri)).status.text),
          WAIT_MS,
          async () => (await editorState(document.uri)).status,
        );
        const header = await openFlowLog('custom-v3-tcp-flags.log');
        const line = header.document.lineAt(1).text;
        await until('the header format in the other file', async () =>
          hoverField(await hoverText(header.document, 1, tokenColumn(line, 19))) === 'tcp-flags' ? true : undefined,
        );
      } finally {
        await vscode.commands.executeCommand('vpcFlow.setFormat', 'auto', document.uri);
        await config.update('format', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      }
      await until('auto again', async () => hoverField(await hoverText(document, 0, col)) === 'dstport');
    });

    it('rejects an unknown field name', async () => {
      const { document } = await openFlowLog('aws-examples-default.log');
      const result = await vscode.commands.executeCommand('vpcFlow.setFormat', '${version} ${dstprot}', document.uri);
      assert.equal(result, undefined, 'nothing applied');
      assert.equal(hoverField(await hoverText(document, 0, tokenColumn(document.lineAt(0).text, 6))), 'dstport');
    });
  });
});
