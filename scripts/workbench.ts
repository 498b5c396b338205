/**
 * UI test library: drive the real VS Code workbench (code-server 4.139.1 = VS Code 1.139) in headless
 * Debian Chromium through playwright-core, so tests say what they mean instead of repeating selectors.
 *
 * ```ts
 * const wb = await openWorkbench({ extension: 'dev' });      // fresh profile, temp copy of test/fixtures
 * await wb.openFile('aws-examples-default.log');
 * await wb.editorLanguage('VPC Flow Log');                   // waits for language detection
 * const text = await wb.hover(3, 40);                         // hover text at line 3, column 40 (1-based)
 * const same = await wb.mouseHover(3, 40, 'dstport');         // the same with the mouse pointer, waiting for 'dstport'
 * await wb.runCommand('VPC Flow: Analyze VPC Flow');
 * const total = await wb.readWebview('#total-records');       // text of an element inside a webview
 * await wb.clickWebview('[role="tab"][data-tab="security"]'); // click inside a webview
 * const tokens = await wb.lineTokens('REJECT OK', 'REJECT'); // the grammar's tokens of a line, with colour classes
 * await wb.setColorTheme('Light Modern');                     // also: pickQuickItem, answerQuickInput, statusBarItem,
 *                                                             // outputText, outputChannel, problems, notifications
 * await wb.screenshot('dashboard');                          // test-results/screenshots/dashboard.png
 * await wb.close();                                           // always in after(): kills code-server + Chromium
 * ```
 *
 * Every wait is for a state of the page (a row with the right label, a hover with the expected text, a status bar
 * item), never for an amount of time; its timeout is a generous hang guard (WAIT_MS, env VPCFLOW_UI_WAIT_MS) and
 * the failure names what was awaited. Steps the workbench may drop while it is busy (palette, quick open, hover)
 * are retried until the state shows. Port: env VPCFLOW_TEST_PORT, default 8766 (a free one if busy).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import {
  ROOT,
  WEB_HOST_SETTINGS,
  copyToTemp,
  launchChromium,
  packageVsix,
  startCodeServer,
  testPort,
  workbenchUrl,
  type Chromium,
  type CodeServer,
} from './codeServer.mjs';

export const SCREENSHOT_DIR = path.join(ROOT, 'test-results', 'screenshots');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

export interface WorkbenchOptions {
  /** Folder to open; default: a temp copy of test/fixtures (removed on close). */
  folder?: string;
  /**
   * How the extension is loaded: `dev` = the repository as extensionDevelopmentPath (build dist/ first),
   * `vsix` = `code-server --install-extension <vsix>` into the throw-away extensions dir, `web` = the
   * repository's `browser` bundle in the browser's web-worker extension host (as on vscode.dev; see WEB_HOST_SETTINGS),
   * `none` = not at all.
   */
  extension?: 'dev' | 'vsix' | 'web' | 'none';
  /** The .vsix for `extension: 'vsix'`; default: package one now (production build + vsce). */
  vsix?: string;
  /** User settings for the throw-away profile (merged over quiet defaults). */
  settings?: Record<string, unknown>;
  /** Default: env VPCFLOW_TEST_PORT or 8766, or any free port when that one is busy. */
  port?: number;
  viewport?: { width: number; height: number };
}

/** Monaco renders spaces as U+00A0; tests compare with ordinary spaces. */
export const normalizeText = (t: string): string => t.replace(/\u00a0/g, ' ');

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Hang guard of a wait for a state (a loaded CI machine is many times slower than a developer's). */
export const WAIT_MS = Number(process.env.VPCFLOW_UI_WAIT_MS ?? 60000);
/** Hang guard of one attempt inside a retried step (the step is tried again after it). */
const STEP_MS = Math.max(5000, Math.round(WAIT_MS / 4));

/**
 * Retries `step` until it returns a value (not undefined) or `timeoutMs` passes; then throws `what`.
 * `pauseMs` is the polling interval between attempts, not a synchronisation.
 */
export async function retry<T>(
  what: string,
  step: () => Promise<T | undefined>,
  timeoutMs = WAIT_MS,
  pauseMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await step();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message.split('\n')[0]}` : '';
      throw new Error(`timed out after ${timeoutMs} ms: ${what}${why}`);
    }
    await sleep(pauseMs);
  }
}

/**
 * Browser-side (plain JS: the tests' tsconfig has no DOM library): the screen point of the character at
 * 1-based line/column of the active editor, found through the line-number gutter; or an error string.
 */
const POINT_AT_JS = `(({ line, column }) => {
  const editor = document.querySelector('.editor-instance .monaco-editor');
  if (!editor) return 'no active text editor';
  const num = Array.from(editor.querySelectorAll('.margin-view-overlays .line-numbers')).find((n) => n.textContent.trim() === String(line));
  if (!num) return 'line ' + line + ' is not rendered (scrolled away?)';
  const y = num.getBoundingClientRect().top + num.getBoundingClientRect().height / 2;
  const view = Array.from(editor.querySelectorAll('.view-lines .view-line')).find((l) => {
    const r = l.getBoundingClientRect();
    return r.top <= y && y < r.bottom;
  });
  if (!view) return 'no rendered text for line ' + line;
  const offset = column - 1;
  const walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
  let pos = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const len = n.textContent.length;
    if (offset < pos + len) {
      const range = document.createRange();
      range.setStart(n, offset - pos);
      range.setEnd(n, offset - pos + 1);
      const r = range.getBoundingClientRect();
      const lines = editor.querySelector('.lines-content') || view;
      const visible = editor.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2, right: Math.min(visible.right, lines.getBoundingClientRect().right) - 20 };
    }
    pos += len;
  }
  return 'line ' + line + ' has fewer than ' + column + ' characters';
})`;

/** Browser-side: the token spans (text, mtk colour class) of the first view line of the active editor containing the text. */
const LINE_TOKENS_JS = `((lineText) => {
  const norm = (t) => t.split(String.fromCharCode(160)).join(' ');
  const line = Array.from(document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line'))
    .find((l) => norm(l.textContent).includes(lineText));
  if (!line) return undefined;
  return Array.from(line.querySelectorAll('span[class*="mtk"]')).map((s) => ({
    text: s.textContent,
    colour: s.className.split(' ').find((c) => c.startsWith('mtk')) || '',
  }));
})`;

export class Workbench {
  private constructor(
    readonly page: Page,
    readonly server: CodeServer,
    private readonly browser: Chromium,
    /** The workspace folder open in the workbench. */
    readonly folder: string,
    private readonly ownFolder: boolean,
  ) {}

  /** Starts code-server + Chromium and waits until the workbench is usable. */
  static async open(options: WorkbenchOptions = {}): Promise<Workbench> {
    const mode = options.extension ?? 'dev';
    const ownFolder = !options.folder;
    const folder = options.folder ? path.resolve(options.folder) : copyToTemp(FIXTURES);
    const vsix = mode === 'vsix' ? (options.vsix ?? packageVsix()) : undefined;
    const bundle = mode === 'web' ? 'dist/web/extension.js' : 'dist/extension.js';
    if ((mode === 'dev' || mode === 'web') && !fs.existsSync(path.join(ROOT, bundle))) {
      throw new Error(`${bundle} is missing: build first (npm run build)`);
    }
    let server: CodeServer | undefined;
    let browser: Chromium | undefined;
    try {
      server = await startCodeServer({
        port: options.port ?? testPort(8766),
        anyFreePort: options.port === undefined,
        folder,
        settings: mode === 'web' ? { ...WEB_HOST_SETTINGS, ...options.settings } : options.settings,
        installExtensions: vsix ? [vsix] : [],
      });
      browser = await launchChromium(options.viewport ? { viewport: options.viewport } : {});
      const page = browser.page;
      page.setDefaultTimeout(WAIT_MS);
      await page.goto(
        workbenchUrl(server, {
          folder,
          extensionDevelopmentPath: mode === 'dev' || mode === 'web' ? ROOT : undefined,
          extensionKind: mode === 'web' ? 'web' : undefined,
        }),
      );
      const wb = new Workbench(page, server, browser, folder, ownFolder);
      await wb.waitForReady();
      return wb;
    } catch (err) {
      const log = server?.dumpLog(3000);
      await browser?.close();
      await server?.stop();
      if (ownFolder) fs.rmSync(folder, { recursive: true, force: true });
      throw new Error(
        `could not open the workbench: ${err instanceof Error ? err.message : String(err)}${log ? `\ncode-server log:\n${log}` : ''}`,
      );
    }
  }

  private async waitForReady(): Promise<void> {
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 2 * WAIT_MS });
    await this.page
      .locator('.monaco-workbench .part.sidebar .explorer-folders-view, .monaco-workbench .part.activitybar')
      .first()
      .waitFor({ timeout: 2 * WAIT_MS });
    // The remote extension host is connected once the explorer shows the folder's files.
    await retry(
      'the explorer to list the workspace files',
      async () => ((await this.page.locator('.explorer-folders-view .monaco-list-row').count()) > 0 ? true : undefined),
      2 * WAIT_MS,
    );
  }

  // ---- commands and quick input ----

  /** The visible quick-input box (command palette, quick open, go to line). */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget input');
  }

  private async openQuickInput(key: string, prefix: string, text: string): Promise<void> {
    await this.closeQuickInput();
    await this.page.keyboard.press(key);
    await this.quickInput.waitFor({ state: 'visible', timeout: STEP_MS });
    // A quick input that loses the focus (to an editor or a webview that takes it late) closes: fail this attempt
    // rather than wait the whole WAIT_MS for it to come back.
    await this.quickInput.fill(prefix + text, { timeout: STEP_MS });
  }

  async closeQuickInput(): Promise<void> {
    if (await this.page.locator('.quick-input-widget').isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.page
        .locator('.quick-input-widget')
        .waitFor({ state: 'hidden', timeout: STEP_MS })
        .catch(() => undefined);
    }
  }

  /**
   * The rows of the open quick input whose label is `label` (exactly, or after a "Category: " prefix), else those
   * whose label contains it. The list filters as the text is typed: waiting for such a row waits until the list
   * shows the typed text's matches.
   */
  private quickRow(label: string): Locator {
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const exact = rows.filter({
      has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*(?:[^:]+: )?${escaped}\\s*$`) }),
    });
    const partial = rows.filter({ has: this.page.locator('.label-name', { hasText: label }) });
    return exact.or(partial).first();
  }

  /** Labels of the command-palette rows for `query` (without the leading `>`). */
  async paletteItems(query: string): Promise<string[]> {
    return retry(`command palette rows for "${query}"`, async () => {
      await this.openQuickInput('F1', '>', query);
      try {
        // The rows once the list has filtered for the query (a row matching it shows).
        await this.quickRow(query).waitFor({ timeout: STEP_MS });
        const labels = await this.page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
        return labels.length > 0 ? labels.map((l) => l.trim()) : undefined;
      } finally {
        await this.closeQuickInput();
      }
    });
  }

  /**
   * Runs a command from the palette by its title as shown there ("VPC Flow: Analyze VPC Flow", or just
   * "Analyze VPC Flow"). An exact label match wins; otherwise the first row containing `title`.
   */
  async runCommand(title: string, timeoutMs = WAIT_MS): Promise<void> {
    await retry(
      `command "${title}" in the command palette`,
      async () => {
        await this.openQuickInput('F1', '>', title);
        // Click the row by its label, not by its index in a list that may still be filtering.
        if (!(await this.clickQuickRow(this.quickRow(title)))) return undefined;
        await this.page
          .locator('.quick-input-widget')
          .waitFor({ state: 'hidden', timeout: STEP_MS })
          .catch(() => undefined);
        return true;
      },
      timeoutMs,
      700,
    );
  }

  /** Clicks a quick-input row once it shows; false (quick input closed) when it does not show in time. */
  private async clickQuickRow(row: Locator): Promise<boolean> {
    try {
      await row.waitFor({ timeout: STEP_MS });
    } catch {
      await this.closeQuickInput();
      return false;
    }
    await row.click({ timeout: STEP_MS });
    return true;
  }

  /**
   * Runs an idempotent command from the palette until `shown` reports its effect (e.g. a panel visible): a click
   * the busy workbench dropped is seen as a missing effect and the command is run again.
   */
  async runCommandUntil(title: string, effect: string, shown: () => Promise<boolean>): Promise<void> {
    await retry(
      `command "${title}" to show ${effect}`,
      async () => {
        await this.runCommand(title);
        return (await retry(effect, async () => ((await shown()) ? true : undefined), STEP_MS, 200).catch(() => false))
          ? true
          : undefined;
      },
      2 * WAIT_MS,
      0,
    );
  }

  /** Whether the Output panel is on screen. */
  async outputPanelVisible(): Promise<boolean> {
    return this.page.locator('.part.panel .output-view').first().isVisible();
  }

  // ---- editors ----

  /** Opens a file of the workspace by its path relative to the folder (quick open, Ctrl+P) and waits for its tab. */
  async openFile(relativePath: string): Promise<void> {
    const name = path.basename(relativePath);
    if (!fs.existsSync(path.join(this.folder, relativePath)))
      throw new Error(`openFile: ${relativePath} is not in ${this.folder}`);
    await retry(`quick open of "${relativePath}"`, async () => {
      await this.openQuickInput('Control+P', '', relativePath);
      const row = this.page
        .locator('.quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: name }) })
        .first();
      return (await this.clickQuickRow(row)) ? true : undefined;
    });
    await this.waitForActiveTab(name);
    // The editor takes the focus once it has opened; on a busy machine that can come after the tab shows, and a
    // palette opened in between would lose the focus and close under the next click (the command never runs).
    await retry(`the editor of "${name}" to have the focus`, async () =>
      (await this.page.locator('.editor-instance .monaco-editor.focused').count()) > 0 ? true : undefined,
    );
  }

  /** Waits until the active editor tab is `name`; returns the tab. */
  async waitForActiveTab(name: string, timeoutMs = WAIT_MS): Promise<Locator> {
    const tab = this.page.locator('.tabs-container .tab.active', { hasText: name });
    await tab
      .first()
      .waitFor({ timeout: timeoutMs })
      .catch(() => {
        throw new Error(`the editor tab "${name}" did not become active within ${timeoutMs} ms`);
      });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: timeoutMs });
    return tab.first();
  }

  /**
   * The language shown in the status bar for the active editor (e.g. "VPC Flow Log"). With `expect`,
   * waits until it shows that name (language detection runs after the file opens).
   */
  async editorLanguage(expect?: string, timeoutMs = WAIT_MS): Promise<string> {
    return retry(
      expect ? `the status bar to show the language "${expect}"` : 'the language indicator in the status bar',
      async () => {
        const t = (
          await this.page.locator('.statusbar-item#status\\.editor\\.mode').innerText({ timeout: 2000 })
        ).trim();
        return t && (!expect || t === expect) ? t : undefined;
      },
      timeoutMs,
    );
  }

  /** Moves the cursor of the active editor to line/column (1-based) with "Go to Line/Column" (Ctrl+G). */
  async goTo(line: number, column = 1): Promise<void> {
    await retry(`go to ${line}:${column}`, async () => {
      await this.openQuickInput('Control+G', ':', `${line}:${column}`);
      // Enter once the picker has read the typed position (its row names the line), not after some time.
      await this.page
        .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: new RegExp(`\\b${line}\\b`) })
        .first()
        .waitFor({ timeout: STEP_MS });
      await this.page.keyboard.press('Enter');
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: STEP_MS });
      // The status bar shows the new position once the editor has moved.
      return retry(
        `the cursor at ${line}:${column}`,
        async () => {
          const pos = await this.cursorPosition();
          return pos.line === line && pos.column === column ? true : undefined;
        },
        STEP_MS,
        100,
      ).catch(() => undefined);
    });
  }

  /** The cursor position shown in the status bar ("Ln 3, Col 40"). */
  async cursorPosition(): Promise<{ line: number; column: number }> {
    const t = await this.page.locator('.statusbar-item#status\\.editor\\.selection').innerText({ timeout: STEP_MS });
    const m = /Ln (\d+), Col (\d+)/.exec(t);
    if (!m) throw new Error(`unexpected cursor indicator "${t}"`);
    return { line: Number(m[1]), column: Number(m[2]) };
  }

  /**
   * The text of the hover at line/column (1-based) of the active editor: places the cursor there and
   * runs "Show or Focus Hover" (Ctrl+K Ctrl+I). Retries until a non-empty hover appears; `expect`
   * (text or pattern) makes it wait for that content too (hovers can appear before the analysis is done).
   */
  async hover(line: number, column: number, expect?: string | RegExp, timeoutMs = WAIT_MS): Promise<string> {
    await this.goTo(line, column);
    return retry(
      `a hover at ${line}:${column}${expect ? ` containing ${String(expect)}` : ''}`,
      async () => {
        await this.page.keyboard.press('Escape');
        await this.focusEditor();
        await this.page.keyboard.press('Control+K');
        await this.page.keyboard.press('Control+I');
        return this.hoverText(expect);
      },
      timeoutMs,
      500,
    );
  }

  /**
   * The text of the visible editor hover once it shows `expect` (or any text): hovers render their parts
   * progressively, so this polls the one hover shown; undefined when it hides or never gets there.
   */
  private async hoverText(expect?: string | RegExp): Promise<string | undefined> {
    const hover = this.page.locator('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content').first();
    try {
      await hover.waitFor({ state: 'visible', timeout: STEP_MS });
    } catch {
      return undefined;
    }
    return retry(
      'the hover content',
      async () => {
        const text = normalizeText(await hover.innerText({ timeout: 1000 })).trim();
        if (!text || (expect && !(typeof expect === 'string' ? text.includes(expect) : expect.test(text))))
          return undefined;
        return text;
      },
      STEP_MS,
      100,
    ).catch(() => undefined);
  }

  /**
   * Like hover(), but with the mouse pointer resting on line/column (1-based) of the active editor, as a
   * user would. The cursor is parked on a neighbouring line first, so cursor-line decorations (field
   * labels) do not shift the target line. Use a column inside the token.
   */
  async mouseHover(line: number, column: number, expect?: string | RegExp, timeoutMs = WAIT_MS): Promise<string> {
    await this.goTo(line, 1);
    await this.goTo(line > 1 ? line - 1 : line + 1, 1);
    return retry(
      `a mouse hover at ${line}:${column}${expect ? ` containing ${String(expect)}` : ''}`,
      async () => {
        const at = await this.page.evaluate<{ x: number; y: number; right: number } | string>(
          `${POINT_AT_JS}(${JSON.stringify({ line, column })})`,
        );
        if (typeof at === 'string') throw new Error(at);
        if (at.x > at.right) throw new Error(`column ${column} of line ${line} is off-screen (widen the viewport)`);
        await this.page.mouse.move(at.x - 150, at.y + 150);
        await this.page.mouse.move(at.x, at.y, { steps: 4 });
        return this.hoverText(expect);
      },
      timeoutMs,
      500,
    );
  }

  /** Picks the row containing `label` in the open quick pick (after a command that asks for a choice). */
  async pickQuickItem(label: string, timeoutMs = WAIT_MS): Promise<void> {
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: timeoutMs }).catch(() => {
      throw new Error(`no quick pick row containing "${label}" within ${timeoutMs} ms`);
    });
    await row.click({ timeout: timeoutMs });
  }

  /** Types `text` into the open quick input (input box or quick pick filter) and presses Enter. */
  async answerQuickInput(text: string): Promise<void> {
    await this.quickInput.waitFor({ state: 'visible' });
    await this.quickInput.fill(text);
    // The quick input filters and validates synchronously on input: Enter once it holds the text.
    await retry('the quick input to hold the answer', async () =>
      (await this.quickInput.inputValue()) === text ? true : undefined,
    );
    await this.page.keyboard.press('Enter');
  }

  /** Switches the colour theme ("Dark Modern", "Light Modern", "Dark High Contrast", ...). */
  async setColorTheme(theme: string, applied?: (workbenchClasses: string[]) => boolean): Promise<void> {
    const expectDark = /dark/i.test(theme);
    const ok = applied ?? ((cls: string[]) => (cls.includes('vs-dark') || cls.includes('hc-black')) === expectDark);
    const isApplied = async (): Promise<boolean> =>
      ok(((await this.page.locator('.monaco-workbench').getAttribute('class')) ?? '').split(/\s+/));
    // Picked again until the workbench shows it: a picker that lost the focus (to a webview taking it late) closed.
    await retry(
      `the workbench to switch to ${theme}`,
      async () => {
        await this.runCommand('Preferences: Color Theme');
        await this.quickInput.fill(theme, { timeout: STEP_MS });
        await this.pickQuickItem(theme, STEP_MS);
        await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: STEP_MS });
        return retry('the theme to apply', async () => ((await isApplied()) ? true : undefined), STEP_MS, 100).catch(
          () => undefined,
        );
      },
      2 * WAIT_MS,
    );
  }

  /** Focuses the active text editor (without moving its cursor). */
  async focusEditor(): Promise<void> {
    await this.page.keyboard.press('Escape');
    const editor = this.page
      .locator(
        '.editor-instance .monaco-editor textarea.inputarea, .editor-instance .monaco-editor .native-edit-context',
      )
      .first();
    await editor.focus();
  }

  /** Text of the visible lines of the active editor (as rendered, one string per line). */
  async visibleLines(): Promise<string[]> {
    return (await this.page.locator('.editor-instance .monaco-editor .view-lines .view-line').allInnerTexts()).map(
      normalizeText,
    );
  }

  /**
   * The tokens of the first rendered line of the active editor that contains `lineText`, each with the colour class
   * Monaco gave it (`mtk<n>`: one per distinct theme colour, so two tokens of different scopes differ). With
   * `expect`, waits until a token is exactly that text (the grammar splits the line once it has tokenized it).
   */
  async lineTokens(lineText: string, expect?: string): Promise<{ text: string; colour: string }[]> {
    return retry(`the editor line containing "${lineText}"${expect ? ` with a token "${expect}"` : ''}`, async () => {
      const tokens = await this.page.evaluate<{ text: string; colour: string }[] | undefined>(
        `${LINE_TOKENS_JS}(${JSON.stringify(lineText)})`,
      );
      const normalized = tokens?.map((t) => ({ text: normalizeText(t.text), colour: t.colour }));
      return normalized && (!expect || normalized.some((t) => t.text.trim() === expect)) ? normalized : undefined;
    });
  }

  // ---- webviews ----

  /** The frame of a webview that contains `selector` (webviews are an iframe inside an iframe). */
  async webviewFrame(selector: string, timeoutMs = WAIT_MS): Promise<Frame> {
    return retry(
      `a webview element matching "${selector}"`,
      async () => {
        for (const f of this.page.frames()) {
          const el = await f.$(selector).catch(() => null);
          if (el) return f;
        }
        return undefined;
      },
      timeoutMs,
      200,
    );
  }

  /** Text content of the first webview element matching `selector`; `expect` waits for that content. */
  async readWebview(selector: string, expect?: string | RegExp, timeoutMs = WAIT_MS): Promise<string> {
    return retry(
      `webview element "${selector}"${expect ? ` with text ${String(expect)}` : ''}`,
      async () => {
        const frame = await this.webviewFrame(selector, STEP_MS);
        const text = normalizeText((await frame.locator(selector).first().textContent()) ?? '').trim();
        if (expect && !(typeof expect === 'string' ? text.includes(expect) : expect.test(text))) return undefined;
        return text;
      },
      timeoutMs,
    );
  }

  /** Texts of all webview elements matching `selector`. */
  async readWebviewAll(selector: string): Promise<string[]> {
    const frame = await this.webviewFrame(selector);
    return (await frame.locator(selector).allTextContents()).map((t) => t.trim());
  }

  /** Clicks the first webview element matching `selector`. */
  async clickWebview(selector: string): Promise<void> {
    const frame = await this.webviewFrame(selector);
    await frame.locator(selector).first().click();
  }

  // ---- workbench parts ----

  /** Clicks a workbench element (CSS or playwright selector). */
  async click(selector: string): Promise<void> {
    await this.page.locator(selector).first().click();
  }

  /** Clicks the status bar item whose text contains `text`. */
  async clickStatusBarItem(text: string | RegExp): Promise<void> {
    const item = await this.statusBarItem(text);
    await item.click();
  }

  /** The status bar item whose text contains `text` (waits for it). */
  async statusBarItem(text: string | RegExp, timeoutMs = WAIT_MS): Promise<Locator> {
    const item = this.page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
    await item.waitFor({ timeout: timeoutMs }).catch(() => {
      throw new Error(`no status bar item with text ${String(text)} within ${timeoutMs} ms`);
    });
    return item;
  }

  /** Texts of all status bar items. */
  async statusBarTexts(): Promise<string[]> {
    return (await this.page.locator('.part.statusbar .statusbar-item').allInnerTexts())
      .map((t) => t.trim())
      .filter(Boolean);
  }

  /** Messages of the visible notification toasts. */
  async notifications(): Promise<string[]> {
    return (await this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts()).map((t) =>
      t.trim(),
    );
  }

  /** Text shown in the Output panel (e.g. after "VPC Flow: Show Log"); `expect` waits for that content. */
  async outputText(expect?: string | RegExp, timeoutMs = WAIT_MS): Promise<string> {
    return retry(
      `the Output panel${expect ? ` showing ${String(expect)}` : ''}`,
      async () => {
        const lines = await this.page.locator('.part.panel .output-view .view-lines .view-line').allInnerTexts();
        const text = normalizeText(lines.join('\n'));
        if (!text || (expect && !(typeof expect === 'string' ? text.includes(expect) : expect.test(text))))
          return undefined;
        return text;
      },
      timeoutMs,
    );
  }

  /** The name of the channel selected in the Output panel (e.g. "VPC Flow"). */
  async outputChannel(): Promise<string> {
    return retry('the Output panel channel picker', async () => {
      const sel = this.page.locator('.part.panel select.monaco-select-box:visible').first();
      // Runs in the page; typed structurally because the tests' tsconfig has no DOM library.
      const v = await sel.evaluate((el: unknown) => {
        const e = el as { selectedOptions?: ArrayLike<{ text: string }>; textContent: string | null };
        return (e.selectedOptions && e.selectedOptions.length > 0 ? e.selectedOptions[0]?.text : e.textContent) ?? '';
      });
      return v.trim() || undefined;
    });
  }

  /**
   * Problems as shown in the Problems panel ("View: Focus Problems"); with `expect`, waits until a row shows it
   * (the panel fills as the extension reports), else until it lists any row.
   */
  async problems(expect?: string | RegExp, timeoutMs = WAIT_MS): Promise<string[]> {
    await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await this.page.locator('.markers-panel').first().waitFor();
    return retry(
      `the Problems panel${expect ? ` listing ${String(expect)}` : ''}`,
      async () => {
        const rows = (await this.page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((t) =>
          t.replace(/\s+/g, ' ').trim(),
        );
        const ok = expect
          ? rows.some((r) => (typeof expect === 'string' ? r.includes(expect) : expect.test(r)))
          : rows.length > 0;
        return ok ? rows : undefined;
      },
      timeoutMs,
    );
  }

  /** Saves a PNG of the whole workbench to test-results/screenshots/<name>.png; returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Stops Chromium and code-server (the whole process group) and removes temp folders. Safe to call twice. */
  async close(): Promise<void> {
    await this.browser.close();
    await this.server.stop();
    if (this.ownFolder) fs.rmSync(this.folder, { recursive: true, force: true });
  }
}

/** Starts code-server + headless Chromium on a fresh profile and returns the ready workbench. */
export function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  return Workbench.open(options);
}

/** For mocha `afterEach`: saves a screenshot named after the failed test, if it failed. */
export async function screenshotOnFailure(wb: Workbench | undefined, test: Mocha.Test | undefined): Promise<void> {
  if (wb && test?.state === 'failed') {
    const file = await wb.screenshot(`FAILED-${test.fullTitle()}`).catch(() => undefined);
    if (file) console.error(`    screenshot of the failure: ${path.relative(ROOT, file)}`);
  }
}
