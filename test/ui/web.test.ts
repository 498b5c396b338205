// The `browser` entry point: the extension runs in the browser's web-worker extension host (as on
// vscode.dev), activates on a flow log and analyses it there.
import * as assert from 'node:assert/strict';
import { WAIT_MS, openWorkbench, screenshotOnFailure, type Workbench } from './lib';

describe('web extension (browser bundle in the web-worker extension host)', function () {
  this.timeout(5 * WAIT_MS);
  let wb: Workbench | undefined;

  before(async () => {
    wb = await openWorkbench({ extension: 'web' });
  });
  afterEach(async function () {
    await screenshotOnFailure(wb, this.currentTest);
  });
  after(async () => {
    await wb?.close();
  });

  it('activates on a sample flow log and logs to its "VPC Flow" channel', async () => {
    assert.ok(wb);
    await wb.openFile('aws-examples-default.log');
    await wb.runCommandUntil('VPC Flow: Show Log', 'the Output panel', () => wb!.outputPanelVisible());
    assert.equal(await wb.outputChannel(), 'VPC Flow');
    assert.match(await wb.outputText('activated'), /VPC Flow Explorer \d+\.\d+\.\d+ activated/);
  });

  it('analyses the open log: the status bar counts its flows', async () => {
    assert.ok(wb);
    await wb.openFile('aws-examples-default.log');
    // The sample holds 7 records (5 flows plus a NODATA and a SKIPDATA record).
    const item = await wb.statusBarItem(/\d+ flows?/);
    const count = Number(/(\d+) flows?/.exec(await item.innerText())?.[1]);
    assert.ok(count >= 5 && count <= 7, `status bar counts the sample's flows: "${await item.innerText()}"`);
  });
});
