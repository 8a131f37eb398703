import { buildRecordingArgs } from './recording-args';

describe('buildRecordingArgs', () => {
  it('copies stdin into a fragmented MP4 at the path, without encoding', () => {
    const args = buildRecordingArgs('/rec/ms_1-rec_a.mp4');
    expect(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2)).toEqual(['-i', 'pipe:0']);
    expect(args.slice(args.indexOf('-c'), args.indexOf('-c') + 2)).toEqual(['-c', 'copy']);
    expect(args[args.indexOf('-movflags') + 1]).toBe('+frag_keyframe+empty_moov+default_base_moof');
    expect(args.at(-1)).toBe('/rec/ms_1-rec_a.mp4');
    expect(args).not.toContain('-c:v');
  });
});
