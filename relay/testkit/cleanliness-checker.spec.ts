import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCleanliness, type CheckId, type CleanlinessVerdict } from './cleanliness-checker';
import { parseFfprobeJson } from './ffprobe-json';
import { AUDIO_STREAM, audioPackets, cleanProbe, mapStream, probeOf, VIDEO_STREAM, videoPackets } from './probe-result.fixtures';

const failed = (v: CleanlinessVerdict): CheckId[] => v.checks.filter((c) => !c.ok).map((c) => c.id);
const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('checkCleanliness: clean streams pass', () => {
  it.each([
    ['FLV-style millisecond timestamps', { roundToMs: true }],
    ['MPEG-TS-style exact timestamps with B-frames', { bFrames: true }],
    ['FLV-style with B-frames', { roundToMs: true, bFrames: true }],
  ])('%s', (_name, video) => {
    const verdict = checkCleanliness(cleanProbe(video));
    expect(verdict.reasons).toEqual([]);
    expect(verdict.clean).toBe(true);
  });

  it('reports profile, level and rate in the passing details', () => {
    const details = checkCleanliness(cleanProbe())
      .checks.map((c) => c.detail)
      .join('\n');
    expect(details).toContain('h264 High level 4.1 1280x720');
    expect(details).toContain('mean 30.000 fps');
    expect(details).toContain('aac LC 48000 Hz 2 ch');
  });

  it('ignores the first GOP (encoder start-up) and packets before the first keyframe', () => {
    const shortFirstGop = mapStream(cleanProbe({ seconds: 11 }), 0, (p, i) => ({
      ...p,
      keyframe: i === 15 || (i > 15 && (i - 15) % 60 === 45),
    }));
    expect(failed(checkCleanliness(shortFirstGop))).toEqual([]);
  });

  it('allows one frame of slack on the keyframe interval', () => {
    expect(failed(checkCleanliness(cleanProbe({ gopFrames: 61 })))).toEqual([]);
    expect(failed(checkCleanliness(cleanProbe({ gopFrames: 59 })))).toEqual([]);
  });

  it('accepts 44.1 kHz audio and Constrained Baseline', () => {
    const probe = probeOf(
      [
        { ...VIDEO_STREAM, profile: 'Constrained Baseline', level: 31 },
        { ...AUDIO_STREAM, sampleRate: 44100 },
      ],
      videoPackets(),
      audioPackets({ sampleRate: 44100 }),
    );
    expect(checkCleanliness(probe).clean).toBe(true);
  });

  it('passes a captured clean HLS encode (ffprobe JSON, 90 kHz, B-frames)', () => {
    const verdict = checkCleanliness(parseFfprobeJson(fixture('clean-hls-720p30.ffprobe.json')));
    expect(verdict.reasons).toEqual([]);
  });
});

describe('checkCleanliness: each defect fails with a reason', () => {
  it('fails the captured raw glasses recording on rate, GOP, jumps and audio', () => {
    const verdict = checkCleanliness(parseFfprobeJson(fixture('dirty-glasses-recording.ffprobe.json')));
    expect(verdict.clean).toBe(false);
    expect(failed(verdict)).toEqual(['video.cfr', 'video.gop', 'video.timestamps', 'audio.timestamps', 'audio.gaps']);
    expect(verdict.reasons.join('\n')).toMatch(/video.timestamps: 1 backward DTS steps \(largest -\d+ ms/);
  });

  it('variable frame rate', () => {
    const vfr = mapStream(cleanProbe(), 0, (p, i) => ({ ...p, dtsMs: i * 70 + (i % 3) * 10, ptsMs: i * 70 + (i % 3) * 10 }));
    const verdict = checkCleanliness(vfr);
    expect(failed(verdict)).toContain('video.cfr');
    expect(verdict.reasons.find((r) => r.startsWith('video.cfr'))).toMatch(/not constant 30 fps/);
  });

  it('a single dropped frame', () => {
    const dropped = {
      ...cleanProbe(),
      packets: cleanProbe().packets.filter((p) => !(p.codecType === 'video' && p.dtsMs === 100 * (1000 / 30))),
    };
    expect(dropped.packets.length).toBe(cleanProbe().packets.length - 1);
    expect(failed(checkCleanliness(dropped))).toEqual(['video.cfr']);
  });

  it('29.97 fps is not 30', () => {
    const ntsc = mapStream(cleanProbe(), 0, (p, i) => ({ ...p, dtsMs: (i * 1001) / 30, ptsMs: (i * 1001) / 30 }));
    const verdict = checkCleanliness(ntsc);
    expect(verdict.reasons.find((r) => r.startsWith('video.cfr'))).toMatch(/constant but not 30 fps/);
  });

  it('keyframes every 2.5 s, or more than a frame off', () => {
    expect(failed(checkCleanliness(cleanProbe({ gopFrames: 75 })))).toEqual(['video.gop']);
    expect(failed(checkCleanliness(cleanProbe({ gopFrames: 62 })))).toEqual(['video.gop']);
  });

  it('a keyframe missing at the end', () => {
    const probe = mapStream(cleanProbe({ seconds: 12 }), 0, (p, i) => ({ ...p, keyframe: p.keyframe && i < 300 }));
    expect(checkCleanliness(probe).reasons).toEqual([expect.stringMatching(/^video.gop: no keyframe in the last/)]);
  });

  it('too little video to judge', () => {
    expect(checkCleanliness(cleanProbe({ seconds: 4 })).reasons).toEqual([expect.stringMatching(/^video.gop: too little video/)]);
  });

  it('an open GOP (a frame after the keyframe shown before it)', () => {
    // Three frames of PTS delay leave room for a leading B-frame: decoded after the keyframe (index 60),
    // presented before it.
    const delayed = mapStream(cleanProbe({ bFrames: true }), 0, (p) => ({ ...p, ptsMs: (p.ptsMs ?? 0) + 100 }));
    const keyPts = delayed.packets.filter((p) => p.codecType === 'video')[60].ptsMs ?? 0;
    const probe = mapStream(delayed, 0, (p, i) => (i === 62 ? { ...p, ptsMs: keyPts - 10 } : p));
    expect(failed(checkCleanliness(probe))).toEqual(['video.closed-gop']);
  });

  it('backward, repeated and PTS-before-DTS video timestamps', () => {
    const backward = mapStream(cleanProbe(), 0, (p, i) => (i === 100 ? { ...p, dtsMs: 1000, ptsMs: 1000 } : p));
    expect(checkCleanliness(backward).reasons.join()).toMatch(/video.timestamps: 1 backward DTS steps/);
    const frozen = mapStream(cleanProbe(), 0, (p, i) =>
      i > 100 && i < 105 ? { ...p, dtsMs: 100_000 / 30, ptsMs: 100_000 / 30 } : p,
    );
    expect(checkCleanliness(frozen).reasons.join()).toMatch(/video.timestamps: 4 repeated DTS/);
    const ptsBeforeDts = mapStream(cleanProbe(), 0, (p, i) => (i === 7 ? { ...p, ptsMs: (p.dtsMs ?? 0) - 5 } : p));
    expect(checkCleanliness(ptsBeforeDts).reasons).toEqual(['video.timestamps: 1 packets with PTS < DTS']);
  });

  it('wrong video codec, profile or level', () => {
    const withVideo = (stream: Partial<typeof VIDEO_STREAM>): CheckId[] =>
      failed(checkCleanliness({ ...cleanProbe(), streams: [{ ...VIDEO_STREAM, ...stream }, AUDIO_STREAM] }));
    expect(withVideo({ profile: 'Baseline' })).toEqual(['video.codec']);
    expect(withVideo({ profile: 'High 4:4:4 Predictive' })).toEqual(['video.codec']);
    expect(withVideo({ level: 42 })).toEqual(['video.codec']);
    expect(withVideo({ level: undefined })).toEqual(['video.codec']);
    expect(withVideo({ codecName: 'hevc', profile: 'Main' })).toEqual(['video.codec']);
  });

  it('wrong audio codec or sample rate', () => {
    const withAudio = (stream: Partial<typeof AUDIO_STREAM>): CheckId[] =>
      failed(checkCleanliness({ ...cleanProbe(), streams: [VIDEO_STREAM, { ...AUDIO_STREAM, ...stream }] }));
    expect(withAudio({ sampleRate: 32000 })).toEqual(['audio.codec']);
    expect(withAudio({ codecName: 'mp3' })).toEqual(['audio.codec']);
  });

  it('audio stepping backward, or with a gap', () => {
    const backward = mapStream(cleanProbe(), 1, (p, i) => (i === 200 ? { ...p, dtsMs: 100, ptsMs: 100 } : p));
    expect(failed(checkCleanliness(backward))).toContain('audio.timestamps');
    const gap = mapStream(cleanProbe(), 1, (p, i) =>
      i >= 200 ? { ...p, dtsMs: (p.dtsMs ?? 0) + 300, ptsMs: (p.ptsMs ?? 0) + 300 } : p,
    );
    expect(checkCleanliness(gap).reasons).toEqual([expect.stringMatching(/^audio.gaps: 1 gaps over 100 ms \(largest 300 ms/)]);
  });

  it('audio starting long after video', () => {
    const probe = probeOf([VIDEO_STREAM, AUDIO_STREAM], videoPackets(), audioPackets({ startMs: 1300, seconds: 8.7 }));
    expect(failed(checkCleanliness(probe))).toEqual(['av.start']);
  });

  it('but not audio starting before video (a live join waits for the next keyframe)', () => {
    const probe = probeOf([VIDEO_STREAM, AUDIO_STREAM], videoPackets({ startMs: 1800, seconds: 8 }), audioPackets());
    expect(checkCleanliness(probe).clean).toBe(true);
  });

  it('missing streams', () => {
    const noAudio = probeOf([VIDEO_STREAM], videoPackets());
    expect(failed(checkCleanliness(noAudio))).toEqual(['audio.present']);
    expect(checkCleanliness(noAudio, { requireAudio: false }).clean).toBe(true);
    expect(failed(checkCleanliness(probeOf([AUDIO_STREAM], audioPackets())))).toEqual(['video.present']);
  });
});
