import { Inject, Injectable } from '@nestjs/common';
import { signedRecordingUrl } from '../../relay/protocol/recording-url';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';

/** Download links the relay's nginx accepts until they expire (secure_link, the shared secret). */
@Injectable()
export class RecordingLinks {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  link(relayBaseUrl: string | null, file: string): string | null {
    const secret = this.config.RECORDING_URL_SECRET;
    if (!secret || !relayBaseUrl) return null;
    const expires = Math.floor(this.clock.now().getTime() / 1000) + this.config.RECORDING_URL_TTL_SECONDS;
    return signedRecordingUrl(relayBaseUrl, file, expires, secret);
  }
}
