import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

export interface AppRecord {
  id: string;
  name: string;
  packageName: string;
  webhookUrl: string | null;
}

const appFields = { id: true, name: true, packageName: true, webhookUrl: true } as const;

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
  }): Promise<AppRecord> {
    return this.prisma.app.create({ data, select: appFields });
  }

  async findByApiKeyHash(apiKeyHash: string): Promise<AppRecord | null> {
    return this.prisma.app.findUnique({ where: { apiKeyHash }, select: appFields });
  }

  async findByPackageName(packageName: string): Promise<AppRecord | null> {
    return this.prisma.app.findUnique({ where: { packageName }, select: appFields });
  }

  async list(): Promise<AppRecord[]> {
    return this.prisma.app.findMany({ select: appFields, orderBy: { createdAt: 'asc' } });
  }

  async replaceApiKey(id: string, apiKeyHash: string, apiKeyPrefix: string): Promise<void> {
    await this.prisma.app.update({ where: { id }, data: { apiKeyHash, apiKeyPrefix } });
  }
}
