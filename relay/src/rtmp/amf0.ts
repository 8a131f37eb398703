/** Pure AMF0 encoding/decoding: the subset RTMP commands (connect, createStream, publish, onStatus) use. */

export type AmfValue = number | boolean | string | null | undefined | AmfObject | AmfValue[];
export interface AmfObject {
  [key: string]: AmfValue;
}

const NUMBER = 0x00;
const BOOLEAN = 0x01;
const STRING = 0x02;
const OBJECT = 0x03;
const NULL = 0x05;
const UNDEFINED = 0x06;
const ECMA_ARRAY = 0x08;
const OBJECT_END = 0x09;
const STRICT_ARRAY = 0x0a;
const DATE = 0x0b;
const LONG_STRING = 0x0c;

export class AmfError extends Error {}

export function encodeAmf0(...values: AmfValue[]): Buffer {
  return Buffer.concat(values.map(encodeValue));
}

function encodeValue(value: AmfValue): Buffer {
  if (value === null) return Buffer.from([NULL]);
  if (value === undefined) return Buffer.from([UNDEFINED]);
  if (typeof value === 'number') {
    const out = Buffer.alloc(9);
    out[0] = NUMBER;
    out.writeDoubleBE(value, 1);
    return out;
  }
  if (typeof value === 'boolean') return Buffer.from([BOOLEAN, value ? 1 : 0]);
  if (typeof value === 'string') {
    const text = Buffer.from(value, 'utf8');
    if (text.length > 0xffff) throw new AmfError('string too long for AMF0 short string');
    return Buffer.concat([Buffer.from([STRING]), u16(text.length), text]);
  }
  if (Array.isArray(value)) {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(value.length);
    return Buffer.concat([Buffer.from([STRICT_ARRAY]), count, ...value.map(encodeValue)]);
  }
  return Buffer.concat([Buffer.from([OBJECT]), encodeProperties(value)]);
}

function encodeProperties(object: AmfObject): Buffer {
  const parts = Object.entries(object).flatMap(([key, v]) => {
    const name = Buffer.from(key, 'utf8');
    return [u16(name.length), name, encodeValue(v)];
  });
  return Buffer.concat([...parts, Buffer.from([0, 0, OBJECT_END])]);
}

function u16(n: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(n);
  return out;
}

/** Decodes every value in the buffer (an RTMP command is a sequence of AMF0 values). */
export function decodeAmf0(buffer: Buffer): AmfValue[] {
  const values: AmfValue[] = [];
  const cursor = { offset: 0 };
  while (cursor.offset < buffer.length) values.push(decodeValue(buffer, cursor));
  return values;
}

interface Cursor {
  offset: number;
}

function decodeValue(buf: Buffer, c: Cursor): AmfValue {
  const marker = take(buf, c, 1)[0];
  switch (marker) {
    case NUMBER:
      return take(buf, c, 8).readDoubleBE(0);
    case BOOLEAN:
      return take(buf, c, 1)[0] !== 0;
    case STRING:
      return take(buf, c, take(buf, c, 2).readUInt16BE(0)).toString('utf8');
    case LONG_STRING:
      return take(buf, c, take(buf, c, 4).readUInt32BE(0)).toString('utf8');
    case OBJECT:
      return decodeProperties(buf, c);
    case ECMA_ARRAY:
      take(buf, c, 4); // approximate count; the end marker is authoritative
      return decodeProperties(buf, c);
    case STRICT_ARRAY: {
      const count = take(buf, c, 4).readUInt32BE(0);
      return Array.from({ length: count }, () => decodeValue(buf, c));
    }
    case DATE: {
      const ms = take(buf, c, 8).readDoubleBE(0);
      take(buf, c, 2); // time zone, unused
      return ms;
    }
    case NULL:
      return null;
    case UNDEFINED:
      return undefined;
    default:
      throw new AmfError(`unsupported AMF0 marker 0x${marker.toString(16)} at ${c.offset - 1}`);
  }
}

function decodeProperties(buf: Buffer, c: Cursor): AmfObject {
  const object: AmfObject = {};
  for (;;) {
    const key = take(buf, c, take(buf, c, 2).readUInt16BE(0)).toString('utf8');
    if (key === '' && buf[c.offset] === OBJECT_END) {
      c.offset++;
      return object;
    }
    object[key] = decodeValue(buf, c);
  }
}

function take(buf: Buffer, c: Cursor, length: number): Buffer {
  if (c.offset + length > buf.length) throw new AmfError(`truncated AMF0 data at ${c.offset}`);
  const out = buf.subarray(c.offset, c.offset + length);
  c.offset += length;
  return out;
}
