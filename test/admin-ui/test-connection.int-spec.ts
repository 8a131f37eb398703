import { readdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { hashPassword } from '../../src/admin/auth/admin-password';
import { recordingDir } from '../../relay/testkit/nginx-rtmp-conf';
import { RtmpSinks, startRtmpSinks } from '../../relay/testkit/rtmp-sinks';
import { startTestApp, TestApp } from '../support/test-app';
import { buildAdminUi, launchBrowser, signIn, TestBrowser } from './browser';

jest.setTimeout(30_000);

const PASSWORD = 'a-long-admin-password-for-tests';

/**
 * "Test connection" against a real RTMP server (nginx-rtmp standing in for YouTube): the page reports
 * the handshake it did, and nothing was published (nginx recorded no stream).
 */
describe('test connection in the dashboard', () => {
  let t: TestApp;
  let ui: ReturnType<typeof buildAdminUi>;
  let browser: TestBrowser;
  let page: Page;
  let sink: RtmpSinks;
  let appId: string;

  beforeAll(async () => {
    ui = buildAdminUi();
    sink = await startRtmpSinks({ apps: ['live2'] });
    // The sink listens on loopback, which the host policy refuses unless private destinations are allowed.
    t = await startTestApp({
      ADMIN_PASSWORD_HASH: await hashPassword(PASSWORD),
      ADMIN_UI_DIR: ui.dir,
      ALLOW_PRIVATE_DESTINATIONS: 'true',
    });
    appId = (await t.createTenant('Probe App')).id;
    browser = await launchBrowser();
    page = browser.page;
    await signIn(page, t.baseUrl, PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.stop({ removeFiles: true });
    ui?.remove();
  });

  it('reports a successful RTMP handshake for a URL and for a saved destination, without publishing', async () => {
    await page.goto(`${t.baseUrl}/admin/destinations?app=${appId}&user=probe%40example.com`);
    const form = page.getByRole('form', { name: 'Add a destination' });
    await form.getByLabel('Platform').selectOption({ label: 'Custom RTMP/RTMPS' });
    await form.getByLabel('Name').fill('Local ingest');
    await form.getByLabel('Ingest URL').fill(`rtmp://127.0.0.1:${sink.port}/live2`);
    await form.getByRole('button', { name: 'Test connection' }).click();
    const report = form.locator('.connection-test');
    await report.getByText('Connection OK').waitFor();
    expect(await report.locator('dt:has-text("RTMP handshake") + dd').textContent()).toBe('ok');
    expect(await report.locator('dt:has-text("Address") + dd').textContent()).toContain('127.0.0.1');

    await form.getByLabel('Stream key').fill('probe-key-5678');
    await form.getByRole('button', { name: 'Save destination' }).click();
    const saved = page.getByRole('listitem', { name: 'Local ingest' });
    await saved.getByText('••••5678').waitFor();
    await saved.getByRole('button', { name: 'Test connection' }).click();
    await saved.locator('.connection-test').getByText('Connection OK').waitFor();
    // The probe's URL is shown without the key.
    expect(await saved.locator('.connection-test').textContent()).not.toContain('probe-key-5678');

    expect(readdirSync(recordingDir(sink.workDir, 'live2'))).toEqual([]);
  });

  it('reports a refused connection clearly', async () => {
    const form = page.getByRole('form', { name: 'Add a destination' });
    await sink.stop();
    await form.getByLabel('Ingest URL').fill(`rtmp://127.0.0.1:${sink.port}/live2`);
    await form.getByRole('button', { name: 'Test connection' }).click();
    const report = form.locator('.connection-test');
    await report.getByText('Connection failed').waitFor();
    expect(await report.textContent()).toContain('connection refused');
    expect(await report.locator('dt:has-text("RTMP handshake") + dd').textContent()).toBe('failed');
  });
});
