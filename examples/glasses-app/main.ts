/**
 * An app on the glasses SDK, as it would use our client: start the wearer's managed stream with a
 * YouTube and a Twitch destination, show the ingest URL the glasses push to, print every status
 * change until Ctrl-C, then stop the stream. `npm run example:glasses-app` (see README.md).
 */
import { RestreamClient, RestreamError } from '@glasses-restream/client';
import type { StreamEvent } from '@glasses-restream/client';

export const YOUTUBE_INGEST_URL = 'rtmp://a.rtmp.youtube.com/live2';
export const TWITCH_INGEST_URL = 'rtmp://live.twitch.tv/app';

export interface GlassesAppOptions {
  apiUrl: string;
  apiKey: string;
  /** The wearer; any stable id or e-mail. */
  userId: string;
  youtubeStreamKey: string;
  twitchStreamKey: string;
  /** Aborted on Ctrl-C: the app then stops the stream and returns. */
  signal: AbortSignal;
  log?: (line: string) => void;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** One line per event; `names` maps destination ids to the names the app gave them. */
export function describeEvent(event: StreamEvent, names: ReadonlyMap<string, string> = new Map()): string {
  const name = event.destinationId
    ? (names.get(event.destinationId) ?? text(event.data?.name) ?? event.destinationId)
    : undefined;
  const subject = name ? `destination ${name}` : 'stream';
  const reason = event.reason ? ` (${event.reason})` : '';
  switch (event.type) {
    case 'stream.status':
    case 'destination.status':
      return `${subject}: ${event.status ?? 'unknown'}${reason}`;
    case 'stream.playback':
      return `stream: playback ready${text(event.data?.hlsUrl) ? ` at ${text(event.data?.hlsUrl)}` : ''}`;
    default:
      return `${subject}: ${event.type.replace(/^\w+\./, '').replace(/_/g, ' ')}${reason}`;
  }
}

export async function runGlassesApp(options: GlassesAppOptions): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line));
  const client = new RestreamClient({ baseUrl: options.apiUrl, apiKey: options.apiKey });

  const stream = await client.startManagedStream({
    userId: options.userId,
    restreamDestinations: [
      { name: 'YouTube', url: YOUTUBE_INGEST_URL, streamKey: options.youtubeStreamKey },
      { name: 'Twitch', url: TWITCH_INGEST_URL, streamKey: options.twitchStreamKey },
    ],
  });
  log(`Stream ${stream.streamId} (${stream.strategy}): point the glasses at`);
  log(`  ${stream.ingestUrl ?? '(no ingest URL yet)'}`);
  for (const destination of stream.destinations) log(`  restreaming to ${destination.name} (key ${destination.streamKeyMasked})`);

  const names = new Map(stream.destinations.map((destination) => [destination.id, destination.name]));
  const subscription = client.onStreamStatus(stream.streamId, (event) => log(describeEvent(event, names)), {
    onError: (error, willRetry) => log(`events: ${error.message}${willRetry ? ' (reconnecting)' : ''}`),
  });

  if (!options.signal.aborted) await new Promise((resolve) => options.signal.addEventListener('abort', resolve, { once: true }));
  subscription.close();
  const stopped = await client.stopStream(stream.streamId);
  log(`Stopped: stream is ${stopped.status}`);
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`Set ${name} (see examples/glasses-app/README.md)`);
    process.exit(2);
  }
  return value;
}

if (require.main === module) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  runGlassesApp({
    apiUrl: process.env.RESTREAM_API_URL ?? 'http://127.0.0.1:3000',
    apiKey: requiredEnv('RESTREAM_API_KEY'),
    userId: process.env.GLASSES_USER_ID ?? 'demo-wearer@example.com',
    youtubeStreamKey: requiredEnv('YOUTUBE_STREAM_KEY'),
    twitchStreamKey: requiredEnv('TWITCH_STREAM_KEY'),
    signal: controller.signal,
  }).catch((error: unknown) => {
    console.error(error instanceof RestreamError ? `${error.name} (${error.status} ${error.code}): ${error.message}` : error);
    process.exit(1);
  });
}
