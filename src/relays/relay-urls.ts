/** Where the glasses publish a stream on a relay, and where the relay serves its HLS. */
export function relayIngestBaseUrl(rtmpUrl: string, userPathSegment: string, streamId: string): string {
  return `${rtmpUrl}/live/${userPathSegment}/${streamId}`;
}

export function relayHlsUrl(hlsBaseUrl: string, userPathSegment: string, streamId: string): string {
  return `${hlsBaseUrl}/hls/${userPathSegment}/${streamId}/index.m3u8`;
}
