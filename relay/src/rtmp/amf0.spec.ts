import { AmfError, decodeAmf0, encodeAmf0 } from './amf0';

describe('AMF0', () => {
  it('round-trips the values RTMP commands use', () => {
    const values = [
      'connect',
      1,
      { app: 'live', tcUrl: 'rtmp://h:1935/live', fpad: false, nested: { n: -2.5, none: null } },
      null,
      undefined,
      [1, 'two'],
    ];
    expect(decodeAmf0(encodeAmf0(...values))).toEqual(values);
  });

  it('encodes numbers as big-endian doubles and strings with a 16-bit length', () => {
    expect([...encodeAmf0(1)]).toEqual([0, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0]);
    expect([...encodeAmf0('ab')]).toEqual([2, 0, 2, 0x61, 0x62]);
    expect([...encodeAmf0({})]).toEqual([3, 0, 0, 9]);
  });

  it('decodes an ECMA array (onMetaData) like an object', () => {
    const ecma = Buffer.from([8, 0, 0, 0, 1, 0, 1, 0x77, 0, 0x40, 0x94, 0, 0, 0, 0, 0, 0, 0, 0, 9]);
    expect(decodeAmf0(ecma)).toEqual([{ w: 1280 }]);
  });

  it('decodes a server _result for createStream', () => {
    const reply = encodeAmf0('_result', 4, null, 1);
    expect(decodeAmf0(reply)).toEqual(['_result', 4, null, 1]);
  });

  it('rejects truncated data and unknown markers', () => {
    expect(() => decodeAmf0(encodeAmf0('hello').subarray(0, 4))).toThrow(AmfError);
    expect(() => decodeAmf0(Buffer.from([0x11]))).toThrow(/unsupported AMF0 marker 0x11/);
  });
});
