import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '../..');
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(ROOT, 'test-artifacts', 'screenshots');
export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

// Quiet, offline, reproducible: no GPU, no QUIC, nothing phoning home while the test runs.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Builds the dashboard into a fresh folder, so the test serves what the sources say now. */
export function buildAdminUi(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'admin-ui-'));
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '-c', 'admin-ui/vite.config.ts', '--outDir', dir, '--logLevel', 'error'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Debian's Chromium through playwright-core, with a fresh user-data-dir (no cookies from earlier runs). */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: apt-get install chromium (node scripts/test.mjs does it when run as root)`);
  }
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'admin-ui-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: LAPTOP,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Full-page screenshots at laptop and phone sizes, kept as test artefacts. */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const files: string[] = [];
  for (const [size, viewport] of [
    ['laptop', LAPTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    // From the top, so the sticky header sits where a visitor sees it.
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    const file = path.join(SCREENSHOT_DIR, `${name}-${size}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    files.push(file);
  }
  await page.setViewportSize(LAPTOP);
  return files;
}

/** Signs in through the real sign-in page and waits for the live-update connection. */
export async function signIn(page: Page, baseUrl: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/login`);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.live-dot-live').waitFor({ state: 'visible' });
}

/** Form controls on the page that a screen reader could not name (no <label>, no aria-label). */
export async function unlabelledFields(page: Page): Promise<string[]> {
  return page.locator('input:not([type="hidden"]), select, textarea').evaluateAll((elements) =>
    // A page without fields would pass vacuously: report that instead.
    (elements.length === 0 ? [null] : elements)
      .filter((element) => {
        if (element === null) return true;
        const control = element as unknown as { labels: { length: number } | null; getAttribute(name: string): string | null };
        return !control.labels?.length && !control.getAttribute('aria-label') && !control.getAttribute('aria-labelledby');
      })
      .map((element) =>
        element === null ? 'no form fields on the page' : (element as unknown as { outerHTML: string }).outerHTML,
      ),
  );
}
