import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { Random } from '../common/random';
import { Clock } from '../common/clock';
import { EncryptionService } from '../common/crypto/encryption.service';
import { sha256Hex } from '../common/crypto/secret-hash';
import { ConflictError, InvalidInputError } from '../common/errors';
import { AppRecord, AppsRepository } from './apps.repository';

export const createAppSchema = z.object({
  name: z.string().trim().min(1).max(100),
  packageName: z
    .string()
    .trim()
    .regex(/^[a-zA-Z0-9._-]{1,100}$/, 'letters, digits, ".", "_" or "-", at most 100'),
  webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export type CreateAppInput = z.input<typeof createAppSchema>;

export interface CreatedApp {
  app: AppRecord;
  /** Shown once; only its hash is stored. */
  apiKey: string;
  webhookSecret: string | null;
}

const API_KEY_PREFIX = 'rsk_';
const CACHE_TTL_MS = 30_000;
const CACHE_MAX_ENTRIES = 10_000;

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
    const parsed = createAppSchema.safeParse(input);
    if (!parsed.success) {
      throw new InvalidInputError(
        'Invalid app',
        parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      );
    }
    const { name, packageName, webhookUrl } = parsed.data;
    if (await this.apps.findByPackageName(packageName)) {
      throw new ConflictError(`An app with package name "${packageName}" already exists`);
    }
    const apiKey = this.newApiKey();
    const webhookSecret = webhookUrl ? `whsec_${this.random.token(32)}` : null;
    const app = await this.apps.create({
      id: this.random.id('app'),
      name,
      packageName,
      apiKeyHash: sha256Hex(apiKey),
      apiKeyPrefix: apiKey.slice(0, API_KEY_PREFIX.length + 6),
      webhookUrl: webhookUrl ?? null,
      webhookSecretCipher: webhookSecret ? this.encryption.encrypt(webhookSecret, 'webhook-secret') : null,
    });
    return { app, apiKey, webhookSecret };
  }

  async rotateApiKey(packageName: string): Promise<{ app: AppRecord; apiKey: string }> {
    const app = await this.apps.findByPackageName(packageName);
    if (!app) throw new InvalidInputError(`No app with package name "${packageName}"`);
    const apiKey = this.newApiKey();
    await this.apps.replaceApiKey(app.id, sha256Hex(apiKey), apiKey.slice(0, API_KEY_PREFIX.length + 6));
    this.cache.clear();
    return { app, apiKey };
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

  list(): Promise<AppRecord[]> {
    return this.apps.list();
  }

  private newApiKey(): string {
    return `${API_KEY_PREFIX}${this.random.token(32)}`;
  }
}
