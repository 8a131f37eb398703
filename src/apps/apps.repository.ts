import { Injectable } from '@nestjs/common';
import { ConflictError } from '../common/errors';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

/** What an authenticated request knows of its app (cached per API key; no secrets). */
export interface AppRecord {
  id: string;
  name: string;
  packageName: string;
  webhookUrl: string | null;
  recordByDefault: boolean;
  defaultReconnectWindowSeconds: number;
}

/** An app as its operators see it: the record, when it was made, and its webhook secret still encrypted. */
export interface AppSettingsRecord extends AppRecord {
  webhookSecretCipher: string | null;
  createdAt: Date;
}

const appFields = {
  id: true,
  name: true,
  packageName: true,
  webhookUrl: true,
  recordByDefault: true,
  defaultReconnectWindowSeconds: true,
} as const;
const settingsFields = { ...appFields, webhookSecretCipher: true, createdAt: true } as const;

export interface AppSettingsChange {
  name?: string;
  webhookUrl?: string | null;
  webhookSecretCipher?: string | null;
  recordByDefault?: boolean;
  defaultReconnectWindowSeconds?: number;
}

@Injectable()
export class AppsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(data: {
    id: string;
    name: string;
    packageName: string;
    apiKeyHash: string;
    apiKeyPrefix: string;
    webhookUrl: string | null;
    webhookSecretCipher: string | null;
    recordByDefault: boolean;
    defaultReconnectWindowSeconds: number;
  }): Promise<AppSettingsRecord> {
    try {
      return await this.prisma.app.create({ data, select: settingsFields });
    } catch (error) {
      // The only other unique column is the API key's hash, 256 random bits.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new ConflictError(`An app with package name "${data.packageName}" already exists`, 'package_name_taken');
      }
      throw error;
    }
  }

  async findByApiKeyHash(apiKeyHash: string): Promise<AppRecord | null> {
    return this.prisma.app.findUnique({ where: { apiKeyHash }, select: appFields });
  }

  async findByPackageName(packageName: string): Promise<AppRecord | null> {
    return this.prisma.app.findUnique({ where: { packageName }, select: appFields });
  }

  async findSettings(id: string): Promise<AppSettingsRecord | null> {
    return this.prisma.app.findUnique({ where: { id }, select: settingsFields });
  }

  async list(): Promise<AppSettingsRecord[]> {
    return this.prisma.app.findMany({ select: settingsFields, orderBy: { createdAt: 'asc' } });
  }

  /** The new key's hash, or null when no app has this id. */
  async replaceApiKey(id: string, apiKeyHash: string, apiKeyPrefix: string): Promise<AppSettingsRecord | null> {
    const { count } = await this.prisma.app.updateMany({ where: { id }, data: { apiKeyHash, apiKeyPrefix } });
    return count ? this.findSettings(id) : null;
  }

  async update(id: string, change: AppSettingsChange): Promise<AppSettingsRecord | null> {
    const { count } = await this.prisma.app.updateMany({ where: { id }, data: change });
    return count ? this.findSettings(id) : null;
  }
}
