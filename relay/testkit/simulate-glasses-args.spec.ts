import { parseSimulateArgs, UsageError } from './simulate-glasses-args';

describe('parseSimulateArgs', () => {
  it('has deterministic defaults', () => {
    expect(parseSimulateArgs(['rtmp://h:1935/ingest/key'])).toEqual({
      rtmpUrl: 'rtmp://h:1935/ingest/key',
      seed: 1,
      durationSec: 60,
      loop: false,
      publisher: 'node',
      outFile: undefined,
      report: false,
      shape: {},
    });
  });

  it('reads every option', () => {
    expect(
      parseSimulateArgs([
        'rtmp://h/a/k',
        '--seed',
        '7',
        '--duration',
        '15',
        '--loop',
        '--publisher',
        'ffmpeg',
        '--out',
        'x.flv',
        '--report',
      ]),
    ).toEqual({
      rtmpUrl: 'rtmp://h/a/k',
      seed: 7,
      durationSec: 15,
      loop: true,
      publisher: 'ffmpeg',
      outFile: 'x.flv',
      report: true,
      shape: {},
    });
  });

  it('can only write a file', () => {
    expect(parseSimulateArgs(['--out', 'dirty.flv', '--duration', '12'])).toMatchObject({
      rtmpUrl: undefined,
      outFile: 'dirty.flv',
    });
  });

  it('reads the shape flags', () => {
    const argv = [
      'rtmp://h/a/k',
      ...['--duration', '30', '--size', '720x1280', '--fps', '60', '--no-audio'],
      ...['--resize-at', '5', '--resize-to', '640x480', '--resize-at', '9', '--resize-to', '640x480'],
      ...['--drop-at', '12', '--drop-at', '20', '--drop-for', '2', '--abrupt', '--clock', 'continue'],
    ];
    expect(parseSimulateArgs(argv).shape).toEqual({
      size: '720x1280',
      fps: 60,
      audio: 'none',
      resizes: [
        { atSec: 5, size: '640x480' },
        { atSec: 9, size: '640x480' },
      ],
      drops: [
        { atSec: 12, forSec: 2, abrupt: true },
        { atSec: 20, forSec: 2, abrupt: true },
      ],
      clockAfterDrop: 'continue',
    });
    expect(
      parseSimulateArgs([
        'rtmp://h/a/k',
        ...['--audio', 'stereo48', '--audio-only-for', '3', '--video-only-at', '8', '--video-only-for', '2'],
      ]).shape,
    ).toEqual({ audio: 'stereo48', audioOnlyForSec: 3, videoOnly: [{ atSec: 8, forSec: 2 }] });
  });

  it('spreads --drop-every over the duration, each drop lasting --drop-for (default 3 s)', () => {
    expect(parseSimulateArgs(['rtmp://h/a/k', '--duration', '40', '--drop-every', '15']).shape.drops).toEqual([
      { atSec: 15, forSec: 3, abrupt: false },
      { atSec: 30, forSec: 3, abrupt: false },
    ]);
    expect(parseSimulateArgs(['rtmp://h/a/k', '--duration', '20', '--drop-every', '6', '--drop-for', '1']).shape.drops).toEqual([
      { atSec: 6, forSec: 1, abrupt: false },
      { atSec: 12, forSec: 1, abrupt: false },
      { atSec: 18, forSec: 1, abrupt: false },
    ]);
  });

  it.each([
    [['rtmp://h/a/k', '--size', '1280x721'], /even/],
    [['rtmp://h/a/k', '--fps', 'fast'], /--fps must be a number/],
    [['rtmp://h/a/k', '--audio', 'dolby'], /--audio must be/],
    [['rtmp://h/a/k', '--no-audio', '--audio', 'mono44'], /contradicts/],
    [['rtmp://h/a/k', '--resize-at', '5'], /every --resize-at needs its --resize-to/],
    [['rtmp://h/a/k', '--drop-at', '5'], /one --drop-for/],
    [
      ['rtmp://h/a/k', '--drop-at', '5', '--drop-at', '9', '--drop-for', '1', '--drop-for', '1', '--drop-for', '1'],
      /one --drop-for/,
    ],
    [['rtmp://h/a/k', '--drop-for', '2'], /needs --drop-at/],
    [['rtmp://h/a/k', '--drop-every', '3', '--drop-for', '3'], /longer than/],
    [['rtmp://h/a/k', '--abrupt'], /--abrupt needs/],
    [['rtmp://h/a/k', '--drop-at', '70', '--drop-for', '1'], /does not fit/],
    [['rtmp://h/a/k', '--loop', '--drop-every', '20'], /--loop cannot repeat drops/],
    [['rtmp://h/a/k', '--clock', 'never'], /--clock must be/],
  ])('rejects the shape %j', (argv, message) => {
    expect(() => parseSimulateArgs(argv)).toThrow(message);
  });

  it.each([
    [[], /give an RTMP URL/],
    [['http://h/a/k'], /not an RTMP URL/],
    [['rtmp://h/a/k', '--seed', '1.5'], /--seed must be an integer/],
    [['rtmp://h/a/k', '--duration', '5'], /--duration must be a number >= 10/],
    [['rtmp://h/a/k', '--publisher', 'obs'], /--publisher must be node or ffmpeg/],
    [['--out', 'x.flv', '--loop'], /--loop needs an RTMP URL/],
    [['rtmp://h/a/k', '--nope'], /Unknown option/],
    [['rtmp://h/a/k', 'extra'], /unexpected arguments: extra/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseSimulateArgs(argv)).toThrow(UsageError);
    expect(() => parseSimulateArgs(argv)).toThrow(message);
  });

  it('treats --help as a usage request without an error message', () => {
    expect(() => parseSimulateArgs(['--help'])).toThrow(new UsageError(''));
  });
});
