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
    });
  });

  it('can only write a file', () => {
    expect(parseSimulateArgs(['--out', 'dirty.flv', '--duration', '12'])).toMatchObject({
      rtmpUrl: undefined,
      outFile: 'dirty.flv',
    });
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
