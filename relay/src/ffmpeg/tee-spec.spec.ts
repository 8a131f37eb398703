import { buildTeeSpec } from './tee-spec';

describe('buildTeeSpec', () => {
  it('joins slaves with | and options with :', () => {
    expect(
      buildTeeSpec([
        { options: { f: 'hls', hls_time: '2' }, target: '/srv/hls/s1/index.m3u8' },
        { options: { f: 'flv' }, target: 'rtmp://127.0.0.1:1935/clean/s1' },
      ]),
    ).toBe('[f=hls:hls_time=2]/srv/hls/s1/index.m3u8|[f=flv]rtmp://127.0.0.1:1935/clean/s1');
  });

  it('escapes option values twice and targets once (the tee muxer unescapes twice, then once)', () => {
    const spec = buildTeeSpec([
      { options: { hls_segment_filename: "/a b/c:d'e|f]/seg_%d.ts" }, target: "/a b/c:d'e|f]/index.m3u8" },
    ]);
    // Value, after the slave-level unescape: /a\ b/c\:d\'e|f\]/seg_%d.ts; after the option-level one: the path.
    expect(spec).toBe("[hls_segment_filename=/a\\\\\\ b/c\\\\:d\\\\\\'e\\|f\\\\]/seg_%d.ts]/a\\ b/c:d\\'e\\|f]/index.m3u8");
  });

  it('refuses what it cannot express', () => {
    expect(() => buildTeeSpec([])).toThrow(RangeError);
    expect(() => buildTeeSpec([{ options: { 'bad key': 'x' }, target: '/x' }])).toThrow(/option name/);
    expect(() => buildTeeSpec([{ options: {}, target: '[x]' }])).toThrow(/must not start/);
  });
});
