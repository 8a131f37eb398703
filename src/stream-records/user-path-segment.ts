import { z } from 'zod';

/** How requests name the glasses user (streams, saved destinations). */
export const userIdSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .describe('The glasses user: an e-mail or any stable id');

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * Maps any userId (an e-mail, any string) to a path segment for RTMP and HLS paths.
 * Lowercase base32 of the UTF-8 bytes: only [a-z2-7], safe in URLs, file names and nginx
 * names, case-insensitive, and injective, so two users never share a path.
 */
export function userPathSegment(userId: string): string {
  const bytes = Buffer.from(userId, 'utf8');
  let bits = 0;
  let value = 0;
  let out = 'u';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function userIdFromPathSegment(segment: string): string | null {
  if (!/^u[a-z2-7]*$/.test(segment)) return null;
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of segment.slice(1)) {
    value = (value << 5) | ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  const decoded = Buffer.from(bytes).toString('utf8');
  return userPathSegment(decoded) === segment ? decoded : null;
}
