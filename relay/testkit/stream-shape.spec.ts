import { normalizeShape, parseVideoSize, planSessions } from './stream-shape';

describe('normalizeShape', () => {
  it('defaults to what the glasses always sent: 720p, wandering fps, AAC 44.1 kHz mono, one session', () => {
    expect(normalizeShape({}, 12_000)).toEqual({
      size: { width: 1280, height: 720 },
      fps: 'wander',
      audio: { codec: 'aac', sampleRate: 44100, channels: 1, samplesPerFrame: 1024 },
      videoStartMs: 0,
      audioPauses: [],
      resizes: [],
      drops: [],
      clockAfterDrop: 'restart',
    });
  });

  it('reads every option in seconds and turns it into milliseconds', () => {
    const shape = normalizeShape(
      {
        size: '720x1280',
        fps: 60,
        audio: 'stereo48',
        audioOnlyForSec: 2.5,
        videoOnly: [{ atSec: 5, forSec: 1.5 }],
        resizes: [{ atSec: 6, size: { width: 640, height: 480 } }],
        drops: [
          { atSec: 8, forSec: 1, abrupt: true },
          { atSec: 3, forSec: 2 },
        ],
        clockAfterDrop: 'continue',
      },
      12_000,
    );
    expect(shape).toMatchObject({
      size: { width: 720, height: 1280 },
      fps: 60,
      audio: { sampleRate: 48000, channels: 2 },
      videoStartMs: 2500,
      audioPauses: [{ fromWallMs: 5000, toWallMs: 6500 }],
      resizes: [{ atWallMs: 6000, size: { width: 640, height: 480 } }],
      // sorted by time
      drops: [
        { atWallMs: 3000, returnWallMs: 5000, abrupt: false },
        { atWallMs: 8000, returnWallMs: 9000, abrupt: true },
      ],
      clockAfterDrop: 'continue',
    });
    expect(normalizeShape({ audio: 'none' }, 12_000).audio).toBeNull();
  });

  it.each([
    [{ size: '721x1280' }, /even/],
    [{ size: '1280*720' }, /WIDTHxHEIGHT/],
    [{ fps: 0 }, /fps/],
    [{ fps: 500 }, /fps/],
    [{ audioOnlyForSec: 3, audio: 'none' as const }, /needs audio/],
    [{ videoOnly: [{ atSec: 1, forSec: 1 }], audio: 'none' as const }, /needs audio/],
    [{ audioOnlyForSec: 11.5 }, /at least 1 s of video/],
    [{ drops: [{ atSec: 11, forSec: 2 }] }, /does not fit/],
    [{ drops: [{ atSec: 0, forSec: 2 }] }, /does not fit/],
    [{ drops: [{ atSec: 3, forSec: 0.05 }] }, /at least 0.1 s/],
    [
      {
        drops: [
          { atSec: 3, forSec: 2 },
          { atSec: 5.2, forSec: 1 },
        ],
      },
      /0.5 s apart/,
    ],
    [{ resizes: [{ atSec: 13, size: '640x480' }] }, /does not fit/],
    [{ drops: [{ atSec: -1, forSec: 1 }] }, />= 0/],
  ])('rejects %j', (options, message) => {
    expect(() => normalizeShape(options, 12_000)).toThrow(message);
  });
});

describe('planSessions', () => {
  it('is one session without drops', () => {
    expect(planSessions([], 10_000)).toEqual([{ index: 0, startWallMs: 0, endWallMs: 10_000, end: 'final' }]);
  });

  it('splits the stream at each drop and returns after it', () => {
    const drops = [
      { atWallMs: 3000, returnWallMs: 5000, abrupt: false },
      { atWallMs: 6500, returnWallMs: 8000, abrupt: true },
    ];
    expect(planSessions(drops, 10_000)).toEqual([
      { index: 0, startWallMs: 0, endWallMs: 3000, end: 'clean' },
      { index: 1, startWallMs: 5000, endWallMs: 6500, end: 'abrupt' },
      { index: 2, startWallMs: 8000, endWallMs: 10_000, end: 'final' },
    ]);
  });
});

describe('parseVideoSize', () => {
  it('reads WIDTHxHEIGHT', () => {
    expect(parseVideoSize('720x1280')).toEqual({ width: 720, height: 1280 });
  });
});
