import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Signed download URLs of recordings, checked by the relay's nginx (secure_link): the API signs
 * with the secret it shares with the relays, the relay's nginx recomputes it. No app key in the URL.
 */

/** Lands in nginx.conf inside quotes: no characters nginx would read. */
export const recordingUrlSecretSchema = z.string().regex(/^[A-Za-z0-9_-]{24,128}$/, '24 to 128 letters, digits, "_" or "-"');

export const RECORDINGS_LOCATION = '/recordings/';

/** nginx's `secure_link_md5 "$secure_link_expires$uri SECRET"`, as base64url without padding. */
export function recordingUrlSignature(uriPath: string, expiresEpochSeconds: number, secret: string): string {
  return createHash('md5').update(`${expiresEpochSeconds}${uriPath} ${secret}`).digest('base64url');
}

export function signedRecordingUrl(baseUrl: string, file: string, expiresEpochSeconds: number, secret: string): string {
  const uriPath = `${RECORDINGS_LOCATION}${file}`;
  const md5 = recordingUrlSignature(uriPath, expiresEpochSeconds, secret);
  return `${baseUrl.replace(/\/+$/, '')}${uriPath}?md5=${md5}&expires=${expiresEpochSeconds}`;
}
