// The UI test library: see workbench.ts for the guide.
export {
  FIXTURES,
  SCREENSHOT_DIR,
  WAIT_MS,
  Workbench,
  openWorkbench,
  retry,
  screenshotOnFailure,
  type WorkbenchOptions,
} from './workbench';
