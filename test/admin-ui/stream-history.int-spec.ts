import type { Locator, Page } from 'playwright-core';
import { hashPassword } from '../../src/admin/auth/admin-password';
import { relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import path from 'node:path';
import { buildAdminUi, launchBrowser, SCREENSHOT_DIR, screenshots, signIn, TestBrowser } from './browser';

jest.setTimeout(30_000);

const PASSWORD = 'correct horse battery staple';
const USER = 'charted-glasses@example.com';
const SLOT_MS = 5000;

type Grade = 'good' | 'degraded' | 'poor';
/** A minute of a walk with the glasses: a steady start, a weak spot in the uplink, the slate, recovery. */
const PROFILE: { fps: number; bitrate: number; uplink: [Grade, number, number, string] | null }[] = [
  { fps: 30, bitrate: 2500, uplink: ['good', 29.9, 2900, 'steady 30 fps, keyframes every 2 s'] },
  { fps: 30, bitrate: 2510, uplink: ['good', 29.8, 2850, 'steady 30 fps, keyframes every 2 s'] },
  { fps: 30, bitrate: 2480, uplink: ['degraded', 21.4, 1700, 'frame rate dips to 14 fps'] },
  { fps: 30, bitrate: 2390, uplink: ['poor', 9.5, 620, 'frame rate down to 6 fps; 3 gaps of 0.5 s or more'] },
  { fps: 30, bitrate: 900, uplink: null },
  { fps: 30, bitrate: 2450, uplink: ['degraded', 24, 2100, 'frame rate dips to 18 fps'] },
  { fps: 30, bitrate: 2500, uplink: ['good', 29.9, 2950, 'steady 30 fps, keyframes every 2 s'] },
];

/** The stream page's charts in a real browser, from status reports posted through the relay endpoints. */
describe('stream history charts in a browser', () => {
  let t: TestApp;
  let ui: ReturnType<typeof buildAdminUi>;
  let browser: TestBrowser;
  let page: Page;
  let streamId: string;

  beforeAll(async () => {
    ui = buildAdminUi();
    t = await startTestApp({ ADMIN_PASSWORD_HASH: await hashPassword(PASSWORD), ADMIN_UI_DIR: ui.dir });
    browser = await launchBrowser();
    page = browser.page;
    const tenant = await t.createTenant('Walking tour');
    const started = await sdk(t.app, tenant.apiKey).startStream({ userId: USER });
    expect(started.status).toBe(201);
    streamId = started.body.streamId;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    ui?.remove();
  });

  const report = (step: (typeof PROFILE)[number]) =>
    relay(t.app).post('/stream-status', {
      userId: USER,
      streamId,
      status: step.uplink ? 'active' : 'reconnecting',
      fps: step.fps,
      bitrate: step.bitrate,
      droppedFrames: 0,
      ...(step.uplink
        ? {
            ingest: {
              grade: step.uplink[0],
              reason: step.uplink[3],
              windowSeconds: 10,
              fpsMean: step.uplink[1],
              fpsMin: Math.max(0, step.uplink[1] - 8),
              bitrateKbps: step.uplink[2],
              keyframeIntervalSeconds: 2,
              timestampJumps: 0,
              gaps: step.uplink[0] === 'poor' ? 3 : 0,
              longestGapMs: step.uplink[0] === 'poor' ? 900 : 0,
              avDriftMs: 15,
            },
          }
        : {}),
    });
  /** One report per 5-second slot, as the relay's reports turn into samples. */
  const reportInNextSlot = async (step: (typeof PROFILE)[number]) => {
    await new Promise((resolve) => setTimeout(resolve, SLOT_MS - (Date.now() % SLOT_MS) + 50));
    expect((await report(step)).status).toBe(200);
  };

  it('shows a message before the relay has reported anything', async () => {
    await signIn(page, t.baseUrl, PASSWORD);
    await page.goto(`${t.baseUrl}/admin/streams/${streamId}`);
    await expectVisible(page.getByRole('heading', { name: 'Last 30 minutes' }));
    await expectVisible(page.getByText('No figures yet'));
  });

  it('charts bitrate, fps and the uplink grade from the reports, and moves on as new ones arrive', async () => {
    for (const step of PROFILE.slice(0, -1)) await reportInNextSlot(step);
    await page.reload();
    const charts = page.locator('.history-charts');
    await expectVisible(charts);
    const drawn = PROFILE.length - 1;
    expect(await charts.getAttribute('data-samples')).toBe(String(drawn));
    for (const title of ['Bitrate', 'Frames per second', 'Uplink grade']) {
      await expectVisible(page.getByRole('figure', { name: title }).locator('canvas'));
    }
    // The uplink right now, with why.
    await expectVisible(page.getByLabel('Uplink grade').getByText('frame rate dips to 18 fps'));

    // The legend reads the values under the cursor: real points were drawn where the reports said.
    const bitrate = page.getByRole('figure', { name: 'Bitrate' });
    await hoverAtRight(bitrate.locator('.u-over'));
    await expectVisible(bitrate.locator('.u-legend').getByText('2450 kbit/s'));
    await expectVisible(bitrate.locator('.u-legend').getByText('2100 kbit/s'));
    await expectVisible(page.getByRole('figure', { name: 'Uplink grade' }).locator('.u-legend').getByText('degraded'));
    expect(await paintedPixels(page.getByRole('figure', { name: 'Uplink grade' }))).toBeGreaterThan(500);

    // A new report shows up within a poll, without reloading the page.
    await page.evaluate(() => Object.assign(globalThis, { stillTheSamePage: true }));
    await reportInNextSlot(PROFILE[PROFILE.length - 1]);
    await page.waitForFunction(
      (count) => {
        const dom = globalThis as unknown as {
          document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
        };
        return dom.document.querySelector('.history-charts')?.getAttribute('data-samples') === count;
      },
      String(drawn + 1),
      { timeout: 8000 },
    );
    expect(await page.evaluate(() => (globalThis as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    await expectVisible(page.getByLabel('Uplink grade').getByText('steady 30 fps'));
    await page.mouse.move(0, 0);
    await screenshots(page, 'stream-history');
    // The section alone, as the README shows it.
    await page.locator('.stream-history').screenshot({ path: path.join(SCREENSHOT_DIR, 'stream-history-charts.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshots(page, 'stream-history-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  }, 90_000);
});

async function expectVisible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

/** Puts the cursor near the right edge of a chart, on the newest points. */
async function hoverAtRight(over: Locator): Promise<void> {
  const box = await over.boundingBox();
  if (!box) throw new Error('chart has no box');
  await over.hover({ position: { x: box.width - 3, y: box.height / 2 } });
}

/** Pixels of a chart's canvas that are not blank: the grade band and step line were drawn. */
async function paintedPixels(figure: Locator): Promise<number> {
  return figure.locator('canvas').evaluate((element) => {
    const canvas = element as unknown as {
      width: number;
      height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    };
    const context = canvas.getContext('2d');
    if (!context) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return painted;
  });
}
