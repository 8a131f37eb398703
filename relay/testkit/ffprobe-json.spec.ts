import { ZodError } from 'zod';
import { parseFfprobeJson } from './ffprobe-json';

// Trimmed from real `ffprobe -show_packets -show_streams -of json` output (an HLS segment).
const SAMPLE = `{
  "packets": [
    { "codec_type": "video", "stream_index": 0, "pts": 726000, "pts_time": "8.066667", "dts": 720000, "dts_time": "8.000000",
      "duration": 3000, "duration_time": "0.033333", "size": "47131", "pos": "564", "flags": "K_",
      "side_data_list": [ { "side_data_type": "MPEGTS Stream ID" } ] },
    { "codec_type": "audio", "stream_index": 1, "pts": 720240, "pts_time": "8.002667", "dts": 720240, "dts_time": "8.002667",
      "duration": 1920, "duration_time": "0.021333", "size": "371", "flags": "K_" },
    { "codec_type": "video", "stream_index": 0, "dts": 723000, "dts_time": "8.033333", "size": "812", "flags": "__" }
  ],
  "streams": [
    { "index": 0, "codec_name": "h264", "profile": "High", "codec_type": "video", "width": 1280, "height": 720, "level": 41,
      "r_frame_rate": "30/1", "avg_frame_rate": "0/0", "time_base": "1/90000" },
    { "index": 1, "codec_name": "aac", "profile": "LC", "codec_type": "audio", "sample_rate": "48000", "channels": 2,
      "time_base": "1/90000" }
  ]
}`;

describe('parseFfprobeJson', () => {
  const probe = parseFfprobeJson(SAMPLE);

  it('maps streams, coercing the numbers ffprobe prints as strings', () => {
    expect(probe.streams).toEqual([
      {
        index: 0,
        codecType: 'video',
        codecName: 'h264',
        profile: 'High',
        level: 41,
        width: 1280,
        height: 720,
        sampleRate: undefined,
        channels: undefined,
      },
      {
        index: 1,
        codecType: 'audio',
        codecName: 'aac',
        profile: 'LC',
        level: undefined,
        width: undefined,
        height: undefined,
        sampleRate: 48000,
        channels: 2,
      },
    ]);
  });

  it('converts ticks to milliseconds with each stream time base and reads the keyframe flag', () => {
    expect(probe.packets[0]).toEqual({
      streamIndex: 0,
      codecType: 'video',
      ptsMs: 8066.666666666667,
      dtsMs: 8000,
      durationMs: 1000 / 30,
      keyframe: true,
      size: 47131,
    });
    expect(probe.packets[1]).toMatchObject({ codecType: 'audio', dtsMs: 8002.666666666667, keyframe: true });
  });

  it('leaves out what ffprobe reports as N/A', () => {
    expect(probe.packets[2]).toMatchObject({ ptsMs: undefined, durationMs: undefined, keyframe: false });
  });

  it('treats missing sections as empty and rejects malformed ones', () => {
    expect(parseFfprobeJson('{}')).toEqual({ streams: [], packets: [] });
    expect(() => parseFfprobeJson('{"streams":[{"index":0,"codec_type":"video","time_base":"x"}]}')).toThrow(ZodError);
    expect(() => parseFfprobeJson('{"packets": [')).toThrow(SyntaxError);
  });
});
