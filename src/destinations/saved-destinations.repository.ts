import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma, type SavedDestination } from '../generated/prisma/client';
import type { DestinationPlatform } from '../generated/prisma/enums';
import { ConflictError } from '../common/errors';

export type SavedDestinationRow = SavedDestination;

function nameTaken(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

@Injectable()
export class SavedDestinationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(data: {
    id: string;
    appId: string;
    userId: string;
    name: string;
    platform: DestinationPlatform;
    ingestUrl: string;
    streamKeyCipher: string;
    enabled: boolean;
  }): Promise<SavedDestinationRow> {
    try {
      return await this.prisma.savedDestination.create({ data });
    } catch (error) {
      if (nameTaken(error)) throw new ConflictError(`This user already has a destination named "${data.name}"`);
      throw error;
    }
  }

  findForApp(appId: string, id: string): Promise<SavedDestinationRow | null> {
    return this.prisma.savedDestination.findFirst({ where: { id, appId } });
  }

  findManyForUser(appId: string, userId: string, ids: readonly string[]): Promise<SavedDestinationRow[]> {
    return this.prisma.savedDestination.findMany({ where: { appId, userId, id: { in: [...ids] } } });
  }

  list(appId: string, userId?: string): Promise<SavedDestinationRow[]> {
    return this.prisma.savedDestination.findMany({
      where: { appId, ...(userId ? { userId } : {}) },
      orderBy: [{ userId: 'asc' }, { createdAt: 'asc' }],
    });
  }

  async update(
    id: string,
    data: Partial<Pick<SavedDestinationRow, 'name' | 'platform' | 'ingestUrl' | 'streamKeyCipher' | 'enabled'>>,
  ): Promise<SavedDestinationRow> {
    try {
      return await this.prisma.savedDestination.update({ where: { id }, data });
    } catch (error) {
      if (nameTaken(error)) throw new ConflictError(`This user already has a destination named "${data.name}"`);
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    await this.prisma.savedDestination.delete({ where: { id } });
  }
}
