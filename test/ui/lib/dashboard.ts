// The dashboard webview as the UI tests find and drive it (dashboard, folder and queries suites).
import type { Frame } from 'playwright-core';
import { WAIT_MS, retry, type Workbench } from '../../../scripts/workbench';

/**
 * The dashboard frame once it has drawn the summary titled `name`. Every webview frame is looked at: the frame of
 * another dashboard (an earlier document's, on its way out) may come first.
 */
export async function dashboardFrame(wb: Workbench, name: string, timeoutMs = 2 * WAIT_MS): Promise<Frame> {
  return retry(
    `the dashboard of ${name} to draw`,
    async () => {
      for (const frame of wb.page.frames()) {
        const title = await frame
          .locator('#app[data-rendered="true"] .head h1')
          .first()
          .textContent({ timeout: 1000 })
          .catch(() => null);
        if (title === name) return frame;
      }
      return undefined;
    },
    timeoutMs,
  );
}

/** Clicks a dashboard tab and waits for its panel to show. */
export async function selectTab(frame: Frame, tab: string): Promise<void> {
  await frame.locator(`[role="tab"][data-tab="${tab}"]`).click();
  await frame.locator(`#panel-${tab}:not([hidden])`).waitFor();
}
