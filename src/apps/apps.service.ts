import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { Random } from '../common/random';
import { Clock } from '../common/clock';
import { EncryptionService } from '../common/crypto/encryption.service';
import { sha256Hex } from '../common/crypto/secret-hash';
import { InvalidInputError, NotFoundError } from '../common/errors';
import { maskSecret } from '../common/masking';
import { createAppSchema, CreateAppInput, updateAppSchema, UpdateAppInput } from './app.schemas';
import { AppRecord, AppSettingsChange, AppSettingsRecord, AppsRepository } from './apps.repository';
import { planWebhookSecret } from './webhook-secret-plan';

export { createAppSchema, type CreateAppInput } from './app.schemas';

/** An app as its operators see it: never its API key, its webhook secret only masked. */
export interface AppSettings extends AppRecord {
  webhookSecretMasked: string | null;
  createdAt: Date;
}

export interface CreatedApp {
  app: AppSettings;
  /** Shown once; only its hash is stored. */
  apiKey: string;
  /** Shown once when it was generated here; null when there is none or it was typed by the caller. */
  webhookSecret: string | null;
}

export interface UpdatedApp {
  app: AppSettings;
  /** Generated for a first webhook URL that came without a secret; shown once. */
  webhookSecret: string | null;
}

const API_KEY_PREFIX = 'rsk_';
const CACHE_TTL_MS = 30_000;
const CACHE_MAX_ENTRIES = 10_000;

/** Pure: a package name from an app's name ("My Glasses App" → "my-glasses-app"). */
export function packageNameFrom(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 100) || 'app'
  );
}

const secretWithoutUrl = () =>
  new InvalidInputError('Set a webhook URL before its secret', [{ path: 'webhookSecret', message: 'needs a webhook URL' }]);

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(
    `Invalid ${what}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ')}`,
    parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

@Injectable()
export class AppsService {
  // Every SDK request authenticates; a short cache keeps that off the database.
  private readonly cache = new Map<string, { app: AppRecord | null; expiresAt: number }>();

  constructor(
    private readonly apps: AppsRepository,
    private readonly random: Random,
    private readonly clock: Clock,
    private readonly encryption: EncryptionService,
  ) {}

  async create(input: CreateAppInput): Promise<CreatedApp> {
    const { webhookSecret: typedSecret, ...settings } = parse(createAppSchema, input, 'app');
    const plan = planWebhookSecret(
      { webhookUrl: null, hasSecret: false },
      { webhookUrl: settings.webhookUrl, webhookSecret: typedSecret },
    );
    if (!plan) throw secretWithoutUrl();
    const webhookSecret = plan.kind === 'set' ? plan.secret : plan.kind === 'generate' ? this.newWebhookSecret() : null;
    const apiKey = this.newApiKey();
    const row = await this.apps.create({
      ...settings,
      id: this.random.id('app'),
      packageName: settings.packageName ?? packageNameFrom(settings.name),
      apiKeyHash: sha256Hex(apiKey),
      apiKeyPrefix: apiKey.slice(0, API_KEY_PREFIX.length + 6),
      webhookUrl: settings.webhookUrl ?? null,
      webhookSecretCipher: webhookSecret ? this.encryption.encrypt(webhookSecret, 'webhook-secret') : null,
    });
    return { app: this.view(row), apiKey, webhookSecret: plan.kind === 'generate' ? webhookSecret : null };
  }

  async get(appId: string): Promise<AppSettings> {
    const row = await this.apps.findSettings(appId);
    if (!row) throw new NotFoundError(`No app "${appId}"`);
    return this.view(row);
  }

  async list(): Promise<AppSettings[]> {
    return (await this.apps.list()).map((row) => this.view(row));
  }

  async update(appId: string, input: UpdateAppInput): Promise<UpdatedApp> {
    const { webhookSecret: typedSecret, ...settings } = parse(updateAppSchema, input, 'app settings');
    const current = await this.apps.findSettings(appId);
    if (!current) throw new NotFoundError(`No app "${appId}"`);
    const plan = planWebhookSecret(
      { webhookUrl: current.webhookUrl, hasSecret: current.webhookSecretCipher !== null },
      { webhookUrl: settings.webhookUrl, webhookSecret: typedSecret },
    );
    if (!plan) throw secretWithoutUrl();
    const generated = plan.kind === 'generate' ? this.newWebhookSecret() : null;
    const change: AppSettingsChange = { ...settings };
    if (plan.kind === 'clear') change.webhookSecretCipher = null;
    const secret = plan.kind === 'set' ? plan.secret : generated;
    if (secret) change.webhookSecretCipher = this.encryption.encrypt(secret, 'webhook-secret');
    const row = await this.apps.update(appId, change);
    if (!row) throw new NotFoundError(`No app "${appId}"`);
    this.cache.clear();
    return { app: this.view(row), webhookSecret: generated };
  }

  /** A new API key; the old one stops working at once (in this process; within CACHE_TTL_MS in others). */
  async rotateApiKey(appId: string): Promise<{ app: AppSettings; apiKey: string }> {
    const apiKey = this.newApiKey();
    const row = await this.apps.replaceApiKey(appId, sha256Hex(apiKey), apiKey.slice(0, API_KEY_PREFIX.length + 6));
    if (!row) throw new NotFoundError(`No app "${appId}"`);
    this.cache.clear();
    return { app: this.view(row), apiKey };
  }

  async rotateApiKeyForPackage(packageName: string): Promise<{ app: AppSettings; apiKey: string }> {
    const app = await this.apps.findByPackageName(packageName);
    if (!app) throw new InvalidInputError(`No app with package name "${packageName}"`);
    return this.rotateApiKey(app.id);
  }

  async authenticate(apiKey: string): Promise<AppRecord | null> {
    if (!apiKey.startsWith(API_KEY_PREFIX) || apiKey.length > 200) return null;
    const hash = sha256Hex(apiKey);
    const now = this.clock.now().getTime();
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > now) return cached.app;
    const app = await this.apps.findByApiKeyHash(hash);
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(hash, { app, expiresAt: now + (app ? CACHE_TTL_MS : 2_000) });
    return app;
  }

  private view({ webhookSecretCipher, ...app }: AppSettingsRecord): AppSettings {
    const secret = webhookSecretCipher ? this.encryption.decrypt(webhookSecretCipher, 'webhook-secret') : null;
    return { ...app, webhookSecretMasked: secret === null ? null : maskSecret(secret) };
  }

  private newApiKey(): string {
    return `${API_KEY_PREFIX}${this.random.token(32)}`;
  }

  private newWebhookSecret(): string {
    return `whsec_${this.random.token(32)}`;
  }
}
