// The editor features as a user sees them in the real workbench: a mouse hover over a port names the field and
// its service, field labels render on the cursor line, the Problems panel lists the blocked RDP attempt.
// Saves the README screenshots (hover.png, labels.png, problems.png) into test-results/screenshots/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { WAIT_MS, openWorkbench, retry, screenshotOnFailure, type Workbench } from './lib';

// Browser-side code is kept as plain JavaScript strings (the tests' tsconfig has no DOM library).

/** Returns the centre of the n-th whitespace-separated token of the first editor line containing `lineText`. */
const TOKEN_CENTRE_JS = `(({ lineText, token }) => {
  const lines = Array.from(document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line'));
  const line = lines.find((l) => l.textContent.replace(/\\u00a0/g, ' ').includes(lineText));
  if (!line) return null;
  const text = line.textContent.replace(/\\u00a0/g, ' ');
  const re = /\\S+/g;
  let m, i = 0, start = -1, end = -1;
  while ((m = re.exec(text))) {
    if (i === token) { start = m.index; end = m.index + m[0].length; break; }
    i++;
  }
  if (start < 0) return null;
  const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let pos = 0, started = false;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const len = n.textContent.length;
    if (!started && start < pos + len) { range.setStart(n, start - pos); started = true; }
    if (started && end <= pos + len) { range.setEnd(n, end - pos); break; }
    pos += len;
  }
  const r = range.getBoundingClientRect();
  return r.width > 0 ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null;
})`;

/** Returns the `::before` texts drawn in the editor (field labels are pseudo-element content). */
const BEFORE_TEXTS_JS = `(() => {
  const out = [];
  for (const el of document.querySelectorAll('.editor-instance .monaco-editor .view-lines span')) {
    const c = getComputedStyle(el, '::before').content;
    if (c && c !== 'none' && c !== 'normal') out.push(c.replace(/^"|"$/g, ''));
  }
  return out;
})()`;

async function tokenCentre(wb: Workbench, lineText: string, token: number): Promise<{ x: number; y: number }> {
  return retry(`token ${token} of the line "${lineText}" on screen`, async () => {
    const rect = await wb.page.evaluate<{ x: number; y: number } | null>(
      `${TOKEN_CENTRE_JS}(${JSON.stringify({ lineText, token })})`,
    );
    return rect ?? undefined;
  });
}

function beforeTexts(wb: Workbench): Promise<string[]> {
  return wb.page.evaluate<string[]>(BEFORE_TEXTS_JS);
}

const RDP_LINE = '172.31.9.69 172.31.9.12 49761 3389';
const SSH_LINE = '172.31.16.139 172.31.16.21 20641 22';

describe('editor features in the workbench', function () {
  this.timeout(6 * WAIT_MS);
  let wb: Workbench | undefined;

  before(async () => {
    wb = await openWorkbench({ extension: 'dev', viewport: { width: 1500, height: 1000 } });
    await wb.openFile('aws-examples-default.log');
    await wb.editorLanguage('VPC Flow Log');
    // The analysis of the sample has finished once the status bar counts its flows: hovers name the triggers
    // (MITRE techniques) and the Problems panel lists them only from then on.
    await wb.statusBarItem(/VPC Flow: 7 flows/);
  });
  afterEach(async function () {
    await screenshotOnFailure(wb, this.currentTest);
  });
  after(async () => {
    await wb?.close();
  });

  it('shows the field name and service when the mouse rests on a port', async () => {
    assert.ok(wb);
    const page = wb.page;
    const text = await retry(
      'a hover naming dstport over the RDP port',
      async () => {
        assert.ok(wb);
        const { x, y } = await tokenCentre(wb, RDP_LINE, 6);
        await page.mouse.move(x - 200, y + 200);
        await page.mouse.move(x, y, { steps: 4 });
        const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content').first();
        await hover.waitFor({ state: 'visible', timeout: WAIT_MS / 4 });
        // Hovers render their parts progressively: poll this hover until it is complete (it names the trigger's
        // MITRE technique last), instead of reading it some time after it appeared.
        return retry(
          'the complete hover',
          async () => {
            const t = (await hover.innerText({ timeout: 1000 })).trim();
            return t.includes('dstport') && t.includes('T1110') ? t : undefined;
          },
          WAIT_MS / 4,
          100,
        ).catch(() => undefined);
      },
      WAIT_MS,
      500,
    );
    assert.match(text, /dstport/);
    assert.match(text, /3389/);
    assert.match(text, /rdp|ms-wbt-server|remote desktop/i, `the service of port 3389 in:\n${text}`);
    assert.match(text, /T1110/, 'the MITRE technique of the blocked RDP attempt');
    const file = await wb.screenshot('hover');
    assert.ok(fs.statSync(file).size > 10000);
  });

  it('draws field labels before each token of the cursor line', async () => {
    assert.ok(wb);
    await wb.page.mouse.move(5, 5);
    await wb.goTo(1, 1);
    const names = ['version:', 'srcaddr:', 'dstaddr:', 'dstport:', 'protocol:', 'action:', 'log-status:'];
    const labels = await retry('field labels on the cursor line', async () => {
      assert.ok(wb);
      const t = await beforeTexts(wb);
      return names.every((n) => t.includes(n)) ? t : undefined;
    });
    for (const name of names) {
      assert.ok(labels.includes(name), `label ${name} among ${labels.join(' ')}`);
    }
    // The line under the cursor only: one label per field of the default format.
    assert.equal(labels.filter((l) => l === 'dstport:').length, 1);
    const lines = await wb.visibleLines();
    assert.ok(lines.some((l) => l.includes(SSH_LINE) || l.replace(/\s+/g, ' ').includes('22')));
    const file = await wb.screenshot('labels');
    assert.ok(fs.statSync(file).size > 10000);
  });

  it('validates a custom format as it is typed in "Set Log Format…"', async () => {
    assert.ok(wb);
    const page = wb.page;
    await wb.focusEditor();
    await wb.runCommand('VPC Flow: Set Log Format…');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    const choices = ['Auto', 'Default v2', 'All fields (alphabetical)', 'Custom format string…'];
    // The format picker's rows (not those of the palette it replaces, which may still be on screen).
    const labels = await retry('the format picker', async () => {
      const l = (await rows.locator('.label-name').allInnerTexts()).map((x) => x.trim());
      return choices.every((c) => l.includes(c)) ? l : undefined;
    });
    for (const choice of choices) {
      assert.ok(labels.includes(choice), `${choice} among ${labels.join(' | ')}`);
    }
    await rows.filter({ hasText: 'Custom format string' }).first().click();
    const input = wb.quickInput;
    await retry('the custom format input box', async () =>
      (await input.inputValue()).includes('${dstport}') ? true : undefined,
    );
    await input.fill('${version} ${account-id} ${dstprot}');
    const message = await retry('the validation message', async () => {
      const t = (await page.locator('.quick-input-widget .quick-input-message').first().innerText()).trim();
      return t.includes('dstprot') ? t : undefined;
    });
    assert.match(message, /unknown field '(\$\{)?dstprot\}?'/);
    assert.match(message, /did you mean 'dstport'/);
    await wb.screenshot('format-validation');
    await wb.closeQuickInput();
  });

  it('lists the blocked RDP attempt in the Problems panel', async () => {
    assert.ok(wb);
    const rows = await wb.problems('RDP blocked');
    const rdp = rows.find((x) => x.includes('RDP blocked'));
    assert.ok(rdp);
    assert.match(rdp, /172\.31\.9\.69 → 172\.31\.9\.12:3389/);
    assert.match(rdp, /rdp-blocked/);
    const file = await wb.screenshot('problems');
    assert.ok(fs.statSync(file).size > 10000);
  });

  it('shows flows, alerts and format in the status bar; a click opens the dashboard', async () => {
    assert.ok(wb);
    await wb.focusEditor();
    const item = await wb.statusBarItem(/VPC Flow: 7 flows/);
    assert.equal((await item.innerText()).trim(), 'VPC Flow: 7 flows · 1 alert · default v2');
    await item.click();
    await wb.page.locator('.tabs-container .tab', { hasText: 'VPC Flow: aws-examples-default.log' }).first().waitFor();
  });
});
