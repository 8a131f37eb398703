import { FlvStreamReader } from './flv-stream-reader';
import { serializeFlvHeader, serializeFlvTag, type FlvTag } from './flv-tags';
import { aacFrame, aacHeader, avcFrame, avcHeader } from './flv-tags.fixtures';

const TAGS: FlvTag[] = [
  { kind: 'script', timestampMs: 0, data: Buffer.from([2, 0, 10, ...Buffer.from('onMetaData')]) },
  { kind: 'video', timestampMs: 0, data: avcHeader() },
  { kind: 'audio', timestampMs: 0, data: aacHeader() },
  { kind: 'video', timestampMs: 33, data: avcFrame(true, 1) },
  { kind: 'audio', timestampMs: 21, data: aacFrame(2) },
  { kind: 'video', timestampMs: 0x0123_4567, data: avcFrame(false, 3) }, // past 24 bits: the extended byte
  { kind: 'video', timestampMs: 66, data: Buffer.alloc(70_000, 7) }, // a large picture
];

const stream = (tags: FlvTag[] = TAGS): Buffer =>
  Buffer.concat([serializeFlvHeader({ hasAudio: true, hasVideo: true }), ...tags.map(serializeFlvTag)]);

const pushAll = (reader: FlvStreamReader, chunks: Buffer[]): FlvTag[] => chunks.flatMap((chunk) => reader.push(chunk));

function chunksOf(bytes: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length];
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

describe('FlvStreamReader', () => {
  it('reads the tags of a whole stream pushed at once', () => {
    expect(new FlvStreamReader().push(stream())).toEqual(TAGS);
  });

  it('reads the same tags when the stream arrives one byte at a time', () => {
    const bytes = stream(TAGS.slice(0, 6)); // without the 70 kB picture: byte by byte re-concatenates
    const reader = new FlvStreamReader();
    const tags: FlvTag[] = [];
    for (let i = 0; i < bytes.length; i++) tags.push(...reader.push(bytes.subarray(i, i + 1)));
    expect(tags).toEqual(TAGS.slice(0, 6));
  });

  it.each([[[1, 2, 3, 5, 8, 13]], [[12]], [[13]], [[11, 4096]], [[65_536]], [[7, 100_000]]])(
    'reads the same tags whatever the chunk boundaries (%j)',
    (sizes) => {
      expect(pushAll(new FlvStreamReader(), chunksOf(stream(), sizes))).toEqual(TAGS);
    },
  );

  it('gives a tag only once it is complete, including its PreviousTagSize', () => {
    const reader = new FlvStreamReader();
    const header = serializeFlvHeader({ hasAudio: false, hasVideo: true });
    const tag = serializeFlvTag(TAGS[3]);
    expect(reader.push(header.subarray(0, 12))).toEqual([]);
    expect(reader.push(Buffer.concat([header.subarray(12), tag.subarray(0, tag.length - 1)]))).toEqual([]);
    expect(reader.push(tag.subarray(tag.length - 1))).toEqual([TAGS[3]]);
  });

  it('honours the header size the header gives', () => {
    const header = serializeFlvHeader({ hasAudio: true, hasVideo: true });
    const longer = Buffer.concat([header.subarray(0, 9), Buffer.from([0xaa, 0xbb, 0xcc]), header.subarray(9)]);
    longer.writeUInt32BE(12, 5);
    expect(new FlvStreamReader().push(Buffer.concat([longer, serializeFlvTag(TAGS[1])]))).toEqual([TAGS[1]]);
  });

  it('skips tags of unknown types', () => {
    const unknown = serializeFlvTag(TAGS[1]);
    unknown[0] = 15;
    const bytes = Buffer.concat([serializeFlvHeader({ hasAudio: true, hasVideo: true }), unknown, serializeFlvTag(TAGS[3])]);
    expect(new FlvStreamReader().push(bytes)).toEqual([TAGS[3]]);
  });

  it('copies tag data: the tags outlive the chunk they came in', () => {
    const bytes = stream([TAGS[3]]);
    const [tag] = new FlvStreamReader().push(bytes);
    bytes.fill(0);
    expect(tag.data).toEqual(avcFrame(true, 1));
  });

  it('throws on a stream that is not FLV, once it has enough bytes to tell', () => {
    const reader = new FlvStreamReader();
    expect(reader.push(Buffer.from('RIFF'))).toEqual([]);
    expect(() => reader.push(Buffer.from('....WAVEfmt '))).toThrow(/not an FLV stream/);
  });
});
