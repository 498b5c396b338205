// "Analyze VPC Flow" as a user sees it in the real workbench: the overview numbers equal those of the CLI
// (`vpcflow analyze --json`, run for real), every tab opens, a trigger hit leads to its line in the editor, a
// filter applies and clears, hostile log text shows literally without running, and the records export through the
// save dialog is escaped. Saves a screenshot of each tab in a dark and a light theme (and two in high contrast) into
// test-results/screenshots/ (dashboard-<tab>-<dark|light|hc>.png).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import {
  FIXTURES,
  WAIT_MS,
  dashboardFrame,
  openWorkbench,
  retry,
  screenshotOnFailure,
  selectTab,
  type Workbench,
} from './lib';

const ROOT = path.resolve(__dirname, '..', '..');

interface CliSummary {
  totals: { records: number; accepted: number; rejected: number; alerts: number; unparsedLines: number; bytes: number };
  timeRange: { start: number; end: number } | null;
  triggers: { id: string; count: number; hits: { line: number }[] }[];
  network: { protocols: { rows: { key: string; flows: number }[] }; azs: { rows: { key: string; flows: number }[] } };
  security: { blockedPorts: { rows: { key: string; flows: number }[] } };
}

/** The real CLI's analysis of a fixture (dist/cli.js is built by `npm run test:ui`). */
function cliAnalyze(fixture: string): CliSummary {
  const out = execFileSync(
    process.execPath,
    [path.join(ROOT, 'dist', 'cli.js'), 'analyze', path.join(FIXTURES, fixture), '--json'],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out) as CliSummary;
}

const TABS = ['network', 'security', 'triggers', 'records'] as const;

/** Resolves after the webview has painted twice more: what it drew for the last state is on screen. */
async function painted(frame: Frame): Promise<void> {
  await frame.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))');
}

/** Polls `read` in the page until it gives `expected` (the webview updates after an event round trip). */
async function expectEventually<T>(what: string, read: () => Promise<T>, expected: T): Promise<void> {
  let last: T | undefined;
  await retry(
    `${what} to be ${JSON.stringify(expected)}`,
    async () => {
      last = await read();
      return last === expected ? true : undefined;
    },
    WAIT_MS,
    100,
  ).catch((err: unknown) => {
    throw new Error(`${err instanceof Error ? err.message : String(err)} (last: ${JSON.stringify(last)})`);
  });
}

async function metrics(frame: Frame): Promise<Record<string, string>> {
  return frame.evaluate(`(() => {
    const out = {};
    for (const el of document.querySelectorAll('.overview [data-metric]')) out[el.getAttribute('data-metric')] = el.getAttribute('data-value');
    return out;
  })()`);
}

/** The rows of a card's table as [key, flows] (the table exists, visible or not, beside the chart). */
async function cardRows(frame: Frame, card: string): Promise<[string, number][]> {
  return frame.evaluate(`[...document.querySelectorAll('[data-card="${card}"] tbody tr')].map((tr) => [
    tr.querySelector('button[data-key]').getAttribute('data-key'),
    Number(tr.querySelector('td.num').textContent.replace(/,/g, '')),
  ])`);
}

async function chipLabels(frame: Frame): Promise<string[]> {
  return frame.locator('[data-testid="filter-chip"] .chip-label').allTextContents();
}

/** Waits until the dashboard shows the summary of `n` filters (the filter bar says so once it has drawn it). */
async function filtersApplied(frame: Frame, n: number): Promise<void> {
  await frame.locator(`.filter-bar[data-applied="${n}"]`).waitFor({ timeout: WAIT_MS });
}

/** Clicks the row `key` in a card's table (shown with its Table toggle first). */
async function pickRow(frame: Frame, card: string, key: string): Promise<void> {
  const toggle = frame.locator(`[data-card="${card}"] button.toggle`);
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
  await frame.locator(`[data-card="${card}"] button.link[data-key="${key}"]`).click();
}

/** Picks a colour theme in "Preferences: Color Theme" by its label ("Dark Modern", "Light Modern"). */
async function setTheme(wb: Workbench, theme: string): Promise<void> {
  const expected = /High Contrast/.test(theme) ? 'hc-black' : /Dark/.test(theme) ? 'vs-dark' : 'vs';
  await wb.setColorTheme(theme, (cls) => cls.includes(expected));
}

/** `window.__pwned` in the workbench page and every frame (the hostile fixture's payloads would set it). */
async function pwnedFlags(wb: Workbench): Promise<unknown[]> {
  const flags: unknown[] = [];
  for (const f of wb.page.frames()) flags.push(await f.evaluate('window.__pwned').catch(() => 'frame not readable'));
  return flags;
}

describe('dashboard: Analyze VPC Flow', function () {
  this.timeout(10 * WAIT_MS);
  let wb: Workbench | undefined;
  let frame: Frame;
  const cli = cliAnalyze('aws-examples-default.log');

  before(async function () {
    wb = await openWorkbench({
      viewport: { width: 1600, height: 1000 },
      settings: { 'workbench.colorTheme': 'Default Dark Modern' },
    });
  });
  after(async () => {
    await wb?.close();
  });
  afterEach(async function () {
    await screenshotOnFailure(wb, this.currentTest);
  });

  it('shows the same overview numbers as `vpcflow analyze --json`', async () => {
    assert.ok(wb);
    await wb.openFile('aws-examples-default.log');
    await wb.goTo(6); // away from the RDP line, which a later test reveals
    await wb.runCommand('VPC Flow: Analyze VPC Flow');
    frame = await dashboardFrame(wb, 'aws-examples-default.log');
    const m = await metrics(frame);
    const t = cli.totals;
    assert.equal(Number(m.records), t.records);
    assert.equal(Number(m.accepted), t.accepted);
    assert.equal(Number(m.rejected), t.rejected);
    assert.equal(Number(m.alerts), t.alerts);
    assert.equal(Number(m.unparsed), t.unparsedLines);
    assert.equal(Number(m.bytes), t.bytes);
    assert.equal(m.timeRange, cli.timeRange ? `${cli.timeRange.start}-${cli.timeRange.end}` : '');
    // The visible text agrees with the attributes.
    const flowsText = await frame.locator('[data-metric="records"] dd').textContent();
    assert.equal(flowsText, t.records.toLocaleString('en-US'));
    // The panel sits in its own editor group beside the log.
    const tabs = await wb.page.locator('.tabs-container .tab').allInnerTexts();
    assert.ok(
      tabs.some((x) => x.includes('VPC Flow: aws-examples-default.log')),
      `tabs: ${tabs.join(' | ')}`,
    );
  });

  it('switches to each tab (a proper ARIA tablist, charts drawn from the theme colours)', async () => {
    assert.ok(wb);
    for (const tab of TABS) {
      await selectTab(frame, tab);
      assert.equal(await frame.locator(`[role="tab"][data-tab="${tab}"]`).getAttribute('aria-selected'), 'true');
      for (const other of TABS.filter((x) => x !== tab))
        assert.equal(await frame.locator(`#panel-${other}`).isHidden(), true, `${other} hidden while ${tab} shows`);
    }
    await selectTab(frame, 'network');
    // Keyboard: ArrowRight moves to the next tab.
    await frame.locator('[role="tab"][data-tab="network"]').focus();
    await frame.page().keyboard.press('ArrowRight');
    await expectEventually(
      'aria-selected of the security tab',
      () => frame.locator('[role="tab"][data-tab="security"]').getAttribute('aria-selected'),
      'true',
    );
    // Security shows the rejected traffic: the RDP port among the blocked ports.
    const blocked = await frame.locator('[data-card="blockedPorts"] tbody th').allTextContents();
    assert.ok(
      blocked.some((x) => x.startsWith('3389')),
      `blocked ports: ${blocked.join(', ')}`,
    );
    // Each chart card has a table alternative that the toggle shows.
    const card = frame.locator('[data-card="blockedPorts"]');
    await card.locator('button.toggle').click();
    await expectEventually(
      'the table toggle',
      () => card.locator('button.toggle').getAttribute('aria-pressed'),
      'true',
    );
    assert.equal(await card.locator('.table-wrap').getAttribute('class'), 'table-wrap');
    await card.locator('button.toggle').click();
    await expectEventually(
      'the table toggle',
      () => card.locator('button.toggle').getAttribute('aria-pressed'),
      'false',
    );
    await selectTab(frame, 'triggers');
    const counts = await frame.evaluate(
      `Object.fromEntries([...document.querySelectorAll('table.triggers tr[data-trigger]')].map((r) => [r.getAttribute('data-trigger'), Number(r.querySelector('[data-count]').getAttribute('data-count'))]))`,
    );
    for (const t of cli.triggers) assert.equal((counts as Record<string, number>)[t.id], t.count, `count of ${t.id}`);
  });

  it('clicking an rdp-blocked hit selects its line in the editor', async () => {
    assert.ok(wb);
    const rdp = cli.triggers.find((t) => t.id === 'rdp-blocked');
    const line = rdp?.hits[0]?.line;
    assert.ok(line, 'the sample has an RDP-blocked hit');
    // (The cursor was put on line 6 before the dashboard opened.)
    assert.notEqual(line, 6);
    await selectTab(frame, 'triggers');
    await frame.locator(`button.hit[data-trigger="rdp-blocked"][data-line="${line}"]`).click();
    const selection = await retry('the editor selection on the hit line', async () => {
      const text = await wb!.page.locator('.statusbar-item#status\\.editor\\.selection').innerText({ timeout: 2000 });
      return new RegExp(`^Ln ${line}, Col \\d+ \\(\\d+ selected\\)`).test(text.trim()) ? text : undefined;
    });
    assert.match(selection, /selected/);
    // The selected text in the editor is the RDP record (dstport 3389).
    const selected = await wb.page.locator('.editor-instance .monaco-editor .view-line', { hasText: '3389' }).count();
    assert.ok(selected > 0);
  });

  it('applies a filter from a table row and clears it', async () => {
    assert.ok(wb);
    frame = await dashboardFrame(wb, 'aws-examples-default.log');
    await selectTab(frame, 'security');
    const row = cli.security.blockedPorts.rows.find((r) => r.key === '3389');
    assert.ok(row);
    await frame.locator('[data-card="blockedPorts"] button.toggle').click();
    await frame.locator('[data-card="blockedPorts"] button.link[data-key="3389"]').click();
    await filtersApplied(frame, 1);
    const chip = await frame.locator('[data-testid="filter-chip"]').textContent();
    assert.match(chip ?? '', /Blocked port 3389/);
    await selectTab(frame, 'records');
    const status = frame.locator('[data-testid="records-status"]');
    await status.waitFor();
    assert.equal(Number(await status.getAttribute('data-matched')), row.flows);
    const lines = await frame.locator('table.records tbody th button').allTextContents();
    assert.equal(lines.length, row.flows);
    await selectTab(frame, 'triggers');
    await frame.locator('.hit-lists').waitFor();
    const filteredHits = await frame.locator('button.hit').count();
    assert.ok(filteredHits > 0);
    const allHits = cli.triggers.reduce((n, t) => n + t.hits.length, 0);
    await frame.locator('button.chip-clear').click();
    await expectEventually('the filter chips', () => frame.locator('[data-testid="filter-chip"]').count(), 0);
    await expectEventually('the hits listed', () => frame.locator('button.hit').count(), allHits);
    assert.ok(filteredHits < allHits, `${filteredHits} hits on the filtered records, ${allHits} in all`);
    await selectTab(frame, 'security');
  });

  it('saves a screenshot of each tab in the dark and the light theme', async () => {
    assert.ok(wb);
    // A richer (synthetic) log for the README: the v5 fields fill every Network chart.
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('View: Toggle Primary Side Bar Visibility');
    await wb.openFile('dashboard-demo.log');
    await wb.runCommand('VPC Flow: Analyze VPC Flow');
    for (const [theme, name, tabs] of [
      ['Dark Modern', 'dark', TABS],
      ['Dark High Contrast', 'hc', ['network', 'security']],
      ['Light Modern', 'light', TABS],
    ] as const) {
      await setTheme(wb, theme);
      frame = await dashboardFrame(wb, 'dashboard-demo.log');
      for (const tab of tabs) {
        await selectTab(frame, tab);
        await painted(frame);
        await wb.screenshot(`dashboard-${tab}-${name}`);
      }
      // Chart.js painted the charts: the protocols doughnut has opaque pixels in the theme's chart colour (once the
      // canvas has its size: a chart drawn before the layout is redrawn on resize).
      await selectTab(frame, 'network');
      let pixels = 0;
      await retry(
        `the protocols chart to be painted in the ${name} theme`,
        async () => {
          pixels = await frame.evaluate<number>(`(() => {
            const canvas = document.querySelector('[data-card="protocols"] canvas');
            if (!canvas || !canvas.width || !canvas.height) return 0;
            const ctx = canvas.getContext('2d');
            const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
            let opaque = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] > 200) opaque++;
            return opaque;
          })()`);
          return pixels > 1000 ? true : undefined;
        },
        WAIT_MS,
        100,
      ).catch(() => undefined);
      assert.ok(pixels > 1000, `the protocols chart painted ${pixels} pixels in the ${name} theme`);
    }
  });

  it('clicking a bar filters by its value', async () => {
    assert.ok(wb);
    frame = await dashboardFrame(wb, 'dashboard-demo.log');
    await selectTab(frame, 'security');
    // The top bar of "Top blocked ports" is the longest (22, ssh): click inside it, right of the labels, once the
    // chart is on screen at its final size.
    await painted(frame);
    const canvas = frame.locator('[data-card="blockedPorts"] canvas');
    const box = await canvas.boundingBox();
    assert.ok(box);
    const label = await frame.locator('[data-card="blockedPorts"] tbody th').first().textContent();
    await canvas.click({ position: { x: box.width * 0.6, y: 17 } });
    await filtersApplied(frame, 1);
    const chip = await frame.locator('[data-testid="filter-chip"]').textContent();
    assert.equal(chip?.replace('×', '').trim(), `Blocked port ${label ?? ''}`);
    await selectTab(frame, 'triggers');
    await frame.locator('button.hit').first().waitFor();
    const triggers = await frame
      .locator('.hit-group')
      .evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { trigger: string } }).dataset.trigger));
    assert.ok(triggers.includes('ssh-blocked'), `hit groups: ${triggers.join(', ')}`);
    assert.ok(!triggers.includes('rdp-blocked'), 'RDP hits are not on port 22');
    await frame.locator('button.chip-clear').click();
    await expectEventually('the filter chips', () => frame.locator('[data-testid="filter-chip"]').count(), 0);
  });

  it('filters the whole dashboard: chips combine with AND, survive hiding the panel, and come off one by one', async () => {
    assert.ok(wb);
    const demo = cliAnalyze('dashboard-demo.log');
    const tcp = demo.network.protocols.rows.find((r) => r.key === '6');
    const az1 = demo.network.azs.rows.find((r) => r.key === 'use1-az1');
    assert.ok(tcp && az1);
    frame = await dashboardFrame(wb, 'dashboard-demo.log');
    await filtersApplied(frame, 0);
    await selectTab(frame, 'network');
    // A click on the TCP row: one chip, and every number is that of the accepted TCP flows the row counts.
    await pickRow(frame, 'protocols', '6');
    await filtersApplied(frame, 1);
    assert.deepEqual(await chipLabels(frame), ['Protocol TCP (6)']);
    assert.equal(Number((await metrics(frame)).records), tcp.flows);
    assert.deepEqual(await cardRows(frame, 'protocols'), [['6', tcp.flows]]);
    assert.equal(await frame.locator('[data-testid="filter-status"]').getAttribute('data-matched'), String(tcp.flows));
    await selectTab(frame, 'records');
    await expectEventually(
      'the records matched',
      () => frame.locator('[data-testid="records-status"]').getAttribute('data-matched'),
      String(tcp.flows),
    );
    // A second filter, an Availability Zone among the TCP flows: AND across the chips.
    await selectTab(frame, 'network');
    const tcpAz1 = (await cardRows(frame, 'azs')).find(([key]) => key === 'use1-az1')?.[1];
    assert.ok(tcpAz1 !== undefined && tcpAz1 > 0 && tcpAz1 < az1.flows && tcpAz1 < tcp.flows);
    await pickRow(frame, 'azs', 'use1-az1');
    await filtersApplied(frame, 2);
    assert.deepEqual(await chipLabels(frame), ['Protocol TCP (6)', 'AZ use1-az1']);
    assert.equal(Number((await metrics(frame)).records), tcpAz1);
    assert.deepEqual(await cardRows(frame, 'protocols'), [['6', tcpAz1]]);
    assert.deepEqual(await cardRows(frame, 'azs'), [['use1-az1', tcpAz1]]);
    await selectTab(frame, 'records');
    await expectEventually(
      'the records matched',
      () => frame.locator('[data-testid="records-status"]').getAttribute('data-matched'),
      String(tcpAz1),
    );
    // Hidden and shown again, the webview reloads: it restores the chips and the tab, and the same numbers.
    const dashboardTab = wb.page.locator('.tabs-container .tab', { hasText: 'VPC Flow: dashboard-demo.log' });
    await dashboardTab.click(); // its editor group is the active one: the file opens over the dashboard
    await wb.openFile('aws-examples-default.log');
    await retry('the dashboard webview to be unloaded', () => Promise.resolve(frame.isDetached() ? true : undefined));
    await dashboardTab.click();
    frame = await dashboardFrame(wb, 'dashboard-demo.log');
    await filtersApplied(frame, 2);
    assert.deepEqual(await chipLabels(frame), ['Protocol TCP (6)', 'AZ use1-az1']);
    assert.equal(Number((await metrics(frame)).records), tcpAz1);
    assert.equal(await frame.locator('[role="tab"][data-tab="records"]').getAttribute('aria-selected'), 'true');
    // Removing the TCP chip leaves the AZ over every protocol.
    await frame.locator('[data-testid="filter-chip"][data-dimension="protocol"] button.chip-clear').click();
    await filtersApplied(frame, 1);
    assert.deepEqual(await chipLabels(frame), ['AZ use1-az1']);
    assert.equal(Number((await metrics(frame)).records), az1.flows);
    await selectTab(frame, 'network');
    assert.deepEqual(await cardRows(frame, 'azs'), [['use1-az1', az1.flows]]);
    // TCP again, then "Clear all": the whole file.
    await pickRow(frame, 'protocols', '6');
    await filtersApplied(frame, 2);
    assert.equal(Number((await metrics(frame)).records), tcpAz1);
    await frame.locator('button.chips-clear-all').click();
    await filtersApplied(frame, 0);
    assert.equal(await frame.locator('[data-testid="filter-chip"]').count(), 0);
    assert.equal(Number((await metrics(frame)).records), demo.totals.records);
    assert.deepEqual(
      await cardRows(frame, 'protocols'),
      demo.network.protocols.rows.map((r) => [r.key, r.flows]),
    );
  });

  it('shows hostile log text literally and runs none of it', async () => {
    assert.ok(wb);
    await wb.openFile('hostile.log');
    await wb.runCommand('VPC Flow: Analyze VPC Flow');
    const hostile = await dashboardFrame(wb, 'hostile.log');
    await selectTab(hostile, 'records');
    await hostile.locator('table.records').waitFor();
    const cells = (await hostile.locator('table.records td').allTextContents()).join('\n');
    for (const payload of [
      '<img/src=x/onerror=window.__pwned=1>',
      '</script><script>window.__pwned=2</script>',
      'javascript:window.__pwned=3',
      '"><svg/onload=window.__pwned=4>',
      `{{constructor.constructor('window.__pwned=6')()}}`,
    ])
      assert.ok(cells.includes(payload), `shown literally: ${payload}`);
    // The malformed line with a payload is listed among the unparsed lines, as text.
    assert.match((await hostile.locator('[data-card="unparsed"]').textContent()) ?? '', /Line 5/);
    // No element was created from log text.
    const injected = await hostile.evaluate(
      `document.querySelectorAll('#app img, #app svg, #app iframe, #app script, #app object, #app embed, #app a[href]').length`,
    );
    assert.equal(injected, 0);
    // Trigger hits of the hostile lines render too.
    await selectTab(hostile, 'triggers');
    assert.ok((await hostile.locator('button.hit[data-trigger="rdp-blocked"]').count()) > 0);
    const flags = await pwnedFlags(wb);
    assert.ok(flags.length > 1);
    assert.deepEqual(
      flags.filter((f) => f !== undefined && f !== 'frame not readable'),
      [],
      `window.__pwned in some frame: ${JSON.stringify(flags)}`,
    );
    await selectTab(hostile, 'records');
    await wb.screenshot('dashboard-hostile-light');
  });

  it('exports the records as CSV through the save dialog: hostile cells quoted, formulas neutralised', async () => {
    assert.ok(wb);
    const hostile = await dashboardFrame(wb, 'hostile.log');
    // The save dialog proposes <name>.records.csv beside the log; the web workbench's dialog is a quick input.
    const target = path.join(wb.folder, 'hostile.records.csv');
    await hostile.locator('button[data-export="records-csv"]').click();
    await wb.quickInput.waitFor({ state: 'visible' });
    const proposed = await retry('the proposed file name in the save dialog', async () => {
      const v = await wb!.quickInput.inputValue();
      return v.endsWith('/hostile.records.csv') ? v : undefined;
    });
    assert.equal(path.resolve(proposed), target);
    // The dialog ignores Enter while it is still listing the folder (busy), and shows that only after a delay:
    // press Enter until it accepts (closes), instead of pressing once after some time.
    await retry(
      'the save dialog to accept the proposed name',
      async () => {
        const widget = wb!.page.locator('.quick-input-widget');
        if (!(await widget.isVisible())) return true;
        await wb!.page.keyboard.press('Enter');
        return (await widget.waitFor({ state: 'hidden', timeout: 1000 }).then(
          () => true,
          () => false,
        ))
          ? true
          : undefined;
      },
      WAIT_MS,
      250,
    );
    const csv = await retry('the exported CSV on disk', () =>
      Promise.resolve(
        fs.existsSync(target) && fs.statSync(target).size > 0 ? fs.readFileSync(target, 'utf8') : undefined,
      ),
    );
    const lines = csv.split('\r\n').filter(Boolean);
    assert.equal(lines.length, 1 + 3, 'a header and the three records (the malformed line is not a record)');
    assert.equal(
      lines[0],
      'line,version,account-id,interface-id,srcaddr,dstaddr,srcport,dstport,protocol,packets,bytes,start,end,action,log-status,ecs-cluster-name,ecs-service-name,interface-tag',
    );
    assert.ok(lines[1]?.startsWith('2,7,123456789012,'));
    assert.ok(
      lines[1]?.endsWith(
        ',<img/src=x/onerror=window.__pwned=1>,</script><script>window.__pwned=2</script>,javascript:window.__pwned=3',
      ),
    );
    // A cell starting with = or @ gets a leading apostrophe; quotes are doubled inside a quoted cell.
    assert.ok(csv.includes(`"'=HYPERLINK(""http://example.invalid"",""click"")"`), csv);
    assert.ok(csv.includes(`'@SUM(1+1)*cmd|'/C_calc'!A0`), csv);
  });
});
