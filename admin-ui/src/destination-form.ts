// Checks done in the browser before a destination is sent, so mistakes are explained next to the
// field at once. The server checks again (host policy, key format) and its answer wins.

export interface DestinationDraft {
  name: string;
  ingestUrl: string;
  streamKey: string;
}

export type DestinationErrors = Partial<Record<keyof DestinationDraft, string>>;

export function checkIngestUrl(value: string): string | undefined {
  const url = value.trim();
  if (!url) return 'Enter the ingest URL, e.g. rtmp://a.rtmp.youtube.com/live2.';
  if (!/^rtmps?:\/\//i.test(url)) return 'The ingest URL must start with rtmp:// or rtmps://.';
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/^rtmp(s?):/i, 'http$1:'));
  } catch {
    return 'This is not a valid URL.';
  }
  if (!parsed.hostname) return 'The ingest URL needs a host name.';
  if (/\s/.test(url)) return 'The ingest URL must not contain spaces.';
  return undefined;
}

export function checkStreamKey(value: string, required: boolean): string | undefined {
  if (!value) return required ? 'Enter the stream key from the platform’s streaming settings.' : undefined;
  if (/\s/.test(value)) return 'The stream key must not contain spaces; copy it again without them.';
  if (value.includes('/')) return 'Paste only the key, not the whole URL.';
  if (value.length > 512) return 'The stream key is too long (at most 512 characters).';
  return undefined;
}

export function checkDestination(draft: DestinationDraft, options: { keyRequired: boolean }): DestinationErrors {
  const errors: DestinationErrors = {};
  if (!draft.name.trim()) errors.name = 'Give the destination a name, e.g. “My YouTube channel”.';
  else if (draft.name.trim().length > 100) errors.name = 'The name is too long (at most 100 characters).';
  const url = checkIngestUrl(draft.ingestUrl);
  if (url) errors.ingestUrl = url;
  const key = checkStreamKey(draft.streamKey, options.keyRequired);
  if (key) errors.streamKey = key;
  return errors;
}

export function hasErrors(errors: DestinationErrors): boolean {
  return Object.values(errors).some(Boolean);
}
