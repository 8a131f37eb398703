import { ChunkReader, encodeChunks, MessageType, setChunkSizeMessage, type RtmpMessage } from './rtmp-chunks';

const message = (overrides: Partial<RtmpMessage> = {}): RtmpMessage => ({
  csid: 6,
  typeId: MessageType.Video,
  streamId: 1,
  timestamp: 1234,
  payload: Buffer.from([...Array(300).keys()].map((i) => i % 256)),
  ...overrides,
});

describe('encodeChunks', () => {
  it('writes a type-0 header (absolute timestamp, little-endian stream id) and type-3 continuations', () => {
    const bytes = encodeChunks(message(), 128);
    expect([...bytes.subarray(0, 12)]).toEqual([6, 0, 0x04, 0xd2, 0, 0x01, 0x2c, 9, 1, 0, 0, 0]);
    expect(bytes.length).toBe(12 + 300 + 2); // two continuation basic headers
    expect(bytes[12 + 128]).toBe(0xc0 | 6);
  });

  it('uses the extended timestamp field from 0xFFFFFF on, in every chunk', () => {
    const bytes = encodeChunks(message({ timestamp: 0x0100_0000 }), 128);
    expect(bytes.readUIntBE(1, 3)).toBe(0xffffff);
    expect(bytes.readUInt32BE(12)).toBe(0x0100_0000);
    expect(bytes.readUInt32BE(12 + 4 + 128 + 1)).toBe(0x0100_0000);
  });
});

describe('ChunkReader', () => {
  it('reads back what encodeChunks wrote, even one byte at a time, honouring Set Chunk Size', () => {
    const sent = [
      setChunkSizeMessage(100),
      message({ timestamp: 5000 }),
      message({ timestamp: 3000, csid: 4, typeId: MessageType.Audio, payload: Buffer.from([1, 2, 3]) }), // backward: kept
    ];
    const wire = Buffer.concat(sent.map((m, i) => encodeChunks(m, i === 0 ? 128 : 100)));
    const reader = new ChunkReader();
    const received = [...wire].flatMap((byte) => reader.push(Buffer.from([byte])));
    expect(received).toEqual(sent);
  });

  it('follows type-1, type-2 and type-3 headers (timestamp deltas), as servers send them', () => {
    const wire = Buffer.from([
      0x03,
      0,
      0,
      10,
      0,
      0,
      2,
      20,
      0,
      0,
      0,
      0,
      0xaa,
      0xbb, // type 0: ts 10, len 2, cmd, stream 0
      0x43,
      0,
      0,
      5,
      0,
      0,
      1,
      18,
      0xcc, // type 1: +5, len 1, data
      0x83,
      0,
      0,
      7,
      0xdd, // type 2: +7, same length/type
      0xc3,
      0xee, // type 3: repeats the +7 delta
    ]);
    const received = new ChunkReader().push(wire);
    expect(received.map((m) => [m.timestamp, m.typeId, [...m.payload]])).toEqual([
      [10, 20, [0xaa, 0xbb]],
      [15, 18, [0xcc]],
      [22, 18, [0xdd]],
      [29, 18, [0xee]],
    ]);
  });

  it('rejects a chunk stream that starts without a full header', () => {
    expect(() => new ChunkReader().push(Buffer.from([0x83, 0, 0, 1]))).toThrow(/starts with a type-2 header/);
  });
});
