import { Injectable } from '@nestjs/common';

export interface WebhookResponse {
  /** null when no HTTP answer came (connection refused, DNS, timeout). */
  status: number | null;
  retryAfter: string | null;
  error: string | null;
}

/** The one place that talks HTTP to apps; a class so the unit tier can replace it. */
@Injectable()
export class WebhookHttpClient {
  async post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<WebhookResponse> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        body,
        headers,
        // A redirect could lead into our own network; receivers must answer at the URL they registered.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body?.cancel();
      return { status: response.status, retryAfter: response.headers.get('retry-after'), error: null };
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return { status: null, retryAfter: null, error: `${error instanceof Error ? error.message : String(error)}${cause}` };
    }
  }
}
