/**
 * Pure, incremental parser for FFmpeg's `-progress` output: blocks of `key=value` lines, each closed
 * by `progress=continue` (or `progress=end`, the last one). Feed it chunks as they arrive from the
 * pipe (a line may be split across chunks); it returns one snapshot per completed block.
 *
 * Quirks of FFmpeg 5.1 handled here: values may be `N/A` (the tee muxer reports no size or bitrate)
 * or padded (`speed=   1x`); `out_time_ms` is in microseconds, like `out_time_us`.
 *
 * FFmpeg prints a block only while its main loop runs: an FFmpeg blocked on a dead source or a
 * destination that stopped reading prints nothing. A watchdog should therefore fire when `outTimeMs`
 * has not advanced for a while, whether blocks stopped coming or came with the same values.
 */

export interface ProgressSnapshot {
  frame: number | null;
  fps: number | null;
  bitrateKbps: number | null;
  totalSizeBytes: number | null;
  /** Output position in milliseconds (may be fractional). */
  outTimeMs: number | null;
  dupFrames: number | null;
  dropFrames: number | null;
  /** Multiple of real time, e.g. 1.03. */
  speed: number | null;
  /** The block closed with `progress=end`: FFmpeg is finishing. */
  ended: boolean;
}

export interface ProgressParserState {
  /** An unterminated last line, kept for the next chunk. */
  readonly pending: string;
  /** The pending line grew too long to be progress output: skip up to the next newline. */
  readonly discarding: boolean;
  /** Fields of the block being read. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface ProgressFeedResult {
  state: ProgressParserState;
  snapshots: ProgressSnapshot[];
}

/** A line longer than this is not progress output; dropping it keeps memory bounded. */
const MAX_LINE_LENGTH = 1024;

export const INITIAL_PROGRESS_STATE: ProgressParserState = { pending: '', discarding: false, fields: {} };

export function feedProgress(state: ProgressParserState, chunk: string): ProgressFeedResult {
  const lines = (state.pending + chunk).split('\n');
  let pending = lines.pop() ?? '';
  let discarding = state.discarding;
  if (lines.length > 0 && discarding) {
    lines.shift(); // the rest of the overlong line
    discarding = false;
  }
  if (pending.length > MAX_LINE_LENGTH) {
    pending = '';
    discarding = true;
  }
  let fields: Record<string, string> = { ...state.fields };
  const snapshots: ProgressSnapshot[] = [];
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    const eq = line.indexOf('=');
    if (eq <= 0 || line.length > MAX_LINE_LENGTH) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'progress') {
      snapshots.push(toSnapshot(fields, value === 'end'));
      fields = {};
    } else {
      fields[key] = value;
    }
  }
  return { state: { pending, discarding, fields }, snapshots };
}

/** Convenience for a whole captured output (tests, logs). */
export function parseProgress(text: string): ProgressSnapshot[] {
  return feedProgress(INITIAL_PROGRESS_STATE, text.endsWith('\n') ? text : `${text}\n`).snapshots;
}

function toSnapshot(f: Readonly<Record<string, string>>, ended: boolean): ProgressSnapshot {
  return {
    frame: integer(f.frame),
    fps: decimal(f.fps),
    bitrateKbps: decimal(f.bitrate?.replace(/kbits\/s$/, '')),
    totalSizeBytes: integer(f.total_size),
    outTimeMs: outTimeMs(f),
    dupFrames: integer(f.dup_frames),
    dropFrames: integer(f.drop_frames),
    speed: decimal(f.speed?.replace(/x$/, '')),
    ended,
  };
}

function outTimeMs(f: Readonly<Record<string, string>>): number | null {
  const micros = integer(f.out_time_us) ?? integer(f.out_time_ms);
  if (micros !== null) return micros / 1000;
  return clockToMs(f.out_time);
}

/** `-00:00:01.500000` or `01:02:03.040000`. */
function clockToMs(value: string | undefined): number | null {
  const m = value === undefined ? null : /^(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value);
  if (!m) return null;
  const ms = (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4])) * 1000;
  return m[1] ? -ms : ms;
}

function integer(value: string | undefined): number | null {
  return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : null;
}

function decimal(value: string | undefined): number | null {
  return value !== undefined && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : null;
}
