// The UI test library: the workbench driver lives in scripts/workbench.ts (the dashboard bench uses it too;
// test/ may import scripts/, never the reverse).
export {
  FIXTURES,
  SCREENSHOT_DIR,
  WAIT_MS,
  Workbench,
  openWorkbench,
  retry,
  screenshotOnFailure,
  type WorkbenchOptions,
} from '../../../scripts/workbench';
export { dashboardFrame, selectTab } from './dashboard';
