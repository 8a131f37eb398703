import { buildSlateArgs, SLATE_BACKGROUND, slateFontSize, wrapSlateText, type SlateArgsInput } from './slate-args';

const LANDSCAPE = { width: 1280, height: 720 };
const PORTRAIT = { width: 720, height: 1280 };
const TINY = { width: 160, height: 90 };

const input = (overrides: Partial<SlateArgsInput> = {}): SlateArgsInput => ({
  size: LANDSCAPE,
  textFile: null,
  fontFile: null,
  imageFile: null,
  outputFile: '/var/cache/relay/slates/abc.flv',
  ...overrides,
});

const argAfter = (args: string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

describe('slateFontSize', () => {
  it('is a sixteenth of the short side, never under 16 px', () => {
    expect([LANDSCAPE, PORTRAIT, { width: 1920, height: 1080 }, TINY].map(slateFontSize)).toEqual([45, 45, 68, 16]);
  });
});

describe('wrapSlateText', () => {
  const TEXT = 'We will be right back: the glasses lost their connection and are trying to reconnect now';

  it.each([
    [LANDSCAPE, 40],
    [PORTRAIT, 22],
    [TINY, 14],
  ])('breaks text into lines that fit %j (%i characters)', (size, perLine) => {
    const lines = wrapSlateText(TEXT, size).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(perLine);
    expect(lines.join(' ')).toBe(TEXT); // breaks only at spaces: no word lost or split
    // Greedy: no line could have taken the next line's first word.
    lines.slice(1).forEach((line, i) => expect(`${lines[i]} ${line.split(' ')[0]}`.length).toBeGreaterThan(perLine));
  });

  it('collapses runs of white space, newlines included', () => {
    expect(wrapSlateText('  Back\n\n soon\t  !  ', LANDSCAPE)).toBe('Back soon !');
  });

  it('splits a word too long for a line into line-sized pieces', () => {
    const word = 'x'.repeat(50);
    expect(wrapSlateText(`see ${word} ok`, PORTRAIT).split('\n')).toEqual(['see', 'x'.repeat(22), 'x'.repeat(22), 'xxxxxx ok']);
  });

  it('gives an empty string for empty text', () => {
    expect(wrapSlateText('', LANDSCAPE)).toBe('');
    expect(wrapSlateText('   ', LANDSCAPE)).toBe('');
  });
});

describe('buildSlateArgs', () => {
  it('renders the plain card: a colour at the size, stereo silence at the output rate, half a second of FLV', () => {
    const args = buildSlateArgs(input());
    expect(args).toEqual(expect.arrayContaining(['-f', 'lavfi', `color=c=${SLATE_BACKGROUND}:s=1280x720:r=1`]));
    expect(args).toContain('anullsrc=r=48000:cl=stereo');
    expect(argAfter(args, '-filter_complex')).toBe('[0:v]format=yuv420p,setsar=1[v]');
    expect(args.filter((a, i) => args[i - 1] === '-map')).toEqual(['[v]', '1:a']);
    expect(argAfter(args, '-t')).toBe('0.5');
    expect([argAfter(args, '-c:v'), argAfter(args, '-c:a'), argAfter(args, '-ar'), argAfter(args, '-ac')]).toEqual([
      'libx264',
      'aac',
      '48000',
      '2',
    ]);
    expect(args.slice(-3)).toEqual(['-f', 'flv', '/var/cache/relay/slates/abc.flv']);
    expect(args.filter((a) => a === '-i')).toHaveLength(2);
  });

  it('centres the text, with the font when there is one', () => {
    const withoutFont = argAfter(buildSlateArgs(input({ textFile: '/tmp/slate-1.txt' })), '-filter_complex');
    expect(withoutFont).toBe(
      '[0:v]drawtext=textfile=/tmp/slate-1.txt:fontcolor=white:fontsize=45:line_spacing=15:x=(w-text_w)/2:y=(h-text_h)/2[withtext];' +
        '[withtext]format=yuv420p,setsar=1[v]',
    );
    const withFont = argAfter(
      buildSlateArgs(input({ textFile: '/tmp/slate-1.txt', fontFile: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' })),
      '-filter_complex',
    );
    expect(withFont).toContain('drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:textfile=/tmp/slate-1.txt:');
  });

  it('ignores the font when there is no text', () => {
    expect(argAfter(buildSlateArgs(input({ fontFile: '/fonts/a.ttf' })), '-filter_complex')).not.toContain('fontfile');
  });

  it('scales the image into 90 % of the picture and centres it', () => {
    const args = buildSlateArgs(input({ imageFile: '/tmp/image.png' }));
    expect(args.filter((a, i) => args[i - 1] === '-i').slice(2)).toEqual(['/tmp/image.png']);
    expect(argAfter(args, '-filter_complex')).toBe(
      '[2:v]scale=1152:648:force_original_aspect_ratio=decrease[img];[0:v][img]overlay=(W-w)/2:(H-h)/2[withimg];' +
        '[withimg]format=yuv420p,setsar=1[v]',
    );
  });

  it('puts the image above the text when there are both', () => {
    const graph = argAfter(
      buildSlateArgs(input({ size: PORTRAIT, imageFile: '/tmp/image.png', textFile: '/tmp/t.txt' })),
      '-filter_complex',
    );
    expect(graph?.split(';')).toEqual([
      '[2:v]scale=648:768:force_original_aspect_ratio=decrease[img]',
      '[0:v][img]overlay=(W-w)/2:(H-h)/2-H/10[withimg]',
      '[withimg]drawtext=textfile=/tmp/t.txt:fontcolor=white:fontsize=45:line_spacing=15:x=(w-text_w)/2:y=h*0.82-text_h/2[withtext]',
      '[withtext]format=yuv420p,setsar=1[v]',
    ]);
  });

  it.each(['/tmp/slate text.txt', "/tmp/it's.txt", '/tmp/a:b.txt', '/tmp/x.txt[v];[0:v]', 'C:\\slates\\t.txt', '/tmp/é.txt'])(
    'refuses a text or font path the filter parser would read: %j',
    (odd) => {
      expect(() => buildSlateArgs(input({ textFile: odd }))).toThrow(RangeError);
      expect(() => buildSlateArgs(input({ textFile: '/tmp/t.txt', fontFile: odd }))).toThrow(RangeError);
    },
  );

  it('takes any image path: it is an argument of its own, not part of the filter graph', () => {
    const args = buildSlateArgs(input({ imageFile: '/tmp/my image:1.png' }));
    expect(argAfter(args, '-filter_complex')).not.toContain('my image');
    expect(args).toContain('/tmp/my image:1.png');
  });
});
