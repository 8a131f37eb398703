/** Test helpers: minimal FLV payloads with the bytes the classifiers look at. */

export const avcHeader = (): Buffer => Buffer.from([0x17, 0, 0, 0, 0, 1, 0x42, 0xc0, 0x1f]);
export const avcFrame = (key: boolean, marker = 0): Buffer => Buffer.from([key ? 0x17 : 0x27, 1, 0, 0, 0, marker]);
export const aacHeader = (): Buffer => Buffer.from([0xae, 0, 0x12, 0x08]);
export const aacFrame = (marker = 0): Buffer => Buffer.from([0xae, 1, marker]);
