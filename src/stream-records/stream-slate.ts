import { DEFAULT_SLATE_TEXT, type Slate } from '../../relay/protocol/relay-protocol.schemas';

/** The reconnect window and slate as stored on a stream row. */
export interface StreamSlateColumns {
  reconnectWindowSeconds: number;
  slateText: string | null;
  slateImageUrl: string | null;
}

/** What a create request's `slate` becomes on the row: the default caption written out. */
export function slateColumns(input: { text?: string; imageUrl?: string } | undefined): {
  slateText: string;
  slateImageUrl: string | null;
} {
  return { slateText: input?.text ?? DEFAULT_SLATE_TEXT, slateImageUrl: input?.imageUrl ?? null };
}

/** The slate of a stream; rows from before slates existed have no caption stored and get the default. */
export function slateOf(row: Pick<StreamSlateColumns, 'slateText' | 'slateImageUrl'>): Slate {
  return { text: row.slateText ?? DEFAULT_SLATE_TEXT, imageUrl: row.slateImageUrl };
}

/** The host an image URL points at, without IPv6 brackets (as the host policy expects). */
export function imageUrlHost(imageUrl: string): string {
  return new URL(imageUrl).hostname.replace(/^\[|\]$/g, '');
}
