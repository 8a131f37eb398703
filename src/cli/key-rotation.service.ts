import { Injectable } from '@nestjs/common';
import { EncryptionService, SecretPurpose } from '../common/crypto/encryption.service';
import { PrismaService } from '../database/prisma.service';

/** Re-encrypts every stored secret still under an older key with the current one. */
@Injectable()
export class KeyRotationService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly encryption: EncryptionService,
  ) {}

  async rotateAll(): Promise<{ savedDestinations: number; streamDestinations: number; apps: number }> {
    const reencrypt = (cipher: string, purpose: SecretPurpose): string =>
      this.encryption.encrypt(this.encryption.decrypt(cipher, purpose), purpose);

    let savedDestinations = 0;
    for (const row of await this.prisma.savedDestination.findMany({ select: { id: true, streamKeyCipher: true } })) {
      if (!this.encryption.needsRotation(row.streamKeyCipher)) continue;
      await this.prisma.savedDestination.update({
        where: { id: row.id },
        data: { streamKeyCipher: reencrypt(row.streamKeyCipher, 'stream-key') },
      });
      savedDestinations++;
    }
    let streamDestinations = 0;
    for (const row of await this.prisma.streamDestination.findMany({ select: { id: true, streamKeyCipher: true } })) {
      if (!this.encryption.needsRotation(row.streamKeyCipher)) continue;
      await this.prisma.streamDestination.update({
        where: { id: row.id },
        data: { streamKeyCipher: reencrypt(row.streamKeyCipher, 'stream-key') },
      });
      streamDestinations++;
    }
    let apps = 0;
    for (const row of await this.prisma.app.findMany({ select: { id: true, webhookSecretCipher: true } })) {
      if (!row.webhookSecretCipher || !this.encryption.needsRotation(row.webhookSecretCipher)) continue;
      await this.prisma.app.update({
        where: { id: row.id },
        data: { webhookSecretCipher: reencrypt(row.webhookSecretCipher, 'webhook-secret') },
      });
      apps++;
    }
    return { savedDestinations, streamDestinations, apps };
  }
}
