import type { Locator, Page } from 'playwright-core';
import { hashPassword } from '../../src/admin/auth/admin-password';
import { sdk } from '../support/api-client';
import { startTestApp, TestApp } from '../support/test-app';
import { buildAdminUi, launchBrowser, screenshots, signIn, TestBrowser, unlabelledFields } from './browser';

// Each step drives a real browser; the first also builds the UI.
jest.setTimeout(30_000);

const PASSWORD = 'correct horse battery staple';
const TYPED_SECRET = 'typed-in-the-browser-0001-LMNO';

/**
 * The Apps page in a real browser (Debian's Chromium) against the real service, Postgres and Redis,
 * as an operator uses it: create an app and copy its key, change its settings, rotate its key.
 */
describe('Apps page in a browser', () => {
  let t: TestApp;
  let ui: ReturnType<typeof buildAdminUi>;
  let browser: TestBrowser;
  let page: Page;
  let firstKey = '';
  let generatedSecret = '';

  beforeAll(async () => {
    ui = buildAdminUi();
    t = await startTestApp({ ADMIN_PASSWORD_HASH: await hashPassword(PASSWORD), ADMIN_UI_DIR: ui.dir });
    browser = await launchBrowser();
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    ui?.remove();
  });

  const createForm = () => page.getByRole('form', { name: 'Create an app' });
  const appCard = (name: string) => page.getByRole('listitem', { name });
  const issuedValue = (label: string) => page.getByRole('status').locator(`code[aria-label="${label}"]`).textContent();
  const statusOf = async (apiKey: string) => (await sdk(t.app, apiKey).get('/api/managed-streams')).status;

  it('opens from the navigation with no apps yet, every field labelled', async () => {
    await signIn(page, t.baseUrl, PASSWORD);
    await page.getByRole('link', { name: 'Apps' }).click();
    await page.waitForURL(`${t.baseUrl}/admin/apps`);
    await expectVisible(page.getByRole('heading', { name: 'Apps', level: 1 }));
    await expectVisible(page.getByText('No apps yet. Create one below.'));
    expect(await unlabelledFields(page)).toEqual([]);
    expect(await page.title()).toBe('Apps · Restream admin');
  });

  it('explains bad input next to each field before sending anything', async () => {
    const form = createForm();
    await form.getByLabel('Name', { exact: true }).fill('Vision Glasses');
    await form.getByLabel('Package name').fill('has spaces');
    await form.getByLabel('Webhook URL').fill('ftp://hooks.example.com/x');
    await form.getByLabel('Webhook secret').fill('short');
    await form.getByLabel('Default reconnect window (seconds)').fill('700');
    await form.getByRole('button', { name: 'Create app' }).click();
    await expectFieldError(form.getByLabel('Package name'), 'letters, digits, ".", "_" or "-", at most 100');
    await expectFieldError(form.getByLabel('Webhook URL'), 'must be an http:// or https:// URL');
    await expectFieldError(form.getByLabel('Webhook secret'), 'must be at least 16 characters');
    await expectFieldError(form.getByLabel('Default reconnect window (seconds)'), 'must be at most 600 seconds');
    await screenshots(page, 'apps-form-errors');
    expect(await page.getByText('No apps yet. Create one below.').count()).toBe(1);
  });

  it('creates an app and shows its API key and generated webhook secret once; the key works', async () => {
    const form = createForm();
    await form.getByLabel('Package name').fill('com.example.vision');
    await form.getByLabel('Webhook URL').fill('https://hooks.example.com/restream');
    await form.getByLabel('Webhook secret').fill('');
    await form.getByLabel('Default reconnect window (seconds)').fill('90');
    await form.getByRole('button', { name: 'Create app' }).click();

    await expectVisible(page.getByRole('heading', { name: 'Store this now for “Vision Glasses”' }));
    firstKey = (await issuedValue('API key')) ?? '';
    generatedSecret = (await issuedValue('Webhook signing secret')) ?? '';
    expect(firstKey).toMatch(/^rsk_/);
    expect(generatedSecret).toMatch(/^whsec_/);
    expect(await statusOf(firstKey)).toBe(200);

    const card = appCard('Vision Glasses');
    await expectVisible(card.getByText('com.example.vision'));
    await expectVisible(card.getByText(`••••${generatedSecret.slice(-4)}`));
    await expectVisible(card.getByText('1m 30s with the slate on air'));
    await expectVisible(card.getByText('not recorded by default'));
    await screenshots(page, 'apps-key-shown-once');

    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByRole('heading', { name: /Store this now/ }).count()).toBe(0);
    const html = await page.content();
    expect([html.includes(firstKey), html.includes(generatedSecret)]).toEqual([false, false]);
  });

  it('changes the settings; a typed webhook secret is shown only masked, and never again after a reload', async () => {
    const card = appCard('Vision Glasses');
    await card.getByRole('button', { name: 'Edit settings' }).click();
    const settings = card.getByRole('form', { name: 'Settings of Vision Glasses' });
    expect(await unlabelledFields(page)).toEqual([]);
    expect(await settings.getByLabel('New webhook secret').inputValue()).toBe('');
    await settings.getByLabel('New webhook secret').fill(TYPED_SECRET);
    await settings.getByLabel('Default reconnect window (seconds)').fill('15');
    await settings.getByLabel('Record streams by default').check();
    await settings.getByRole('button', { name: 'Save settings' }).click();

    await expectVisible(card.getByText('Saved.'));
    await expectVisible(card.getByText('••••LMNO'));
    await expectVisible(card.getByText('recorded by default', { exact: true }));
    await expectVisible(card.getByText('15s with the slate on air'));
    await page.reload();
    await expectVisible(appCard('Vision Glasses').getByText('••••LMNO'));
    expect(await page.content()).not.toContain(TYPED_SECRET);
    await screenshots(page, 'apps');

    // What the page shows is what the service now does: a stream that does not say gets 15 s.
    const started = await sdk(t.app, firstKey).startStream({ userId: 'apps-page@example.com' });
    expect([started.status, started.body.reconnectWindowSeconds]).toEqual([201, 15]);
  });

  it('says "nothing has changed" and shows a refused change from the service', async () => {
    const card = appCard('Vision Glasses');
    await card.getByRole('button', { name: 'Edit settings' }).click();
    const settings = card.getByRole('form', { name: 'Settings of Vision Glasses' });
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expectVisible(settings.getByText('Nothing has changed.'));
    await settings.getByRole('button', { name: 'Cancel' }).click();

    const form = createForm();
    await form.getByLabel('Name', { exact: true }).fill('Copycat');
    await form.getByLabel('Package name').fill('com.example.vision');
    await form.getByRole('button', { name: 'Create app' }).click();
    await expectVisible(
      form.getByRole('alert').filter({ hasText: 'An app with package name "com.example.vision" already exists' }),
    );
  });

  it('rotates the key after asking: the new key is shown once, the old one stops working', async () => {
    const card = appCard('Vision Glasses');
    await card.getByRole('button', { name: 'Rotate API key' }).click();
    await expectVisible(card.getByText('The current key stops working at once. Rotate?'));
    await card.getByRole('button', { name: 'Yes, rotate' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Store this now for “Vision Glasses”' }));
    const newKey = (await issuedValue('API key')) ?? '';
    expect(newKey).toMatch(/^rsk_/);
    expect(newKey).not.toBe(firstKey);
    expect(await page.getByRole('status').locator('code[aria-label="Webhook signing secret"]').count()).toBe(0);
    await expectVisible(card.getByText('Key rotated: the previous key no longer works.'));
    expect([await statusOf(firstKey), await statusOf(newKey)]).toEqual([401, 200]);
    await screenshots(page, 'apps-key-rotated');
  });
});

async function expectVisible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

/** The field is marked invalid and its error, found through aria-describedby, says `text`. */
async function expectFieldError(field: Locator, text: string): Promise<void> {
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const described = await Promise.all(ids.map((id) => field.page().locator(`[id="${id}"]`).textContent()));
  expect(described).toContain(text);
}
