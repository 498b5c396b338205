// The queries as a user reaches them in the real workbench: the "Query…" button of a trigger and of a table on the
// dashboard asks for the engine and copies the query (the extension's log names it and the format); "Export Queries…" from the palette refuses a
// table name with a quote inline (the compiler's message under the input box), then opens one document per engine.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { WAIT_MS, dashboardFrame, openWorkbench, retry, screenshotOnFailure, selectTab, type Workbench } from './lib';

/** Waits for the quick pick titled `title` (not an earlier one on its way out). */
async function pickTitled(wb: Workbench, title: string): Promise<void> {
  await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: WAIT_MS });
}

/** Waits until the quick input's title names the step `n` ("(2/3)"), so an answer goes to the right prompt. */
async function step(wb: Workbench, n: string): Promise<void> {
  await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: n }).waitFor({ timeout: WAIT_MS });
}

describe('queries: Copy Query for… and Export Queries…', function () {
  this.timeout(10 * WAIT_MS);
  let wb: Workbench | undefined;
  let frame: Frame;

  before(async () => {
    wb = await openWorkbench({ viewport: { width: 1600, height: 1000 } });
  });
  after(async () => {
    await wb?.close();
  });
  afterEach(async function () {
    await screenshotOnFailure(wb, this.currentTest);
  });

  it('"Query…" on a trigger row asks the engine and copies the query', async () => {
    assert.ok(wb);
    await wb.openFile('custom-v3-tcp-flags.log');
    await wb.runCommand('VPC Flow: Analyze VPC Flow');
    frame = await dashboardFrame(wb, 'custom-v3-tcp-flags.log');
    await selectTab(frame, 'triggers');
    // Every trigger has a query, so every row has the button.
    const rows = await frame.locator('table.triggers tr[data-trigger]').count();
    assert.ok(rows > 0);
    assert.equal(await frame.locator('table.triggers tr[data-trigger] button.query').count(), rows);
    await frame.locator('table.triggers tr[data-trigger="ssh-blocked"] button.query').click();
    await pickTitled(wb, 'Copy Query for AWS VPC: SSH Blocked');
    await wb.pickQuickItem('CloudWatch Logs Insights');
    // The extension's log says what went to the clipboard, for which format.
    await wb.runCommand('VPC Flow: Show Log');
    await wb.outputText(/copied the CloudWatch Logs Insights query for ssh-blocked \(header \(21 fields\)\)/);
  });

  it('"Query…" on a table card offers the SQL engines (no metric filter for a table)', async () => {
    assert.ok(wb);
    await selectTab(frame, 'security');
    // Tables without a query (none on Security) have no button; the blocked ports do.
    await frame.locator('[data-card="blockedPorts"] button.query').click();
    await pickTitled(wb, 'Copy Query for Top blocked ports');
    const labels = await retry('the engine quick pick', async () => {
      const l = await wb!.page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
      return l.length > 0 ? l : undefined;
    });
    assert.ok(!labels.some((l) => /metric filter/i.test(l)), labels.join(' | '));
    await wb.pickQuickItem('DuckDB');
    await wb.outputText(/copied the DuckDB \(SQL\) query for blockedPorts \(header \(21 fields\)\)/);
    await selectTab(frame, 'network');
    // The conversations table has no query: no button on its card.
    assert.equal(await frame.locator('[data-card="conversations"] button.query').count(), 0);
    assert.equal(await frame.locator('[data-card="talkers"] button.query').count(), 1);
  });

  it('"Export Queries…" shows the compiler\'s refusal of a table name inline, then opens the documents', async () => {
    assert.ok(wb);
    await wb.openFile('custom-v3-tcp-flags.log');
    await wb.runCommand('VPC Flow: Export Queries…');
    await step(wb, '(1/3)');
    await wb.quickInput.fill("flows'; DROP TABLE x");
    // The message line shows the prompt until the validation of the typed value replaces it.
    const message = await retry('the validation message', async () => {
      const t = await wb!.page.locator('.quick-input-widget .quick-input-message').innerText();
      return /flows/.test(t) ? t : undefined;
    });
    assert.match(message, /quotes, semicolons/);
    // Enter does not accept a refused value: the same input box stays.
    await wb.page.keyboard.press('Enter');
    assert.equal(await wb.quickInput.inputValue(), "flows'; DROP TABLE x");
    await wb.answerQuickInput('flows_prod');
    await step(wb, '(2/3)');
    await wb.answerQuickInput('');
    await step(wb, '(3/3)');
    await wb.pickQuickItem('Not partitioned');
    // One untitled document per engine opens (Athena, Insights, CloudFormation, Terraform, DuckDB).
    await retry('the exported documents', async () => {
      const tabs = await wb!.page.locator('.tabs-container .tab').allInnerTexts();
      return tabs.filter((t) => /Untitled-\d/.test(t)).length >= 5 ? tabs : undefined;
    });
    const lines = await wb.visibleLines();
    assert.ok(lines.length > 0);
  });
});
