// Folders, compressed and Parquet files as a user meets them in the real workbench: "Analyze Folder…" from the
// Explorer's context menu on a synced S3 day (test/fixtures/s3-day) shows the Files table and the totals; a hit in
// the .log.gz opens the read-only decompressed view at its line, where a hover names the field; opening a .parquet
// file offers the decompressed view, which shows its rows as flow-log text.
import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { WAIT_MS, dashboardFrame, openWorkbench, retry, screenshotOnFailure, selectTab, type Workbench } from './lib';

const GZ_NAME = '123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0420Z_fe123456.log.gz';
const PARQUET_NAME = '123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20141214T0430Z_9f8e7d6c.log.parquet';

describe('folders: Analyze Folder…, the Files table and the decompressed view', function () {
  this.timeout(10 * WAIT_MS);
  let wb: Workbench | undefined;
  let frame: Frame;

  before(async function () {
    wb = await openWorkbench({ viewport: { width: 1600, height: 1000 } });
  });
  after(async () => {
    await wb?.close();
  });
  afterEach(async function () {
    await screenshotOnFailure(wb, this.currentTest);
  });

  it('"Analyze Folder…" in the Explorer context menu of a folder shows the Files table and the totals', async () => {
    assert.ok(wb);
    const page = wb.page;
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^s3-day$/ }).first();
    await retry('the Explorer context menu entry "Analyze Folder…"', async () => {
      await page.keyboard.press('Escape');
      await row.click({ button: 'right' });
      const item = page.locator('.context-view .action-item', { hasText: 'Analyze Folder…' }).first();
      await item.waitFor({ timeout: 5000 });
      // The workbench's menu may drop a click that comes as it opens (it then stays open): the step is only done
      // once the menu has closed on the click, else it is tried again from a fresh menu.
      await item.hover();
      await item.click();
      await item.waitFor({ state: 'hidden', timeout: 5000 });
      return true;
    });
    frame = await dashboardFrame(wb, 's3-day', 3 * WAIT_MS);
    // The totals: the three flow logs (7 + 2 + 3 records); README.md and sync-notes.txt are skipped.
    const records = await frame.locator('.overview [data-metric="records"]').getAttribute('data-value');
    assert.equal(Number(records), 12);
    assert.equal(Number(await frame.locator('.overview [data-metric="unparsed"]').getAttribute('data-value')), 1);
    await selectTab(frame, 'files');
    const rows = await frame.evaluate(`[...document.querySelectorAll('table.files tbody tr')].map((tr) => ({
      path: tr.querySelector('th').textContent,
      records: Number(tr.querySelector('[data-records]').getAttribute('data-records')),
      note: tr.querySelector('.note-cell').textContent,
    }))`);
    const files = rows as { path: string; records: number; note: string }[];
    assert.equal(files.length, 5, JSON.stringify(files));
    const byName = (end: string) => files.find((f) => f.path.endsWith(end));
    assert.equal(byName('.log.gz')?.records, 7);
    assert.equal(byName('0a1b2c3d.log')?.records, 2);
    assert.equal(byName('.log.parquet')?.records, 3);
    assert.match(byName('sync-notes.txt')?.note ?? '', /^Skipped: not a flow log/);
    assert.match(byName('README.md')?.note ?? '', /^Skipped: not a flow log/);
    assert.equal(
      files.reduce((n, f) => n + f.records, 0),
      12,
    );
    // The Records tab names each record's file beside its line: 7 from the .log.gz, then 2, then 3.
    await selectTab(frame, 'records');
    const tags = await retry('the records with their files', async () => {
      const got = await frame!.evaluate<string[]>(
        `[...document.querySelectorAll('table.records tbody th')].map((th) => th.querySelector('.file-tag')?.textContent ?? '')`,
      );
      return got.length === 12 ? got : undefined;
    });
    assert.deepEqual(
      tags.map((t) =>
        t.endsWith('.log.gz') ? 'gz' : t.endsWith('0a1b2c3d.log') ? 'log' : t.endsWith('.parquet') ? 'parquet' : t,
      ),
      [...Array<string>(7).fill('gz'), ...Array<string>(2).fill('log'), ...Array<string>(3).fill('parquet')],
    );
  });

  it('a hit in the .log.gz opens the decompressed view at its line, with a hover that names the field', async () => {
    assert.ok(wb);
    await selectTab(frame, 'triggers');
    const hit = frame.locator('button.hit[data-trigger="rdp-blocked"]').first();
    assert.equal(await hit.getAttribute('data-line'), '3');
    await hit.click();
    await wb.waitForActiveTab(`${GZ_NAME}.vpcflow`);
    await wb.editorLanguage('VPC Flow Log');
    const selection = await retry('the selection on line 3', async () => {
      const text = await wb!.page.locator('.statusbar-item#status\\.editor\\.selection').innerText({ timeout: 2000 });
      return /Ln 3,/.test(text) ? text : undefined;
    });
    assert.match(selection, /Ln 3,/);
    const line = (await wb.visibleLines()).find((l) => l.includes(' 3389 '));
    assert.ok(line, 'the RDP line is on screen');
    const hover = await wb.hover(3, line.indexOf(' 3389 ') + 2, 'dstport');
    assert.match(hover, /dstport/);
  });

  it('opening a .parquet file offers the decompressed view, which shows its rows as flow-log text', async () => {
    assert.ok(wb);
    const page = wb.page;
    await retry(`quick open of ${PARQUET_NAME}`, async () => {
      await wb!.closeQuickInput();
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill(PARQUET_NAME);
      const row = page
        .locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: PARQUET_NAME }) })
        .first();
      await row.waitFor({ timeout: 5000 });
      await row.click();
      return true;
    });
    // The offer: a toast, or (once toasts have hidden, or when there were several) in the notification centre.
    const offer = page.locator('.notification-list-item', { hasText: 'Apache Parquet' }).first();
    await retry('the decompressed-view offer', async () => {
      if (await offer.isVisible()) return true;
      await wb!.runCommand('Notifications: Show Notifications');
      await offer.waitFor({ timeout: 5000 });
      return true;
    });
    await offer.locator('.monaco-button', { hasText: 'Open Decompressed View' }).first().click();
    await wb.waitForActiveTab(`${PARQUET_NAME}.vpcflow`);
    await wb.editorLanguage('VPC Flow Log');
    const lines = await retry('the Parquet rows on screen', async () => {
      const shown = await wb!.visibleLines();
      return shown.some((l) => l.includes('203.0.113.50 172.31.16.21 51515 23 6')) ? shown : undefined;
    });
    assert.equal(
      lines[0],
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
    );
    assert.equal(lines.filter((l) => /^2 123456789010 /.test(l)).length, 3);
  });
});
