import { startCloudflareStandIn, type CloudflareStandIn, type CloudflareStandInOptions } from '../cloudflare-stand-in';
import { startTestApp, type TestApp } from '../support/test-app';

export const CLOUDFLARE_WEBHOOK_SECRET = 'cf-webhook-secret-for-tests';

export interface CloudflareTestEnv {
  cf: CloudflareStandIn;
  t: TestApp;
  close(): Promise<void>;
}

/** The real service, configured for Cloudflare, talking to the local stand-in through the SDK's baseURL. */
export async function startCloudflareTestEnv(
  overrides: Record<string, string> = {},
  standIn: CloudflareStandInOptions = {},
  { webhooks = true }: { webhooks?: boolean } = {},
): Promise<CloudflareTestEnv> {
  const cf = await startCloudflareStandIn(standIn);
  const t = await startTestApp({
    CLOUDFLARE_ACCOUNT_ID: cf.accountId,
    CLOUDFLARE_API_TOKEN: cf.apiToken,
    CLOUDFLARE_API_BASE_URL: cf.baseURL,
    CLOUDFLARE_WEBHOOK_SECRET,
    CLOUDFLARE_TIMEOUT_MS: '1500',
    ...overrides,
  });
  if (webhooks) cf.control.configureWebhook({ url: `${t.baseUrl}/api/cloudflare/webhooks`, secret: CLOUDFLARE_WEBHOOK_SECRET });
  return {
    cf,
    t,
    async close() {
      await t.close();
      await cf.close();
    },
  };
}

export const youtube = (key: string) => ({ url: 'rtmp://a.rtmp.youtube.com/live2', streamKey: key });
export const twitch = (key: string) => ({ url: 'rtmp://live.twitch.tv/app', streamKey: key });
