// Types of scripts/codeServer.mjs, for the TypeScript UI test library (scripts/workbench.ts).
import type { BrowserContext, Page } from 'playwright-core';

export const ROOT: string;
export const TOOLS_DIR: string;
export const CODE_SERVER: string;
export const NODE24_BIN: string;
export const CHROMIUM: string;
export const EXTENSION_ID: string;
export const WEB_HOST_SETTINGS: Record<string, unknown>;
export const CHROMIUM_ARGS: readonly string[];
export const BASE_SETTINGS: Readonly<Record<string, unknown>>;

export function testPort(fallback: number): number;
export function isProvisioned(): boolean;
export function ensureProvisioned(): void;
export function build(options?: { production?: boolean }): void;

export interface StartOptions {
  port: number;
  anyFreePort?: boolean;
  folder?: string;
  settings?: Record<string, unknown>;
  installExtensions?: string[];
  copyExtensions?: string[];
  smokeTestDriver?: boolean;
  quiet?: boolean;
  runDir?: string;
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly runDir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly logFile: string;
  remote(p: string): string;
  dumpLog(max?: number): string;
  stop(): Promise<void>;
}

export function startCodeServer(o: StartOptions): Promise<CodeServer>;

export function workbenchUrl(
  server: CodeServer,
  o?: { folder?: string; extensionDevelopmentPath?: string; extensionTestsPath?: string; extensionKind?: 'web' },
): string;

export interface Chromium {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}
export function launchChromium(o?: { viewport?: { width: number; height: number } }): Promise<Chromium>;
export function copyToTemp(src: string, prefix?: string): string;
export function packageVsix(o?: { out?: string; build?: boolean }): string;
