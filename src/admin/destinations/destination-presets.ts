import type { DestinationPreset } from './admin-destinations.schemas';

/** The ingest URLs the platforms publish for encoders; the user adds only the stream key. */
export const DESTINATION_PRESETS: readonly DestinationPreset[] = [
  { platform: 'youtube', label: 'YouTube (RTMP)', ingestUrl: 'rtmp://a.rtmp.youtube.com/live2' },
  { platform: 'youtube', label: 'YouTube (RTMPS)', ingestUrl: 'rtmps://a.rtmps.youtube.com:443/live2' },
  { platform: 'twitch', label: 'Twitch', ingestUrl: 'rtmp://live.twitch.tv/app' },
  { platform: 'custom', label: 'Custom RTMP/RTMPS', ingestUrl: null },
];
