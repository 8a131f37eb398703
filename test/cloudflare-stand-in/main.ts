/**
 * `npm run cloudflare:stand-in`: the Cloudflare Stream stand-in on its own, for local runs.
 * Point the service at the printed base URL, account id and token; drive it through `/__control`.
 */
import { z } from 'zod';
import { STATUS_SHAPES } from './live-input-model';
import { startCloudflareStandIn } from './stand-in-server';

const envSchema = z
  .object({
    CF_STAND_IN_PORT: z.coerce.number().int().min(0).max(65535).default(8788),
    CF_STAND_IN_HOST: z.string().default('127.0.0.1'),
    CF_STAND_IN_ACCOUNT_ID: z
      .string()
      .regex(/^[0-9a-f]{32}$/, '32 lowercase hex characters')
      .default('0123456789abcdef0123456789abcdef'),
    CF_STAND_IN_API_TOKEN: z.string().min(1).default('cloudflare-stand-in-token'),
    CF_STAND_IN_WEBHOOK_URL: z.url().optional(),
    CF_STAND_IN_WEBHOOK_SECRET: z.string().min(1).optional(),
    CF_STAND_IN_DELIVERY_ORIGIN: z.url().optional(),
    CF_STAND_IN_STATUS_SHAPE: z.enum(STATUS_SHAPES).default('string'),
    CF_STAND_IN_LIVE_VIDEO_ON_CONNECT: z.enum(['true', 'false']).default('true'),
  })
  .refine((env) => (env.CF_STAND_IN_WEBHOOK_URL === undefined) === (env.CF_STAND_IN_WEBHOOK_SECRET === undefined), {
    message: 'CF_STAND_IN_WEBHOOK_URL and CF_STAND_IN_WEBHOOK_SECRET go together',
  });

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    process.stderr.write(`cloudflare stand-in: bad environment\n${z.prettifyError(parsed.error)}\n`);
    process.exit(1);
  }
  const env = parsed.data;
  const standIn = await startCloudflareStandIn({
    port: env.CF_STAND_IN_PORT,
    host: env.CF_STAND_IN_HOST,
    accountId: env.CF_STAND_IN_ACCOUNT_ID,
    apiToken: env.CF_STAND_IN_API_TOKEN,
    statusShape: env.CF_STAND_IN_STATUS_SHAPE,
    deliveryOrigin: env.CF_STAND_IN_DELIVERY_ORIGIN?.replace(/\/$/, ''),
    liveVideoOnConnect: env.CF_STAND_IN_LIVE_VIDEO_ON_CONNECT === 'true',
    webhook: env.CF_STAND_IN_WEBHOOK_URL
      ? { url: env.CF_STAND_IN_WEBHOOK_URL, secret: env.CF_STAND_IN_WEBHOOK_SECRET ?? '' }
      : undefined,
  });
  const controlURL = standIn.baseURL.replace(/\/client\/v4$/, '/__control');
  process.stdout.write(
    [
      'Cloudflare Stream stand-in listening',
      `  baseURL    ${standIn.baseURL}`,
      `  account id ${standIn.accountId}`,
      `  API token  ${standIn.apiToken}`,
      `  control    ${controlURL} (e.g. POST ${controlURL}/live-inputs/<uid>/state {"state":"connected"})`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    void standIn.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
