import { buildC0C1, buildC2, describeForeignReply, HANDSHAKE_SIZE, readServerHandshake } from './rtmp-handshake';

const random = Buffer.alloc(HANDSHAKE_SIZE - 8, 7);

function serverReply(c1: Buffer, version = [0, 0, 0, 0], echo = true): Buffer {
  const s1 = Buffer.alloc(HANDSHAKE_SIZE, 9);
  Buffer.from(version).copy(s1, 4);
  const s2 = echo ? Buffer.from(c1) : Buffer.alloc(HANDSHAKE_SIZE, 1);
  return Buffer.concat([Buffer.from([3]), s1, s2]);
}

describe('RTMP handshake', () => {
  it('builds C0 + C1: version 3, time, zeros, then the random bytes', () => {
    const packet = buildC0C1(random, 1234);
    expect(packet.length).toBe(1 + HANDSHAKE_SIZE);
    expect(packet[0]).toBe(3);
    expect(packet.readUInt32BE(1)).toBe(1234);
    expect(packet.readUInt32BE(5)).toBe(0);
    expect(packet.subarray(9).equals(random)).toBe(true);
    expect(() => buildC0C1(Buffer.alloc(3))).toThrow(RangeError);
  });

  it('waits for all of S0 S1 S2, then reads the server version and whether S2 echoes C1', () => {
    const c1 = buildC0C1(random).subarray(1);
    const reply = serverReply(c1, [13, 14, 10, 13]);
    expect(readServerHandshake(Buffer.alloc(0), c1)).toEqual({ state: 'incomplete' });
    expect(readServerHandshake(reply.subarray(0, 2000), c1)).toEqual({ state: 'incomplete' });
    const complete = readServerHandshake(reply, c1);
    expect(complete).toMatchObject({ state: 'complete', serverVersion: '13.14.10.13', echoesC1: true });
    if (complete.state === 'complete') expect(buildC2(complete.s1).equals(reply.subarray(1, 1 + HANDSHAKE_SIZE))).toBe(true);
    expect(readServerHandshake(serverReply(c1, [0, 0, 0, 0], false), c1)).toMatchObject({
      state: 'complete',
      serverVersion: null,
      echoesC1: false,
    });
  });

  it('recognises replies that are not RTMP as soon as the first byte arrives', () => {
    const c1 = buildC0C1(random).subarray(1);
    expect(readServerHandshake(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'), c1)).toEqual({
      state: 'not-rtmp',
      reason: 'the server answered "HTTP/1.1 400 Bad Request" (an HTTP server, not an RTMP ingest), which is not RTMP',
    });
    expect(readServerHandshake(Buffer.from('SSH-2.0-OpenSSH_9.2\r\n'), c1)).toMatchObject({
      reason: 'the server answered "SSH-2.0-OpenSSH_9.2", which is not RTMP',
    });
  });

  it.each([
    [Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46]), 'it expects rtmps://'],
    [Buffer.from([0x06, 0x00, 0xff]), 'bytes 06 00 ff, not the RTMP version byte 03'],
  ])('explains %s', (bytes, expected) => expect(describeForeignReply(bytes)).toContain(expected));
});
