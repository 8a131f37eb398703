import { strictFake } from '../../../test/support/strict-fake';
import { SILENT_AAC_FRAME } from '../flv/codec-config';
import { AAC_SEQUENCE_HEADERS, AVC_SEQUENCE_HEADERS } from '../flv/codec-config.fixtures';
import type { FlvTag } from '../flv/flv-tags';
import { avcFrame } from '../flv/flv-tags.fixtures';
import {
  AUDIO_GAP_MS,
  FIRST_PICTURE_WAIT_MS,
  OutputClock,
  SLATE_FRAME_MS,
  VIDEO_STALL_MS,
  type OutputClockDeps,
} from './output-clock';
import type { SlateMedia } from './slate-renderer';

const hex = (text: string): Buffer => Buffer.from(text, 'hex');
const TICK_MS = 20; // the pipeline's tick
const START = 1_000_000; // the process clock when the stream starts; the stream clock is 0 there

const GLASSES_SPS = hex(AVC_SEQUENCE_HEADERS[0].hex);
const GLASSES_NEW_SPS = hex(AVC_SEQUENCE_HEADERS[1].hex);
const MONO_44K = hex(AAC_SEQUENCE_HEADERS.mono44100);
const STEREO_48K = hex(AAC_SEQUENCE_HEADERS.stereo48000);
const MONO_16K = hex(AAC_SEQUENCE_HEADERS.mono16000);
const SLATE: SlateMedia = {
  videoConfig: hex(AVC_SEQUENCE_HEADERS[2].hex),
  videoFrame: avcFrame(true, 0xee),
};
/** The clock's own silence when the glasses never sent sound: 48 kHz stereo AAC-LC, nothing rendered. */
const OWN_SILENCE = {
  config: Buffer.from('af001190', 'hex'),
  frame: Buffer.concat([Buffer.from('af01', 'hex'), SILENT_AAC_FRAME[2]]),
};
const aac = (marker: number): Buffer => Buffer.from([0xaf, 1, 0x21, marker]);
const silenceLike = (config: Buffer, channels: 1 | 2): Buffer =>
  Buffer.concat([config.subarray(0, 1), Buffer.from([1]), SILENT_AAC_FRAME[channels]]);

/** A readable name for each written tag: `kind:what@timestamp`. */
function label(tag: FlvTag): string {
  const named: [Buffer, string][] = [
    [GLASSES_SPS, 'sps'],
    [GLASSES_NEW_SPS, 'sps2'],
    [SLATE.videoConfig, 'slate-sps'],
    [SLATE.videoFrame, 'slate'],
    [MONO_44K, 'asc44'],
    [MONO_16K, 'asc16'],
    [STEREO_48K, 'asc48'],
    [OWN_SILENCE.config, 'own-asc48'],
    [silenceLike(MONO_44K, 1), 'silence1'],
    [silenceLike(STEREO_48K, 2), 'silence2'],
    [OWN_SILENCE.frame, 'slate-silence'],
  ];
  const name =
    named.find(([body]) => body.equals(tag.data))?.[1] ??
    (tag.kind === 'video' ? `${tag.data[0] === 0x17 ? 'K' : 'P'}${tag.data[5]}` : `a${tag.data[3]}`);
  return `${name}@${tag.timestampMs}`;
}

function setup(options: { slate?: SlateMedia | null } = {}) {
  let now = START;
  let nextTick = TICK_MS;
  const written: FlvTag[] = [];
  const onInput = jest.fn<void, ['live' | 'lost']>();
  const slate = options.slate === undefined ? SLATE : options.slate;
  const sut = new OutputClock(
    strictFake<OutputClockDeps>('OutputClockDeps', {
      now: () => now,
      write: (tag) => void written.push(tag),
      slate: () => slate,
      onInput,
    }),
  );
  const mocks = {
    written,
    onInput,
    /** Moves the stream clock to `ms`, ticking every 20 ms on the way as the pipeline does. */
    runTo(ms: number): void {
      for (; nextTick <= ms; nextTick += TICK_MS) {
        now = START + nextTick;
        sut.tick();
      }
      now = START + ms;
    },
    /** Labels of what was written since the last call (video and audio apart). */
    take(kind?: FlvTag['kind']): string[] {
      const tags = written.splice(0, written.length);
      return tags.filter((t) => !kind || t.kind === kind).map(label);
    },
  };
  return { sut, mocks };
}

type Setup = ReturnType<typeof setup>;

/** Glasses video from `fromMs` to `untilMs` (arrival), 30 fps, keyframe every `gop` frames; dts from `dtsOf`. */
function sendVideo(
  { sut, mocks }: Setup,
  fromMs: number,
  untilMs: number,
  opts: { dtsOf?: (arrival: number, i: number) => number; gop?: number; spsFirst?: boolean; marker?: number } = {},
): { arrival: number; dts: number }[] {
  const sent: { arrival: number; dts: number }[] = [];
  const { dtsOf = (arrival) => arrival + 90_000, gop = 60, spsFirst = true, marker = 0 } = opts;
  for (let i = 0, arrival = fromMs; arrival < untilMs; i++, arrival = fromMs + Math.round((i * 1000) / 30)) {
    mocks.runTo(arrival);
    const dts = dtsOf(arrival, i);
    if (i === 0 && spsFirst) sut.input('video', dts, GLASSES_SPS);
    sut.input('video', dts, avcFrame(i % gop === 0, (marker + i) % 256));
    sent.push({ arrival, dts });
  }
  return sent;
}

const videoTs = (written: FlvTag[]): number[] => written.filter((t) => t.kind === 'video').map((t) => t.timestampMs);
const strictlyIncreasing = (values: number[]): boolean => values.every((v, i) => i === 0 || v > values[i - 1]);

describe('OutputClock: glasses video', () => {
  it('writes nothing before the glasses sent both a sequence header and a keyframe', () => {
    const { sut, mocks } = setup();
    mocks.runTo(100);
    sut.input('video', 5000, avcFrame(false, 1));
    sut.input('video', 5033, avcFrame(true, 2)); // no sequence header yet: undecodable
    mocks.runTo(200);
    sut.input('video', 5133, GLASSES_SPS);
    sut.input('video', 5166, avcFrame(false, 3)); // a P-frame cannot start a picture
    expect(mocks.written).toEqual([]);
    expect(mocks.onInput).not.toHaveBeenCalled();

    mocks.runTo(300);
    sut.input('video', 5266, avcFrame(true, 4));
    expect(mocks.take()).toEqual(['sps@300', 'K4@300']);
    expect(mocks.onInput.mock.calls).toEqual([['live']]);
    expect(sut.source).toBe('glasses');
  });

  it('follows the glasses frame spacing through arrival jitter', () => {
    const setupResult = setup();
    const jitter = [0, 40, 5, 70, 10, 0, 90, 20];
    let arrival = 0;
    const sent: number[] = [];
    for (let i = 0; i < 60; i++) {
      arrival = Math.max(arrival, i * 33 + jitter[i % jitter.length]);
      setupResult.mocks.runTo(arrival);
      if (i === 0) setupResult.sut.input('video', 777_000, GLASSES_SPS);
      setupResult.sut.input('video', 777_000 + i * 33, avcFrame(i === 0, i));
      sent.push(777_000 + i * 33);
    }
    const stamps = videoTs(setupResult.mocks.written).slice(1); // after the sequence header
    expect(stamps.map((ts) => ts - stamps[0])).toEqual(sent.map((dts) => dts - sent[0]));
  });

  it.each([
    ['back by 5 s', (arrival: number, i: number) => 200_000 + arrival - (i >= 30 ? 5000 : 0)],
    ['forward by 8 s', (arrival: number, i: number) => 200_000 + arrival + (i >= 30 ? 8000 : 0)],
    ['back to 0 (a restarted device clock)', (arrival: number, i: number) => (i >= 30 ? arrival - 1000 : 200_000 + arrival)],
    ['forward by 700 ms (a large but "sane" step)', (arrival: number, i: number) => 200_000 + arrival + (i >= 30 ? 700 : 0)],
  ])('stays monotonic and near arrival when the publisher timestamps jump %s', (_name, dtsOf) => {
    const s = setup();
    const sent = sendVideo(s, 0, 3000, { dtsOf });
    const frames = s.mocks.written.filter((t) => t.kind === 'video').slice(1);
    expect(frames).toHaveLength(sent.length);
    expect(strictlyIncreasing(frames.map((f) => f.timestampMs))).toBe(true);
    frames.forEach((frame, i) => expect(Math.abs(frame.timestampMs - sent[i].arrival)).toBeLessThanOrEqual(250));
    // After the jump the spacing is the glasses' again: 33/34 ms.
    const after = frames.slice(32).map((f, i, all) => (i === 0 ? 33 : f.timestampMs - all[i - 1].timestampMs));
    expect(after.every((d) => d === 33 || d === 34)).toBe(true);
  });

  it.each([
    ['fast', 40],
    ['slow', 26],
  ])('stays within 250 ms of arrival when the glasses clock runs %s', (_name, dtsStep) => {
    const s = setup();
    const sent = sendVideo(s, 0, 20_000, { dtsOf: (_a, i) => 10_000 + i * dtsStep, gop: 150 });
    const frames = s.mocks.written.filter((t) => t.kind === 'video' && t.data.length === 6);
    expect(frames).toHaveLength(sent.length);
    expect(strictlyIncreasing(frames.map((f) => f.timestampMs))).toBe(true);
    const drift = frames.map((f, i) => f.timestampMs - sent[i].arrival);
    expect(Math.max(...drift.map(Math.abs))).toBeLessThanOrEqual(250);
    // It follows the glasses between re-anchorings: most steps are theirs.
    const steps = frames.slice(1).map((f, i) => f.timestampMs - frames[i].timestampMs);
    expect(steps.filter((d) => d === dtsStep).length).toBeGreaterThan(steps.length * 0.8);
  });

  it('forwards a new sequence header once, before the next frame, and drops a repeated one', () => {
    const s = setup();
    sendVideo(s, 0, 100);
    s.mocks.take();
    s.sut.input('video', 90_100, GLASSES_SPS);
    s.sut.input('video', 90_100, GLASSES_NEW_SPS);
    s.sut.input('video', 90_100, GLASSES_NEW_SPS);
    s.mocks.runTo(100);
    s.sut.input('video', 90_100, avcFrame(true, 9));
    expect(s.mocks.take('video')).toEqual(['sps2@68', 'K9@100']); // the last frame was at 67
  });
});

describe('OutputClock: the slate', () => {
  it('takes over at once when the publisher leaves: its sequence header once, a picture every 100 ms', () => {
    const s = setup();
    sendVideo(s, 0, 1000);
    s.mocks.runTo(1010);
    s.mocks.take();
    s.sut.publisherLeft();
    s.sut.publisherLeft(); // twice: still one 'lost'
    s.mocks.runTo(1500);
    expect(s.mocks.take('video')).toEqual([
      'slate-sps@1010',
      'slate@1010',
      'slate@1110',
      'slate@1210',
      'slate@1310',
      'slate@1410',
    ]);
    expect(s.mocks.onInput.mock.calls).toEqual([['live'], ['lost']]);
    expect(s.sut.source).toBe('slate');
  });

  it('ignores the glasses while the publisher is away, keeps the slate through P-frames, and comes back at a keyframe', () => {
    const s = setup();
    sendVideo(s, 0, 1000);
    s.sut.publisherLeft();
    s.sut.input('video', 1, avcFrame(true, 50)); // in flight from the old publish: ignored
    s.mocks.runTo(2000);
    s.sut.publisherBack();
    s.mocks.runTo(2030);
    s.mocks.take();
    s.sut.input('video', 10, GLASSES_SPS);
    s.sut.input('video', 10, avcFrame(false, 60));
    s.mocks.runTo(2130);
    s.sut.input('video', 43, avcFrame(false, 61));
    expect(s.mocks.take('video')).toEqual(['slate@2068']); // every 100 ms from 968, when the last picture (967) went
    s.mocks.runTo(2150);
    s.sut.input('video', 76, avcFrame(true, 62));
    s.mocks.runTo(2183);
    s.sut.input('video', 109, avcFrame(false, 63));
    expect(s.mocks.take('video')).toEqual(['sps@2150', 'K62@2150', 'P63@2183']);
    expect(s.mocks.onInput.mock.calls).toEqual([['live'], ['lost'], ['live']]);
    s.mocks.runTo(2500);
    expect(s.mocks.take('video')).toEqual([]); // no slate pictures any more
  });

  it('takes over when the pictures stall for more than 1.5 s while the publisher is still there', () => {
    const s = setup();
    const sent = sendVideo(s, 0, 1000);
    const last = sent[sent.length - 1].arrival;
    s.mocks.take();
    s.mocks.runTo(last + VIDEO_STALL_MS);
    expect(s.mocks.take('video')).toEqual([]);
    expect(s.mocks.onInput.mock.calls).toEqual([['live']]);
    expect(last).toBe(967);
    s.mocks.runTo(2700);
    // The first tick past 967 + 1500 is at 2480.
    expect(s.mocks.take('video')).toEqual(['slate-sps@2480', 'slate@2480', 'slate@2580', 'slate@2680']);
    expect(s.mocks.onInput.mock.calls).toEqual([['live'], ['lost']]);
  });

  it('backfills slate pictures from 0 when there is sound but no picture after 1 s', () => {
    const s = setup();
    s.sut.input('audio', 0, MONO_44K);
    for (let i = 0; i * 23 < 1100; i++) {
      s.mocks.runTo(i * 23);
      s.sut.input('audio', i * 23, aac(i % 256));
    }
    const video = s.mocks.take('video');
    // The first tick past 1 s (1020) writes the pictures from 0 up to it at once.
    expect(video).toEqual([
      'slate-sps@0',
      ...Array.from({ length: FIRST_PICTURE_WAIT_MS / SLATE_FRAME_MS + 1 }, (_, i) => `slate@${i * 100}`),
    ]);
    expect(s.mocks.onInput).not.toHaveBeenCalledWith('lost'); // nothing was lost: no picture ever came
    s.mocks.runTo(1150);
    s.sut.input('video', 0, GLASSES_SPS);
    s.sut.input('video', 0, avcFrame(true, 1));
    expect(s.mocks.take('video')).toEqual(['slate@1100', 'sps@1150', 'K1@1150']);
    expect(s.mocks.onInput).toHaveBeenLastCalledWith('live');
    expect(s.mocks.onInput).not.toHaveBeenCalledWith('lost');
  });
});

/** Glasses sound arriving in real time from `fromMs` to `untilMs`: `rate` decides the frame duration. */
function sendAudio({ sut, mocks }: Setup, config: Buffer, rate: number, fromMs: number, untilMs: number): number[] {
  const arrivals: number[] = [];
  mocks.runTo(fromMs);
  sut.input('audio', 0, config);
  for (let k = 0, arrival = fromMs; arrival < untilMs; k++, arrival = fromMs + Math.floor((k * 1024 * 1000) / rate)) {
    mocks.runTo(arrival);
    sut.input('audio', arrival, aac(k % 256));
    arrivals.push(arrival);
  }
  return arrivals;
}

const audioTs = (written: FlvTag[]): number[] => written.filter((t) => t.kind === 'audio').map((t) => t.timestampMs);

describe('OutputClock: sound', () => {
  it('stamps AAC frames by counting 1024 samples at the AudioSpecificConfig rate', () => {
    const s = setup();
    const arrivals = sendAudio(s, MONO_16K, 16000, 0, 1000); // 64 ms a frame
    expect(s.mocks.take('audio')).toEqual(['asc16@0', ...arrivals.map((_, k) => `a${k}@${k * 64}`)]);
  });

  it('ignores AAC frames until their AudioSpecificConfig came', () => {
    const s = setup();
    s.mocks.runTo(100);
    s.sut.input('audio', 100, aac(1));
    expect(s.mocks.written).toEqual([]);
  });

  // Sample counting keeps the fractions of a millisecond (48 kHz: 21.333 ms a frame).
  it('carries the fractional milliseconds of 48 kHz frames instead of rounding them up', () => {
    const s = setup();
    const arrivals = sendAudio(s, STEREO_48K, 48000, 0, 10_000);
    const stamps = audioTs(s.mocks.written).slice(1);
    expect(stamps).toEqual(arrivals.map((_, k) => Math.round((k * 1024 * 1000) / 48000)));
  });

  // Stamps that ran fast would pass the "too far ahead" limit after ~100 s and start dropping frames.
  it('keeps every glasses frame of three minutes of 48 kHz sound arriving in real time', () => {
    const s = setup();
    const arrivals = sendAudio(s, STEREO_48K, 48000, 0, 180_000);
    const stamps = audioTs(s.mocks.written).slice(1);
    expect(stamps).toHaveLength(arrivals.length);
    expect(Math.max(...stamps.map((ts, k) => ts - arrivals[k]))).toBeLessThanOrEqual(25);
  });

  it.each([
    ['mono', MONO_44K, 44100, 'silence1'],
    ['stereo', STEREO_48K, 48000, 'silence2'],
  ] as const)('fills a pause of the glasses sound with %s silence in their own format', (_name, config, rate, silence) => {
    const s = setup();
    sendVideo(s, 0, 3000); // pictures all along: only the sound pauses
    s.mocks.take();
    const arrivals = sendAudio(s, config, rate, 3000, 4000);
    const lastArrival = arrivals[arrivals.length - 1];
    s.mocks.runTo(lastArrival + AUDIO_GAP_MS);
    const sound = s.mocks.take('audio');
    // Silence only before their sound began (own silence ran from the start), none while it played.
    expect(sound.filter((l) => l.startsWith('silence') && Number(l.split('@')[1]) >= 3000)).toEqual([]);
    s.mocks.runTo(6000);
    const filled = s.mocks.take('audio');
    expect(filled.length).toBeGreaterThan(0);
    expect(filled.every((l) => l.startsWith(`${silence}@`))).toBe(true); // no new AudioSpecificConfig: the same one
    const stamps = filled.map((l) => Number(l.split('@')[1]));
    expect(stamps[0]).toBeGreaterThan(Number(sound[sound.length - 1].split('@')[1]));
    expect(stamps[stamps.length - 1]).toBeGreaterThan(6000 - 2 * ((1024 * 1000) / rate));
    const steps = stamps.slice(1).map((ts, i) => ts - stamps[i]);
    const frameMs = (1024 * 1000) / rate;
    expect(steps.every((d) => d >= Math.floor(frameMs) && d <= Math.ceil(frameMs))).toBe(true);

    // The glasses speak again: their frames carry on from the silence, still in order.
    s.mocks.runTo(6010);
    s.sut.input('audio', 0, aac(200));
    const resumed = s.mocks.take('audio');
    expect(resumed).toHaveLength(1);
    expect(Number(resumed[0].split('@')[1])).toBeGreaterThan(stamps[stamps.length - 1]);
  });

  it('fills the sound with its own silence (48 kHz stereo) when the glasses never sent any', () => {
    const s = setup();
    sendVideo(s, 0, 2000);
    const sound = s.mocks.written.filter((t) => t.kind === 'audio');
    expect(sound[0]).toEqual({ kind: 'audio', timestampMs: expect.any(Number), data: OWN_SILENCE.config });
    expect(sound.slice(1).every((t) => t.data.equals(OWN_SILENCE.frame))).toBe(true);
    const stamps = sound.slice(1).map((t) => t.timestampMs);
    expect(sound[0].timestampMs).toBe(stamps[0]);
    // From the first tick past 500 ms on, 21.33 ms a frame, up to the clock.
    expect(stamps[0]).toBeLessThanOrEqual(AUDIO_GAP_MS + TICK_MS);
    expect(stamps.slice(1).every((ts, i) => ts - stamps[i] === 21 || ts - stamps[i] === 22)).toBe(true);
    expect(stamps[stamps.length - 1]).toBeGreaterThan(1967 - 22 - TICK_MS);
  });

  it('makes its silence without waiting for the slate to be rendered', () => {
    const s = setup({ slate: null });
    sendVideo(s, 0, 2000);
    const sound = s.mocks.written.filter((t) => t.kind === 'audio');
    expect(sound[0]).toEqual({ kind: 'audio', timestampMs: 0, data: OWN_SILENCE.config });
    expect(sound.length).toBeGreaterThan(80); // from 0, 21.33 ms a frame
  });
});

describe('OutputClock.primeNewEncoder', () => {
  it('writes the configuration and the cached GOP squeezed just before now, and returns its first timestamp', () => {
    const s = setup({ slate: null });
    sendVideo(s, 0, 1000, { gop: 15 }); // frames 0..29 at 0..967, keyframes at frames 0 and 15
    s.mocks.runTo(1400);
    s.mocks.take();
    const first = s.sut.primeNewEncoder();
    expect(first).toBe(1400 - 15);
    // Before AUDIO_START_WAIT_MS there is no sound of any kind yet: no audio configuration to repeat.
    expect(s.mocks.take()).toEqual([
      'sps@1385',
      ...Array.from({ length: 15 }, (_, i) => `${i === 0 ? 'K' : 'P'}${15 + i}@${1385 + i}`),
    ]);
  });

  it('writes both configurations first and never goes back behind what it wrote', () => {
    const s = setup();
    sendVideo(s, 0, 1000, { gop: 15 });
    const sent = sendAudio(s, MONO_44K, 44100, 1000, 1500);
    s.mocks.runTo(1500);
    const lastAudio = Math.max(...audioTs(s.mocks.written));
    const lastVideo = Math.max(...videoTs(s.mocks.written));
    s.mocks.take();
    const first = s.sut.primeNewEncoder();
    expect(sent.length).toBeGreaterThan(0);
    // Pictures go on from the last picture or squeeze in just before now; the sound carries on as it was.
    expect(first).toBe(Math.max(lastVideo + 1, 1500 - 15));
    expect(lastAudio).toBeGreaterThan(0);
    const primed = s.mocks.take();
    expect(primed.slice(0, 3)).toEqual([`asc44@${first}`, `sps@${first}`, `K15@${first}`]);
    expect(primed).toHaveLength(2 + 15);

    // What follows carries on after the primed pictures.
    s.sut.input('video', 0, avcFrame(false, 99));
    expect(videoTs(s.mocks.written)[0]).toBeGreaterThan(first + 14);
  });

  it('on the slate: its configurations and a slate picture at the first timestamp', () => {
    const s = setup();
    sendVideo(s, 0, 1000);
    s.sut.publisherLeft();
    s.mocks.runTo(1350);
    s.mocks.take();
    const first = s.sut.primeNewEncoder();
    expect(s.mocks.take()).toEqual([`own-asc48@${first}`, `slate-sps@${first}`, `slate@${first}`]);
  });
});
