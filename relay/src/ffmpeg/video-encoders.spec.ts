import { QUALITY_PROFILES } from './output-format';
import { VIDEO_ENCODER_NAMES, videoEncoderArgs, type VideoEncoderName } from './video-encoders';

function setup(encoder: VideoEncoderName, quality: keyof typeof QUALITY_PROFILES = '720p') {
  const sut = videoEncoderArgs(encoder, QUALITY_PROFILES[quality]);
  const value = (flag: string): string | undefined => {
    const at = sut.codecArgs.indexOf(flag);
    expect(sut.codecArgs.lastIndexOf(flag)).toBe(at);
    return at >= 0 ? sut.codecArgs[at + 1] : undefined;
  };
  return { sut, value };
}

describe('videoEncoderArgs', () => {
  it.each(VIDEO_ENCODER_NAMES)(
    '%s: an IDR every 2 s on the output clock, no B-frames, High profile, capped bitrate',
    (encoder) => {
      const { value } = setup(encoder, '1080p');
      expect(value('-c:v')).toBe(encoder);
      expect(value('-g')).toBe('60');
      expect(value('-force_key_frames')).toBe('expr:gte(t,n_forced*2)');
      expect(value('-profile:v')).toBe('high');
      expect(value('-b:v')).toBe('4500k');
      expect(value('-maxrate')).toBe('4500k');
      expect(value('-bufsize')).toBe('4500k');
      // libx264 gets "no B-frames" from -tune zerolatency.
      expect(encoder === 'libx264' ? value('-tune') : value('-bf')).toBe(encoder === 'libx264' ? 'zerolatency' : '0');
    },
  );

  it('libx264: the measured cheaper settings (superfast, one thread, zerolatency)', () => {
    const { value } = setup('libx264');
    expect(value('-preset')).toBe('superfast');
    expect(value('-threads')).toBe('1');
    expect(value('-tune')).toBe('zerolatency');
  });

  it('libx264: no scene-cut keyframes, named level, frames in system memory', () => {
    const { sut, value } = setup('libx264');
    expect(value('-keyint_min')).toBe('60');
    expect(value('-sc_threshold')).toBe('0');
    expect(value('-level:v')).toBe('3.1');
    expect(value('-pix_fmt')).toBe('yuv420p');
    expect(sut.deviceArgs).toEqual([]);
    expect(sut.filterSuffix).toBe('');
  });

  it('h264_nvenc: CBR, forced keyframes made IDR, no upload (NVENC reads system memory)', () => {
    const { sut, value } = setup('h264_nvenc');
    expect(value('-rc')).toBe('cbr');
    expect(value('-forced-idr')).toBe('1');
    expect(value('-no-scenecut')).toBe('1');
    expect(value('-level:v')).toBe('3.1');
    expect(sut.deviceArgs).toEqual([]);
    expect(sut.filterSuffix).toBe('');
  });

  it('h264_vaapi: opens the render node and uploads NV12 frames to it', () => {
    const { sut, value } = setup('h264_vaapi');
    expect(sut.deviceArgs).toEqual(['-init_hw_device', 'vaapi=relay:/dev/dri/renderD128', '-filter_hw_device', 'relay']);
    expect(sut.filterSuffix).toBe(',format=nv12,hwupload');
    expect(value('-rc_mode')).toBe('CBR');
    expect(value('-idr_interval')).toBe('0');
    expect(value('-pix_fmt')).toBeUndefined(); // the frames are on the GPU already
  });

  it('h264_qsv: a QSV device derived from the render node, numeric level', () => {
    const { sut, value } = setup('h264_qsv', '1080p');
    expect(sut.deviceArgs).toEqual([
      ...['-init_hw_device', 'vaapi=va:/dev/dri/renderD128', '-init_hw_device', 'qsv=relay@va'],
      ...['-filter_hw_device', 'relay'],
    ]);
    expect(sut.filterSuffix).toMatch(/^,format=nv12,hwupload/);
    expect(value('-level:v')).toBe('41');
    expect(value('-forced_idr')).toBe('1');
    expect(value('-look_ahead')).toBe('0');
  });

  it('takes another render node', () => {
    const sut = videoEncoderArgs('h264_vaapi', QUALITY_PROFILES['480p'], { vaapiDevice: '/dev/dri/renderD129' });
    expect(sut.deviceArgs[1]).toBe('vaapi=relay:/dev/dri/renderD129');
  });
});
