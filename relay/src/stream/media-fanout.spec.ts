import { strictFake } from '../../../test/support/strict-fake';
import type { FlvTag } from '../flv/flv-tags';
import { aacFrame, aacHeader, avcFrame, avcHeader } from '../flv/flv-tags.fixtures';
import { MediaFanout } from './media-fanout';

const meta = (ts: number, marker = 0): FlvTag => ({ kind: 'script', timestampMs: ts, data: Buffer.from([2, 0, 1, marker]) });
const videoConfig = (ts: number, data = avcHeader()): FlvTag => ({ kind: 'video', timestampMs: ts, data });
const audioConfig = (ts: number): FlvTag => ({ kind: 'audio', timestampMs: ts, data: aacHeader() });
const key = (ts: number, marker = 0): FlvTag => ({ kind: 'video', timestampMs: ts, data: avcFrame(true, marker) });
const inter = (ts: number, marker = 0): FlvTag => ({ kind: 'video', timestampMs: ts, data: avcFrame(false, marker) });
const sound = (ts: number, marker = 0): FlvTag => ({ kind: 'audio', timestampMs: ts, data: aacFrame(marker) });

function label(tag: FlvTag): string {
  if (tag.kind === 'script') return `meta${tag.data[3]}@${tag.timestampMs}`;
  if (tag.kind === 'audio') return `${tag.data[1] === 0 ? 'asc' : `a${tag.data[2]}`}@${tag.timestampMs}`;
  if (tag.data[1] === 0) return `sps${tag.data.length === avcHeader().length ? '' : '2'}@${tag.timestampMs}`;
  return `${tag.data[0] === 0x17 ? 'K' : 'P'}${tag.data[5]}@${tag.timestampMs}`;
}

function setup() {
  let now = 1000;
  const received: string[][] = [[], []];
  const sinks = received.map((list, i) =>
    strictFake<{ push(tag: FlvTag): void }>(`sink${i}`, { push: (tag) => void list.push(label(tag)) }),
  );
  const sut = new MediaFanout(
    () => sinks,
    () => now,
  );
  return { sut, mocks: { received, advance: (ms: number) => void (now += ms), now: () => now } };
}

const pushAll = (sut: MediaFanout, tags: FlvTag[]): void => tags.forEach((tag) => sut.push(tag));

describe('MediaFanout', () => {
  it('forwards every tag to every sink, in order', () => {
    const { sut, mocks } = setup();
    pushAll(sut, [meta(0), videoConfig(0), audioConfig(0), key(0, 1), sound(10, 2), inter(33, 3)]);
    const all = ['meta0@0', 'sps@0', 'asc@0', 'K1@0', 'a2@10', 'P3@33'];
    expect(mocks.received).toEqual([all, all]);
  });

  it('gives a late session the metadata, both configurations and the GOP since the last keyframe', () => {
    const { sut } = setup();
    expect(sut.startTags()).toEqual([]);
    pushAll(sut, [
      meta(0),
      audioConfig(0),
      videoConfig(0),
      key(0, 1),
      inter(33, 2),
      sound(40, 3),
      key(2000, 4),
      sound(2010, 5),
      inter(2033, 6),
    ]);
    expect(sut.startTags().map(label)).toEqual(['meta0@0', 'sps@0', 'asc@0', 'K4@2000', 'a5@2010', 'P6@2033']);
  });

  it('keeps no GOP before the first keyframe', () => {
    const { sut } = setup();
    pushAll(sut, [videoConfig(0), sound(5, 1), inter(10, 2)]);
    expect(sut.startTags().map(label)).toEqual(['sps@0']);
  });

  it('never lets a kind go back in time across an encoder restart', () => {
    const { sut, mocks } = setup();
    pushAll(sut, [meta(0), videoConfig(0), audioConfig(0), key(0, 1), sound(10, 2), inter(5000, 3), sound(5010, 4)]);
    sut.encoderRestarted();
    // The new encoder starts a little behind (its -output_ts_offset), its headers at 0.
    pushAll(sut, [meta(0), videoConfig(0), audioConfig(0), key(4990, 5), sound(4995, 6), inter(5033, 7), sound(5030, 8)]);
    const stamps = (kind: string) =>
      mocks.received[0].filter((l) => (kind === 'video' ? /^(sps|K|P)/ : /^(asc|a)/).test(l)).map((l) => Number(l.split('@')[1]));
    for (const kind of ['video', 'audio']) {
      const values = stamps(kind);
      expect(values.every((ts, i) => i === 0 || ts >= values[i - 1])).toBe(true);
    }
    expect(mocks.received[0].slice(7)).toEqual(['K5@5000', 'a6@5010', 'P7@5033', 'a8@5030']);
  });

  it('does not forward a repeated identical configuration or metadata, but keeps the latest for late sessions', () => {
    const { sut, mocks } = setup();
    pushAll(sut, [meta(0, 1), videoConfig(0), audioConfig(0), key(0, 1), inter(1000, 2)]);
    sut.encoderRestarted();
    pushAll(sut, [meta(0, 2), videoConfig(0), audioConfig(0), key(1100, 3)]);
    expect(mocks.received[0]).toEqual(['meta1@0', 'sps@0', 'asc@0', 'K1@0', 'P2@1000', 'K3@1100']);
    expect(sut.startTags().map(label)).toEqual(['meta2@0', 'sps@1000', 'asc@0', 'K3@1100']);
  });

  it('forwards a configuration that changed', () => {
    const { sut, mocks } = setup();
    const other = Buffer.concat([avcHeader(), Buffer.from([0x99])]);
    pushAll(sut, [videoConfig(0), key(0, 1), videoConfig(40, other), key(40, 2)]);
    expect(mocks.received[0]).toEqual(['sps@0', 'K1@0', 'sps2@40', 'K2@40']);
    expect(sut.startTags().map(label)).toEqual(['sps2@40', 'K2@40']);
  });

  it('counts the tags since the encoder (re)started and when the last came', () => {
    const { sut, mocks } = setup();
    expect([sut.tagsSinceStart, sut.lastTagAt]).toEqual([0, null]);
    pushAll(sut, [videoConfig(0), key(0, 1)]);
    mocks.advance(250);
    sut.push(inter(33, 2));
    expect([sut.tagsSinceStart, sut.lastTagAt]).toEqual([3, 1250]);
    sut.encoderRestarted();
    expect(sut.tagsSinceStart).toBe(0);
  });
});
