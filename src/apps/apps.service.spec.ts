import { strictFake } from '../../test/support/strict-fake';
import type { Clock } from '../common/clock';
import type { EncryptionService } from '../common/crypto/encryption.service';
import { InvalidInputError, NotFoundError } from '../common/errors';
import type { Random } from '../common/random';
import type { AppSettingsChange, AppSettingsRecord, AppsRepository } from './apps.repository';
import { AppsService, packageNameFrom } from './apps.service';

const CREATED_AT = new Date('2026-12-02T10:00:00Z');

type StoredApp = AppSettingsRecord & { apiKeyHash: string };

const settingsOf = (row: StoredApp): AppSettingsRecord => ({
  id: row.id,
  name: row.name,
  packageName: row.packageName,
  webhookUrl: row.webhookUrl,
  webhookSecretCipher: row.webhookSecretCipher,
  recordByDefault: row.recordByDefault,
  defaultReconnectWindowSeconds: row.defaultReconnectWindowSeconds,
  createdAt: row.createdAt,
});

/** An in-memory repository behind a strict fake, with ciphers that are readable in assertions. */
function setup() {
  const rows = new Map<string, StoredApp>();
  let lookups = 0;
  const find = (id: string) => {
    const row = rows.get(id);
    return row ? settingsOf(row) : null;
  };
  const repository = strictFake<AppsRepository>('AppsRepository', {
    create: async (data) => {
      const row = { ...data, createdAt: CREATED_AT };
      rows.set(data.id, row);
      return settingsOf(row);
    },
    findSettings: async (id) => find(id),
    findByApiKeyHash: async (hash) => {
      lookups++;
      const row = [...rows.values()].find((candidate) => candidate.apiKeyHash === hash);
      return row ? { ...settingsOf(row), webhookSecretCipher: undefined, createdAt: undefined } : null;
    },
    replaceApiKey: async (id, apiKeyHash) => {
      const row = rows.get(id);
      if (row) row.apiKeyHash = apiKeyHash;
      return find(id);
    },
    update: async (id, change: AppSettingsChange) => {
      const row = rows.get(id);
      if (row) Object.assign(row, change);
      return find(id);
    },
  });
  let tokens = 0;
  let ids = 0;
  const random = strictFake<Random>('Random', {
    token: () => `token${++tokens}-abcdefgh`,
    id: (prefix) => `${prefix}_${++ids}`,
  });
  const clock = strictFake<Clock>('Clock', { now: () => CREATED_AT });
  const encryption = strictFake<EncryptionService>('EncryptionService', {
    encrypt: (plain, purpose) => `enc(${purpose}:${plain})`,
    decrypt: (cipher, purpose) => cipher.replace(`enc(${purpose}:`, '').replace(/\)$/, ''),
  });
  return { sut: new AppsService(repository, random, clock, encryption), mocks: { rows, lookups: () => lookups } };
}

describe('AppsService', () => {
  it('creates an app: the key is returned once and only its hash kept; a webhook URL alone gets a generated secret', async () => {
    const { sut, mocks } = setup();
    const created = await sut.create({ name: 'My Glasses App', webhookUrl: 'https://hooks.example.com/x' });
    expect(created).toEqual({
      app: {
        id: 'app_1',
        name: 'My Glasses App',
        packageName: 'my-glasses-app',
        webhookUrl: 'https://hooks.example.com/x',
        webhookSecretMasked: '****efgh',
        recordByDefault: false,
        defaultReconnectWindowSeconds: 60,
        createdAt: CREATED_AT,
      },
      apiKey: 'rsk_token2-abcdefgh',
      webhookSecret: 'whsec_token1-abcdefgh',
    });
    const stored = mocks.rows.get('app_1')!;
    expect(stored.webhookSecretCipher).toBe('enc(webhook-secret:whsec_token1-abcdefgh)');
    expect(JSON.stringify(stored)).not.toContain(created.apiKey);
  });

  it('does not hand back a secret the caller typed, and refuses one without a URL', async () => {
    const { sut } = setup();
    const created = await sut.create({
      name: 'Typed',
      webhookUrl: 'https://hooks.example.com/x',
      webhookSecret: 'my-own-secret-000-WXYZ',
    });
    expect([created.webhookSecret, created.app.webhookSecretMasked]).toEqual([null, '****WXYZ']);
    await expect(sut.create({ name: 'No URL', webhookSecret: 'my-own-secret-000-WXYZ' })).rejects.toThrow(
      new InvalidInputError('Set a webhook URL before its secret'),
    );
    await expect(sut.create({ name: '' })).rejects.toThrow(/Invalid app: name: must not be empty/);
  });

  it('rotates a key: the old one stops at once even when it was cached, the new one works', async () => {
    const { sut, mocks } = setup();
    const { app, apiKey } = await sut.create({ name: 'Rotating' });
    expect((await sut.authenticate(apiKey))?.id).toBe(app.id);
    expect((await sut.authenticate(apiKey))?.id).toBe(app.id);
    expect(mocks.lookups()).toBe(1); // cached
    const rotated = await sut.rotateApiKey(app.id);
    expect(await sut.authenticate(apiKey)).toBeNull();
    expect((await sut.authenticate(rotated.apiKey))?.id).toBe(app.id);
    await expect(sut.rotateApiKey('app_missing')).rejects.toThrow(NotFoundError);
  });

  it('changes settings, and an authenticated app sees them at once', async () => {
    const { sut } = setup();
    const { app, apiKey } = await sut.create({ name: 'Settings' });
    expect((await sut.authenticate(apiKey))?.defaultReconnectWindowSeconds).toBe(60);
    const updated = await sut.update(app.id, { defaultReconnectWindowSeconds: 0, recordByDefault: true });
    expect(updated).toEqual({
      app: { ...app, defaultReconnectWindowSeconds: 0, recordByDefault: true },
      webhookSecret: null,
    });
    expect(await sut.authenticate(apiKey)).toMatchObject({ defaultReconnectWindowSeconds: 0, recordByDefault: true });
    await expect(sut.update(app.id, {})).rejects.toThrow(/nothing to change/);
    await expect(sut.update('app_missing', { recordByDefault: true })).rejects.toThrow(NotFoundError);
  });

  it('turns webhooks off with the URL, forgetting the secret', async () => {
    const { sut, mocks } = setup();
    const { app } = await sut.create({ name: 'Hooks', webhookUrl: 'https://hooks.example.com/x' });
    const off = await sut.update(app.id, { webhookUrl: null });
    expect(off.app).toMatchObject({ webhookUrl: null, webhookSecretMasked: null });
    expect(mocks.rows.get(app.id)?.webhookSecretCipher).toBeNull();
  });
});

describe('packageNameFrom', () => {
  it('makes a package name of letters, digits and dashes', () => {
    expect(packageNameFrom('  My Glasses: App! ')).toBe('my-glasses-app');
    expect(packageNameFrom('!!!')).toBe('app');
    expect(packageNameFrom('x'.repeat(150))).toHaveLength(100);
  });
});
