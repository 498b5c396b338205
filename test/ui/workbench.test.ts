// The workbench with the extension from this repository: the palette offers its commands, a sample log opens.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { WAIT_MS, openWorkbench, retry, screenshotOnFailure, type Workbench } from './lib';

describe('workbench (extension loaded from the repository)', function () {
  this.timeout(5 * WAIT_MS);
  let wb: Workbench | undefined;

  before(async () => {
    wb = await openWorkbench({ extension: 'dev' });
  });
  afterEach(async function () {
    await screenshotOnFailure(wb, this.currentTest);
  });
  after(async () => {
    await wb?.close();
  });

  it('opens a sample flow log and shows its records', async () => {
    assert.ok(wb);
    await wb.openFile('aws-examples-default.log');
    // The editor renders its lines after its tab shows: wait for them rather than read the first frame.
    let lines: string[] = [];
    await retry("the editor to show the fixture's records", async () => {
      lines = (await wb?.visibleLines()) ?? [];
      return lines.some((l) => l.includes('eni-1235b8ca123456789')) ? true : undefined;
    }).catch(() => undefined);
    assert.ok(
      lines.some((l) => l.includes('eni-1235b8ca123456789')),
      `the editor shows the fixture's records; got:\n${lines.slice(0, 5).join('\n')}`,
    );
    // The extension recognised the .log file as a flow log.
    assert.equal(await wb.editorLanguage('VPC Flow Log'), 'VPC Flow Log');
  });

  it('finds "Analyze VPC Flow" in the command palette', async () => {
    assert.ok(wb);
    const rows = await wb.paletteItems('Analyze VPC Flow');
    assert.ok(rows.includes('VPC Flow: Analyze VPC Flow'), `palette rows: ${rows.join(' | ')}`);
  });

  it('saves a screenshot of the workbench with a sample log open', async () => {
    assert.ok(wb);
    await wb.goTo(3, 1);
    const file = await wb.screenshot('workbench-sample-log');
    assert.ok(fs.statSync(file).size > 10000, `${file} is a real screenshot`);
  });
});
