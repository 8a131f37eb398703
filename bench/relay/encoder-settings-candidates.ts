// The candidate encoder settings: each is buildEncoderArgs' list with a change. `today` pins the
// settings of commit 71dcce7 (veryfast, zerolatency, CBR-ish VBV, x264's default threads) whatever
// buildEncoderArgs does now, and every other candidate starts from it; `current` is buildEncoderArgs
// untouched, to check the chosen settings after they were adopted.
import type { StreamQuality } from '../../relay/protocol/relay-protocol.schemas';

export interface Candidate {
  name: string;
  description: string;
  apply(args: readonly string[], quality: StreamQuality): string[];
}

/** The video bitrates of commit 71dcce7. */
const TODAY_KBPS: Readonly<Record<StreamQuality, number>> = { '480p': 1200, '720p': 2500, '1080p': 4500 };
/** Flags a candidate may add; `today` removes them. */
const ADDED_FLAGS = ['-threads', '-x264-params', '-crf', '-sws_flags'];

/** Sets an output option (inserted before the tee's `-flags` when absent). */
function set(args: readonly string[], flag: string, value: string): string[] {
  const out = [...args];
  const at = out.indexOf(flag);
  if (at >= 0) out[at + 1] = value;
  else out.splice(out.indexOf('-flags'), 0, flag, value);
  return out;
}

function remove(args: readonly string[], flag: string): string[] {
  const out = [...args];
  const at = out.indexOf(flag);
  if (at >= 0) out.splice(at, 2);
  return out;
}

function scaleFlags(args: readonly string[], flags: string): string[] {
  const at = args.indexOf('-vf');
  return set(
    args,
    '-vf',
    args[at + 1].replace('force_original_aspect_ratio=decrease', `force_original_aspect_ratio=decrease:flags=${flags}`),
  );
}

function today(args: readonly string[], quality: StreamQuality): string[] {
  let out = ADDED_FLAGS.reduce((acc, flag) => remove(acc, flag), [...args]);
  const kbps = `${TODAY_KBPS[quality]}k`;
  out = set(set(out, '-preset', 'veryfast'), '-tune', 'zerolatency');
  out = set(set(set(out, '-b:v', kbps), '-maxrate', kbps), '-bufsize', kbps);
  const vf = out.indexOf('-vf');
  out[vf + 1] = out[vf + 1].replace(/:flags=[a-z_]+/, '');
  return out;
}

function candidate(name: string, description: string, change: (args: string[], quality: StreamQuality) => string[]): Candidate {
  return { name, description, apply: (args, quality) => change(today(args, quality), quality) };
}

export const CANDIDATES: readonly Candidate[] = [
  candidate('today', 'commit 71dcce7: -preset veryfast -tune zerolatency, -b:v = -maxrate = -bufsize, default threads', (a) => a),
  { name: 'current', description: 'buildEncoderArgs as it is now', apply: (args) => [...args] },
  candidate('threads1', 'today + -threads 1', (a) => set(a, '-threads', '1')),
  candidate('threads2', 'today + -threads 2', (a) => set(a, '-threads', '2')),
  candidate('superfast', 'today with -preset superfast', (a) => set(a, '-preset', 'superfast')),
  candidate('ultrafast', 'today with -preset ultrafast', (a) => set(a, '-preset', 'ultrafast')),
  candidate('no-zerolatency', 'today without -tune zerolatency (lookahead, B-frames, frame threads)', (a) => remove(a, '-tune')),
  candidate('frame-threads', 'today + -x264-params sliced-threads=0 (frame threads, a few frames of delay)', (a) =>
    set(a, '-x264-params', 'sliced-threads=0'),
  ),
  candidate('me-dia', 'today + -x264-params me=dia', (a) => set(a, '-x264-params', 'me=dia')),
  candidate('subme1', 'today + -x264-params subme=1', (a) => set(a, '-x264-params', 'subme=1')),
  candidate('fast-bilinear', 'today with scale flags=fast_bilinear', (a) => scaleFlags(a, 'fast_bilinear')),
  candidate('bilinear', 'today with scale flags=bilinear', (a) => scaleFlags(a, 'bilinear')),
  candidate('crf23', 'today with -crf 23 instead of -b:v (capped by -maxrate/-bufsize)', (a) =>
    set(remove(a, '-b:v'), '-crf', '23'),
  ),
  candidate('superfast-threads1', 'today with -preset superfast -threads 1', (a) =>
    set(set(a, '-preset', 'superfast'), '-threads', '1'),
  ),
  candidate('ultrafast-threads1', 'today with -preset ultrafast -threads 1', (a) =>
    set(set(a, '-preset', 'ultrafast'), '-threads', '1'),
  ),
  candidate('superfast-threads1-bilinear', 'today with -preset superfast -threads 1, scale flags=bilinear', (a) =>
    scaleFlags(set(set(a, '-preset', 'superfast'), '-threads', '1'), 'bilinear'),
  ),
  candidate('superfast-threads1-fast-bilinear', 'today with -preset superfast -threads 1, scale flags=fast_bilinear', (a) =>
    scaleFlags(set(set(a, '-preset', 'superfast'), '-threads', '1'), 'fast_bilinear'),
  ),
  candidate('superfast-threads1-crf23', 'today with -preset superfast -threads 1 -crf 23 (capped)', (a) =>
    set(set(set(remove(a, '-b:v'), '-crf', '23'), '-preset', 'superfast'), '-threads', '1'),
  ),
];

/** The quality yardstick: the same chain, lossless (x264 -qp 0, no profile or bitrate limits). */
export const losslessReference: Candidate = {
  name: 'lossless',
  description: 'x264 -qp 0 through the same chain',
  apply: (args) => {
    let out = ['-profile:v', '-level:v', '-b:v', '-maxrate', '-bufsize', '-tune'].reduce((acc, f) => remove(acc, f), [...args]);
    out = set(set(out, '-preset', 'ultrafast'), '-qp', '0');
    return out;
  },
};
