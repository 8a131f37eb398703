import type { Page } from 'playwright-core';
import { hashPassword } from '../../src/admin/auth/admin-password';
import { relay, sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { buildAdminUi, launchBrowser, screenshots, TestBrowser, unlabelledFields } from './browser';
import { HlsFixture, startHlsFixture } from './hls-fixture';

// Each step drives a real browser; the first also builds the UI.
jest.setTimeout(30_000);

const PASSWORD = 'correct horse battery staple';
const USER = 'glasses-wearer@example.com';
const YOUTUBE_KEY = 'abcd-efgh-ijkl-9f3k';

/**
 * The dashboard in a real browser (Debian's Chromium) against the real service, Postgres and Redis.
 * The steps build on each other, like an operator's session: sign in, save a key, attach it to a live
 * stream, watch its state change arrive, stop the stream.
 */
describe('admin dashboard in a browser', () => {
  let t: TestApp;
  let ui: ReturnType<typeof buildAdminUi>;
  let browser: TestBrowser;
  let page: Page;
  let tenant: { id: string; apiKey: string };
  let streamId: string;
  let hls: HlsFixture;

  beforeAll(async () => {
    ui = buildAdminUi();
    hls = await startHlsFixture();
    t = await startTestApp({ ADMIN_PASSWORD_HASH: await hashPassword(PASSWORD), ADMIN_UI_DIR: ui.dir });
    tenant = await t.createTenant('Glasses Camera');
    browser = await launchBrowser();
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    ui?.remove();
    await hls?.close();
  });

  const url = (path: string) => `${t.baseUrl}${path}`;
  const relayReport = (body: Record<string, unknown>) => relay(t.app).post('/stream-status', { userId: USER, streamId, ...body });

  it('sends a visitor to sign-in and refuses a wrong password', async () => {
    await page.goto(url('/admin/streams'));
    await page.waitForURL(/\/admin\/login\?next=/);
    await expectVisible(page.getByRole('heading', { name: 'Restream admin' }));
    await screenshots(page, 'sign-in');
    expect(await unlabelledFields(page)).toEqual([]);

    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const password = page.getByLabel('Password');
    await expectVisible(page.getByText('Wrong username or password.'));
    // The message is tied to the field for screen readers.
    const describedBy = await password.getAttribute('aria-describedby');
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe('Wrong username or password.');
    expect(page.url()).toContain('/admin/login');
  });

  it('signs in with the keyboard and returns to the page asked for', async () => {
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.waitForURL(url('/admin/streams'));
    await expectVisible(page.getByRole('heading', { name: 'Live streams' }));
    await expectVisible(page.locator('.live-dot-live'));
  });

  it('adds a YouTube destination from the preset and shows its key masked', async () => {
    await page.getByRole('link', { name: 'Destinations' }).click();
    await page.getByLabel('App', { exact: true }).selectOption(tenant.id);
    await page.getByLabel('User ID').fill(USER);
    await page.getByRole('button', { name: 'Show destinations' }).click();
    await expectVisible(page.getByText('No saved destinations yet.'));

    const form = page.getByRole('form', { name: 'Add a destination' });
    expect(await form.getByLabel('Platform').inputValue()).toBe('0');
    expect(await form.getByLabel('Ingest URL').inputValue()).toBe('rtmp://a.rtmp.youtube.com/live2');
    await form.getByLabel('Name').fill('My YouTube channel');
    await form.getByLabel('Stream key').fill(YOUTUBE_KEY);
    await form.getByRole('button', { name: 'Save destination' }).click();

    const saved = page.getByRole('listitem', { name: 'My YouTube channel' });
    await expectVisible(saved.getByText('••••9f3k'));
    await expectVisible(saved.getByText('rtmp://a.rtmp.youtube.com/live2'));
    expect(await page.content()).not.toContain(YOUTUBE_KEY);
    await screenshots(page, 'destinations');
    await saved.getByRole('button', { name: 'Edit' }).click();
    expect(await unlabelledFields(page)).toEqual([]);
    await saved.getByRole('button', { name: 'Replace key' }).click();
    expect(await unlabelledFields(page)).toEqual([]);
    await saved.getByRole('button', { name: 'Replace key', expanded: true }).click();
  });

  it('replaces a key without ever showing the old one', async () => {
    const saved = page.getByRole('listitem', { name: 'My YouTube channel' });
    await saved.getByRole('button', { name: 'Replace key' }).click();
    await saved.getByLabel('New stream key').fill('replaced-key-7q2w');
    await saved.getByRole('form', { name: 'Replace stream key' }).getByRole('button', { name: 'Replace key' }).click();
    await expectVisible(saved.getByText('••••7q2w'));
    expect(await saved.getByText('••••9f3k').count()).toBe(0);
    // Put the first key back for the rest of the session.
    await saved.getByRole('button', { name: 'Replace key' }).click();
    await saved.getByLabel('New stream key').fill(YOUTUBE_KEY);
    await saved.getByRole('form', { name: 'Replace stream key' }).getByRole('button', { name: 'Replace key' }).click();
    await expectVisible(saved.getByText('••••9f3k'));
  });

  it('explains a bad URL and a bad key next to their fields', async () => {
    const form = page.getByRole('form', { name: 'Add a destination' });
    await form.getByLabel('Platform').selectOption({ label: 'Custom RTMP/RTMPS' });
    await form.getByLabel('Name').fill('Broken');
    await form.getByLabel('Ingest URL').fill('http://example.com/live');
    await form.getByLabel('Stream key').fill('has spaces in it');
    await form.getByRole('button', { name: 'Save destination' }).click();
    await expectFieldError(form.getByLabel('Ingest URL'), 'must start with rtmp:// or rtmps://');
    await expectFieldError(form.getByLabel('Stream key'), 'must not contain spaces');

    // The server's own checks (here: the host policy refusing a private address) land on the field too.
    await form.getByLabel('Ingest URL').fill('rtmp://127.0.0.1/live');
    await form.getByLabel('Stream key').fill('private-host-key');
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expectVisible(form.getByRole('alert').filter({ hasText: 'loopback, private or link-local' }));
    await form.getByRole('button', { name: 'Save destination' }).click();
    await expectFieldError(form.getByLabel('Ingest URL'), 'private');
    expect(await page.getByRole('listitem', { name: 'Broken' }).count()).toBe(0);
  });

  it('deletes a destination only after asking', async () => {
    const form = page.getByRole('form', { name: 'Add a destination' });
    await form.getByLabel('Platform').selectOption({ label: 'Twitch' });
    expect(await form.getByLabel('Ingest URL').inputValue()).toBe('rtmp://live.twitch.tv/app');
    await form.getByLabel('Name').fill('Old Twitch');
    await form.getByLabel('Stream key').fill('live_123456_twitchkey');
    await form.getByRole('button', { name: 'Save destination' }).click();
    const twitch = page.getByRole('listitem', { name: 'Old Twitch' });
    await expectVisible(twitch.getByText('••••hkey'));

    await twitch.getByRole('button', { name: 'Delete' }).click();
    await twitch.getByRole('button', { name: 'Cancel' }).click();
    await expectVisible(twitch.getByRole('button', { name: 'Delete' }));
    await twitch.getByRole('button', { name: 'Delete' }).click();
    await twitch.getByRole('button', { name: 'Yes, delete' }).click();
    await twitch.waitFor({ state: 'detached' });
    await expectVisible(page.getByRole('listitem', { name: 'My YouTube channel' }));
  });

  it('attaches the saved destination to a live stream and shows status changes as they happen', async () => {
    const started = await sdk(t.app, tenant.apiKey).startStream({ userId: USER });
    expect(started.status).toBe(201);
    streamId = started.body.streamId;
    expect((await relayReport({ status: 'active', bitrate: 2500, fps: 30, droppedFrames: 2, viewers: 1 })).status).toBe(200);
    expect((await relay(t.app).post('/hls-ready', { userId: USER, streamId, hlsUrl: hls.url })).status).toBe(200);

    await page.getByRole('link', { name: 'Live streams' }).click();
    const card = page.getByRole('listitem', { name: USER });
    await expectVisible(card.locator('.badge', { hasText: /^active$/ }));
    await expectVisible(card.getByText('2.5 Mbps'));
    await page.evaluate(() => Object.assign(globalThis, { stillTheSamePage: true }));

    await card.getByRole('link', { name: 'Open stream' }).click();
    await page.waitForURL(url(`/admin/streams/${streamId}`));
    // The preview plays real video in the page.
    await expectVisible(page.locator('.preview figcaption', { hasText: 'Playing' }));
    expect(await page.locator('.preview video').evaluate((video: { currentTime: number }) => video.currentTime)).toBeGreaterThan(
      0,
    );
    const attach = page.getByRole('form', { name: 'Add a destination to this stream' });
    await attach
      .getByRole('combobox', { name: 'Saved destination' })
      .locator('option', { hasText: 'My YouTube channel' })
      .waitFor({ state: 'attached' });
    await attach.getByRole('button', { name: 'Add to stream' }).click();
    const row = page.locator('tr', { hasText: 'My YouTube channel' });
    await expectVisible(row.getByText('••••9f3k'));

    const [destination] = (await sdk(t.app, tenant.apiKey).get(`/api/managed-streams/${streamId}`)).body.destinations;
    expect(destination.name).toBe('My YouTube channel');
    await relayReport({ status: 'active', destinations: [{ id: destination.id, status: 'starting' }] });
    await relayReport({ status: 'active', destinations: [{ id: destination.id, status: 'broadcasting' }] });
    await expectVisible(row.locator('.dest-state', { hasText: 'broadcasting' }));
    await relayReport({
      status: 'active',
      destinations: [
        {
          id: destination.id,
          status: 'retrying',
          attempts: 2,
          lastError: { code: 'connection_refused', message: 'Connection refused by ingest', at: new Date().toISOString() },
        },
      ],
    });
    await expectVisible(row.locator('.dest-state', { hasText: 'retrying' }));
    await expectVisible(row.getByText('Connection refused by ingest'));
    await expectVisible(page.locator('.events').getByText('Connection refused by ingest'));
    // Arrived over SSE: the page was never reloaded.
    expect(await page.evaluate(() => (globalThis as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);

    await page.getByRole('link', { name: 'Live streams' }).click();
    await expectVisible(page.getByRole('listitem', { name: USER }).getByText('Connection refused by ingest'));
    await screenshots(page, 'live-streams');
    await page.getByRole('listitem', { name: USER }).getByRole('link', { name: 'Open stream' }).click();
    await expectVisible(page.locator('.events li').first());
    await screenshots(page, 'stream-detail');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshots(page, 'stream-detail-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await unlabelledFields(page)).toEqual([]);
  });

  it('plays the preview with hls.js where the browser has no native HLS', async () => {
    const other = await browser.context.newPage();
    try {
      // Chromium plays HLS natively; without it (Firefox, older Chromium) the page must use hls.js.
      await other.addInitScript(() => {
        const media = (globalThis as unknown as { HTMLMediaElement: { prototype: { canPlayType(type: string): string } } })
          .HTMLMediaElement.prototype;
        const native = media.canPlayType;
        media.canPlayType = function (type: string) {
          return type.includes('mpegurl') ? '' : native.call(this, type);
        };
      });
      const hlsJsRequests: string[] = [];
      other.on('request', (request) => {
        if (/\/assets\/hls-[^/]+\.js$/.test(request.url())) hlsJsRequests.push(request.url());
      });
      await other.goto(url(`/admin/streams/${streamId}`));
      await expectVisible(other.locator('.preview figcaption', { hasText: 'Playing' }));
      expect(hlsJsRequests).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('disables a destination on the live stream', async () => {
    const row = page.locator('tr', { hasText: 'My YouTube channel' });
    await row.getByRole('button', { name: 'Disable My YouTube channel' }).click();
    await expectVisible(row.getByRole('button', { name: 'Enable My YouTube channel' }));
    const view = (await sdk(t.app, tenant.apiKey).get(`/api/managed-streams/${streamId}`)).body;
    expect(view.destinations[0].enabled).toBe(false);
  });

  it('adds a new URL and key to the live stream, then removes it', async () => {
    const attach = page.getByRole('form', { name: 'Add a destination to this stream' });
    await attach.getByRole('radio', { name: 'New URL and key' }).check();
    await attach.getByLabel('Name').fill('Twitch backup');
    await attach.getByLabel('Ingest URL').fill('rtmp://live.twitch.tv/app');
    await attach.getByLabel('Stream key').fill('live_998877_backup');
    await attach.getByRole('button', { name: 'Add to stream' }).click();
    const row = page.locator('tr', { hasText: 'Twitch backup' });
    await expectVisible(row.getByText('••••ckup'));
    expect(await page.content()).not.toContain('live_998877_backup');

    await row.getByRole('button', { name: 'Remove' }).click();
    await row.getByRole('button', { name: 'Yes, remove' }).click();
    await row.waitFor({ state: 'detached' });
    const view = (await sdk(t.app, tenant.apiKey).get(`/api/managed-streams/${streamId}`)).body;
    expect(view.destinations.map((d: { name: string }) => d.name)).toEqual(['My YouTube channel']);
  });

  it('stops the stream after asking to confirm', async () => {
    await page.getByRole('button', { name: 'Stop stream' }).click();
    await page.getByRole('button', { name: 'Yes, stop it' }).click();
    await expectVisible(page.locator('#stream-title .badge', { hasText: 'stopping' }));
    // The relay confirms the publisher is gone; the page learns it live.
    await relayReport({ status: 'stopped' });
    await expectVisible(page.locator('#stream-title .badge', { hasText: 'stopped' }));
    expect((await sdk(t.app, tenant.apiKey).get(`/api/managed-streams/${streamId}`)).body.status).toBe('stopped');
  });

  it('refuses a change that comes without the CSRF token, even with the session cookie', async () => {
    const answer = await page.evaluate(async (appId) => {
      const response = await fetch(`/admin/api/apps/${appId}/destinations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          userId: 'x@example.com',
          name: 'Sneaky',
          platform: 'custom',
          ingestUrl: 'rtmp://a.rtmp.youtube.com/live2',
          streamKey: 'k1234',
        }),
      });
      return { status: response.status, body: (await response.json()) as { code?: string; error?: string } };
    }, tenant.id);
    expect(answer.status).toBe(403);
    expect(answer.body.code ?? answer.body.error).toBe('csrf_failed');
    const list = (await sdk(t.app, tenant.apiKey).get(`/api/destinations?userId=${encodeURIComponent('x@example.com')}`)).body;
    expect(list.destinations ?? []).toHaveLength(0);
  });

  it('shows the relay fleet and the queues board', async () => {
    const registered = await relay(t.app).post('/relays', {
      id: 'relay-eu-1',
      rtmpUrl: 'rtmp://relay-eu-1.example.net:1935',
      hlsBaseUrl: 'http://relay-eu-1.example.net:8888',
      region: 'eu',
      capacity: 50,
    });
    expect(registered.status).toBe(201);
    await page.getByRole('link', { name: 'Relays' }).click();
    const row = page.locator('tr', { hasText: 'relay-eu-1' });
    await expectVisible(row.getByText('0 / 50'));
    await screenshots(page, 'relays');
    await row.getByRole('button', { name: 'Drain', exact: true }).click();
    await row.getByRole('button', { name: 'Drain relay', exact: true }).click();
    await expectVisible(row.getByText('draining'));
    expect((await relay(t.app).get('/relays')).body.relays).toContainEqual(
      expect.objectContaining({ id: 'relay-eu-1', state: 'draining' }),
    );

    await page.getByRole('link', { name: 'Queues' }).click();
    const board = page.frameLocator('iframe[title="BullMQ queues board"]');
    await expectVisible(board.getByText('stream-lifecycle').first());
    await board.getByText('Loading').first().waitFor({ state: 'hidden' });
    await screenshots(page, 'queues');
  });

  it('signs out, after which the API refuses the old session', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login/);
    const status = await page.evaluate(async () => (await fetch('/admin/api/session')).status);
    expect(status).toBe(401);
  });
});

async function expectVisible(locator: ReturnType<Page['locator']>): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

/** The field is marked invalid and its error, found through aria-describedby, says `text`. */
async function expectFieldError(field: ReturnType<Page['locator']>, text: string): Promise<void> {
  await expectVisible(field.page().locator('.field-error', { hasText: text }));
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const described = await Promise.all(ids.map((id) => field.page().locator(`[id="${id}"]`).textContent()));
  expect(described.join(' ')).toContain(text);
}
