import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { Random } from './random';
import { EncryptionService } from './crypto/encryption.service';

@Global()
@Module({
  providers: [Clock, Random, EncryptionService],
  exports: [Clock, Random, EncryptionService],
})
export class CommonModule {}
