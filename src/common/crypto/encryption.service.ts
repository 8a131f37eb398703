import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config.schema';
import { KeyringCipher } from './keyring-cipher';

/** What a ciphertext protects; bound into it so one secret cannot stand in for another. */
export type SecretPurpose = 'stream-key' | 'webhook-secret';

@Injectable()
export class EncryptionService {
  private readonly cipher: KeyringCipher;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.cipher = new KeyringCipher(config.ENCRYPTION_KEYS);
  }

  encrypt(plaintext: string, purpose: SecretPurpose): string {
    return this.cipher.encrypt(plaintext, purpose);
  }

  decrypt(ciphertext: string, purpose: SecretPurpose): string {
    return this.cipher.decrypt(ciphertext, purpose);
  }

  needsRotation(ciphertext: string): boolean {
    return this.cipher.keyIdOf(ciphertext) !== this.cipher.currentKeyId;
  }
}
