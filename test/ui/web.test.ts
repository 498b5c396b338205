// The `browser` entry point: the extension runs in the browser's web-worker extension host (as on vscode.dev),
// activates on a flow log and analyses it there. The workbench is opened with the user setting that puts the
// extension in that host (code-server would otherwise run it in its Node host): the log proves which one ran.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, WAIT_MS, openWorkbench, screenshotOnFailure, type Workbench } from './lib';

/** The REJECT record of the sample: a blocked RDP attempt (line 2 of aws-examples-default.log). */
const RDP_LINE = '172.31.9.69 172.31.9.12 49761 3389';

describe('web extension (browser bundle in the web-worker extension host)', function () {
  this.timeout(5 * WAIT_MS);
  let wb: Workbench | undefined;

  before(async () => {
    wb = await openWorkbench({ extension: 'web', viewport: { width: 1500, height: 1000 } });
    await wb.openFile('aws-examples-default.log');
  });
  afterEach(async function () {
    await screenshotOnFailure(wb, this.currentTest);
  });
  after(async () => {
    await wb?.close();
  });

  it('activates in the web extension host and logs to its "VPC Flow" channel', async () => {
    assert.ok(wb);
    await wb.runCommandUntil('VPC Flow: Show Log', 'the Output panel', () => wb!.outputPanelVisible());
    assert.equal(await wb.outputChannel(), 'VPC Flow');
    const text = await wb.outputText(/activated \(\w+ extension host\)/);
    assert.match(text, /VPC Flow Explorer \d+\.\d+\.\d+ activated \(web extension host\)/, `the log:\n${text}`);
    assert.doesNotMatch(text, /node extension host/);
  });

  it('detects the flow log and counts its flows in the status bar', async () => {
    assert.ok(wb);
    await wb.openFile('aws-examples-default.log');
    assert.equal(await wb.editorLanguage('VPC Flow Log'), 'VPC Flow Log');
    // The sample holds 7 records (5 flows plus a NODATA and a SKIPDATA record), as in the Node host.
    await wb.statusBarItem(/VPC Flow: 7 flows/);
  });

  it('colours the record with the grammar: REJECT and ACCEPT differ', async () => {
    assert.ok(wb);
    await wb.openFile('aws-examples-default.log');
    const reject = (await wb.lineTokens(RDP_LINE, 'REJECT')).find((t) => t.text.trim() === 'REJECT');
    const accept = (await wb.lineTokens('20641 22 6', 'ACCEPT')).find((t) => t.text.trim() === 'ACCEPT');
    assert.ok(reject && accept);
    assert.notEqual(reject.colour, accept.colour, 'REJECT (invalid.illegal) and ACCEPT (support.class) colours');
  });

  it('shows the field, service and MITRE technique in the hover over a port', async () => {
    assert.ok(wb);
    await wb.openFile('aws-examples-default.log');
    // The analysis is done once the status bar counts the flows; the hover names the trigger from then on.
    await wb.statusBarItem(/VPC Flow: 7 flows/);
    const line = fs.readFileSync(path.join(FIXTURES, 'aws-examples-default.log'), 'utf8').split('\n')[1] ?? '';
    // The mouse, as a user would: the keyboard hover's cursor would draw the field labels that push the port away.
    const text = await wb.mouseHover(2, line.indexOf(' 3389 ') + 3, 'T1110');
    assert.match(text, /dstport/);
    assert.match(text, /3389/);
    assert.match(text, /rdp|ms-wbt-server|remote desktop/i, `the service of port 3389 in:\n${text}`);
  });
});
