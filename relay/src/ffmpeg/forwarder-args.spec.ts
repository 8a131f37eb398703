import { buildForwarderArgs, type ForwarderArgsInput } from './forwarder-args';

const INPUT: ForwarderArgsInput = {
  sourceUrl: 'rtmp://127.0.0.1:1935/clean/stream-42',
  destinationUrl: 'rtmps://a.rtmps.youtube.com:443/live2/abcd-efgh-ijkl',
};

function setup(overrides: Partial<ForwarderArgsInput> = {}) {
  const args = buildForwarderArgs({ ...INPUT, ...overrides });
  const inputAt = args.indexOf('-i');
  const inputValue = (flag: string): string | undefined => {
    const at = args.indexOf(flag);
    return at >= 0 && at < inputAt ? args[at + 1] : undefined;
  };
  const outputValue = (flag: string): string | undefined => {
    const at = args.lastIndexOf(flag);
    return at > inputAt ? args[at + 1] : undefined;
  };
  return { args, inputAt, inputValue, outputValue };
}

describe('buildForwarderArgs', () => {
  it('reads the clean source and writes FLV to the destination, last', () => {
    const { args, inputAt, inputValue } = setup();
    expect(args[inputAt + 1]).toBe(INPUT.sourceUrl);
    expect(inputValue('-rtmp_app')).toBe('clean');
    expect(inputValue('-rtmp_playpath')).toBe('stream-42');
    expect(args.slice(-3)).toEqual(['-flvflags', 'no_duration_filesize', INPUT.destinationUrl]);
    expect(args[args.indexOf('-f') + 1]).toBe('flv');
    expect(args.indexOf('-f')).toBeGreaterThan(inputAt);
  });

  it('copies both streams untouched, and insists on both', () => {
    const { args } = setup();
    expect(args).toEqual(expect.arrayContaining(['-map', '0:v:0', '-map', '0:a:0', '-c', 'copy']));
    expect(args).not.toContain('libx264');
  });

  it('times out reads and writes (rw_timeout on both sides; never the RTMP listen -timeout)', () => {
    const { args, inputValue, outputValue } = setup();
    expect(inputValue('-rw_timeout')).toBe('5000000');
    expect(outputValue('-rw_timeout')).toBe('5000000');
    expect(args).not.toContain('-timeout');
  });

  it('probes only until both streams are known, within one GOP and a margin', () => {
    const { inputValue } = setup();
    expect(inputValue('-fpsprobesize')).toBe('0');
    expect(Number(inputValue('-analyzeduration'))).toBeGreaterThan(2_000_000);
  });

  it('reports progress on stdout and keeps stderr quiet', () => {
    const { args } = setup();
    expect(args[args.indexOf('-progress') + 1]).toBe('pipe:1');
    expect(args).toEqual(expect.arrayContaining(['-nostats', '-nostdin']));
    expect(args[args.indexOf('-loglevel') + 1]).toBe('warning');
  });

  it('passes a destination with a nested application and a query untouched', () => {
    const destinationUrl = 'rtmp://live.example.com:1936/app/sub/key_1?bandwidthtest=true';
    expect(setup({ destinationUrl }).args.at(-1)).toBe(destinationUrl);
  });

  it('refuses a destination that is not RTMP(S)', () => {
    expect(() => buildForwarderArgs({ ...INPUT, destinationUrl: 'srt://h:9000' })).toThrow(RangeError);
  });
});
