/** Shows only the last 4 characters of a secret, never its length. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '****';
  return `****${secret.slice(-4)}`;
}
