/**
 * Pure: FFmpeg copying the clean FLV on its stdin into a fragmented MP4. Fragments (one per
 * keyframe, the header written first) keep the file readable up to the last whole fragment if the
 * relay dies mid-stream; no second encode.
 */
export function buildRecordingArgs(outputPath: string): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-f',
    'flv',
    '-i',
    'pipe:0',
    '-map',
    '0',
    '-c',
    'copy',
    '-movflags',
    '+frag_keyframe+empty_moov+default_base_moof',
    '-f',
    'mp4',
    '-y',
    outputPath,
  ];
}
