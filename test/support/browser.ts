import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = 'test-artifacts';

/** What installs Debian's chromium at /usr/bin/chromium; the README states it as a prerequisite. */
export const INSTALL_CHROMIUM = 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium';

export type BrowserProvisioning = { action: 'none' } | { action: 'install'; command: string } | { action: 'fail'; message: string };

/** Decides how the test run gets its browser: found, installed by the run (root only), or a loud failure. */
export function browserProvisioning(machine: { path: string; pathFromEnv: boolean; exists: boolean; isRoot: boolean }): BrowserProvisioning {
  if (machine.exists) return { action: 'none' };
  if (machine.pathFromEnv) return { action: 'fail', message: `No browser at CHROMIUM_PATH=${machine.path}` };
  if (machine.isRoot) return { action: 'install', command: INSTALL_CHROMIUM };
  return { action: 'fail', message: `No browser at ${machine.path}: install Debian's chromium as root with: ${INSTALL_CHROMIUM}` };
}

function planForThisMachine(): BrowserProvisioning {
  return browserProvisioning({ path: CHROMIUM, pathFromEnv: process.env.CHROMIUM_PATH !== undefined, exists: existsSync(CHROMIUM), isRoot: process.getuid?.() === 0 });
}

function missingBrowserMessage(): string | undefined {
  const plan = planForThisMachine();
  return plan.action === 'fail' ? plan.message : plan.action === 'install' ? `No browser at ${CHROMIUM}: ${plan.command}` : undefined;
}

/**
 * Run once per test run (global setup): installs Debian's chromium when it is missing and the run
 * is root, so `npm test` passes on a fresh machine. Concurrent runs on one machine take turns (flock).
 * Otherwise the browser tests fail in launchBrowser() with the command to run.
 */
export function provisionBrowser(log: (line: string) => void = console.log): void {
  const plan = planForThisMachine();
  if (plan.action !== 'install') return;
  log(`test setup: no browser at ${CHROMIUM}; installing Debian's chromium: ${plan.command}`);
  const script = `test -x ${CHROMIUM} || { ${plan.command}; } >/tmp/amused-chromium-install.log 2>&1`;
  try {
    execFileSync('flock', ['/tmp/amused-chromium-install.lock', 'sh', '-c', script], { stdio: 'inherit' });
  } catch (error) {
    throw new Error(`test setup: installing chromium failed (see /tmp/amused-chromium-install.log): ${(error as Error).message}`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`test setup: ${plan.command} ran but there is still no ${CHROMIUM}`);
}

/** Debian's chromium, headless, with nothing reaching for the network beyond localhost. */
export async function launchBrowser(): Promise<Browser> {
  const missing = missingBrowserMessage();
  if (missing !== undefined) throw new Error(missing);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Console errors and failed requests of a page, for "no console errors" checks. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:') problems.push(`request to ${req.url()}`);
  });
  return problems;
}
