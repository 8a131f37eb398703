/**
 * Pure: builds the output argument of FFmpeg's `tee` muxer, `[k=v:k=v]target|[k=v]target`.
 *
 * The tee muxer unescapes twice. The whole argument is split into slaves with av_get_token (`\`, `'`
 * and the separator `|` are special, and surrounding blanks are trimmed); each option value is then
 * read with av_get_token again, ending at `:` or `]`. So option values are escaped twice, targets once.
 */

export type TeeSlaveOptions = Readonly<Record<string, string>>;

export interface TeeSlave {
  options: TeeSlaveOptions;
  /** File path or URL. */
  target: string;
}

const OPTION_KEY = /^[a-z_][a-z0-9_]*$/;

export function buildTeeSpec(slaves: readonly TeeSlave[]): string {
  if (slaves.length === 0) throw new RangeError('tee needs at least one slave');
  return slaves.map(teeSlave).join('|');
}

function teeSlave({ options, target }: TeeSlave): string {
  if (target.startsWith('[')) throw new RangeError('a tee target must not start with "["');
  const spec = Object.entries(options)
    .map(([key, value]) => {
      if (!OPTION_KEY.test(key)) throw new RangeError(`bad tee option name "${key}"`);
      return `${key}=${escapeSlaveLevel(escapeOptionLevel(value))}`;
    })
    .join(':');
  return `[${spec}]${escapeSlaveLevel(target)}`;
}

/** Second pass: an option value ends at `:` or `]`. */
function escapeOptionLevel(value: string): string {
  return value.replace(/[\\':\]\s]/g, (c) => `\\${c}`);
}

/** First pass: slaves are separated by `|`. */
function escapeSlaveLevel(value: string): string {
  return value.replace(/[\\'|\s]/g, (c) => `\\${c}`);
}
