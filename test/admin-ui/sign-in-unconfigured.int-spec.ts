import { startTestApp, TestApp } from '../support/test-app';
import { buildAdminUi, launchBrowser, TestBrowser } from './browser';

jest.setTimeout(30_000);

/** Without ADMIN_PASSWORD_HASH the page says how to configure sign-in instead of failing silently. */
describe('dashboard sign-in when no admin password is configured', () => {
  let t: TestApp;
  let ui: ReturnType<typeof buildAdminUi>;
  let browser: TestBrowser;

  beforeAll(async () => {
    ui = buildAdminUi();
    t = await startTestApp({ ADMIN_UI_DIR: ui.dir });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    ui?.remove();
  });

  it('explains how to set the password hash, and refuses any sign-in', async () => {
    const { page } = browser;
    await page.goto(`${t.baseUrl}/admin`);
    const notice = page.getByRole('alert');
    await notice.filter({ hasText: 'ADMIN_PASSWORD_HASH' }).waitFor();
    expect(await notice.first().textContent()).toContain('admin:hash-password');

    await page.getByLabel('Password').fill('anything at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const fieldError = page.locator('.field-error');
    await fieldError.filter({ hasText: 'not configured' }).waitFor();
    expect(page.url()).toContain('/admin/login');
  });
});
