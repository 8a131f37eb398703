import type { LiveInputError } from './live-input-model';

export interface WebhookTarget {
  url: string;
  secret: string;
  /** The notification's name (Cloudflare sends the policy name the account gave it). */
  name?: string;
}

export type LiveInputEventType = 'live_input.connected' | 'live_input.disconnected' | 'live_input.errored';

export interface WebhookDelivery {
  eventType: LiveInputEventType;
  inputId: string;
  payload: LiveInputNotification;
  /** HTTP status of the target's answer, or the network error. */
  status?: number;
  error?: string;
}

/** Body of Cloudflare's "Stream Live Input" notification (schema `x_stream_live_input_notification`). */
export interface LiveInputNotification {
  name: string;
  text: string;
  data: {
    notification_name: 'Stream Live Input';
    input_id: string;
    event_type: LiveInputEventType;
    updated_at: string;
    live_input_errored?: { error: { code: string; message: string }; video_codec: string; audio_codec: string };
  };
  ts: number;
}

export function liveInputNotification(
  name: string,
  inputId: string,
  eventType: LiveInputEventType,
  at: number,
  error?: LiveInputError,
): LiveInputNotification {
  const updatedAt = new Date(at).toISOString();
  const lines = [
    'Notification type: Stream Live Input',
    `Input ID: ${inputId}`,
    `Event type: ${eventType}`,
    `Updated at: ${updatedAt}`,
  ];
  if (error) {
    lines.push(
      `Error Code: ${error.code}`,
      `Error Message: ${error.message}`,
      `Video Codec: ${error.videoCodec}`,
      `Audio Codec: ${error.audioCodec}`,
    );
  }
  return {
    name,
    text: lines.join('\n'),
    data: {
      notification_name: 'Stream Live Input',
      input_id: inputId,
      event_type: eventType,
      updated_at: updatedAt,
      ...(error
        ? {
            live_input_errored: {
              error: { code: error.code, message: error.message },
              video_codec: error.videoCodec,
              audio_codec: error.audioCodec,
            },
          }
        : {}),
    },
    ts: Math.floor(at / 1000),
  };
}

/** POSTs notifications to the configured target with the secret in `cf-webhook-auth`. */
export class WebhookNotifier {
  private readonly pending = new Set<Promise<void>>();
  private readonly log: WebhookDelivery[] = [];

  constructor(private target: WebhookTarget | undefined) {}

  configure(target: WebhookTarget | undefined): void {
    this.target = target;
  }

  get configured(): boolean {
    return this.target !== undefined;
  }

  notify(inputId: string, eventType: LiveInputEventType, at: number, error?: LiveInputError): void {
    const target = this.target;
    if (!target) return;
    const payload = liveInputNotification(target.name ?? 'Stream Live Input Notifications', inputId, eventType, at, error);
    const delivery: WebhookDelivery = { eventType, inputId, payload };
    this.log.push(delivery);
    const sending = fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-webhook-auth': target.secret },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(10_000),
    })
      .then(async (response) => {
        delivery.status = response.status;
        await response.arrayBuffer();
      })
      .catch((error: unknown) => {
        delivery.error = error instanceof Error ? error.message : String(error);
      })
      .finally(() => this.pending.delete(sending));
    this.pending.add(sending);
  }

  deliveries(): WebhookDelivery[] {
    return [...this.log];
  }

  /** Resolves once every notification sent so far has been answered (or failed). */
  async settle(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  reset(): void {
    this.log.length = 0;
  }
}
