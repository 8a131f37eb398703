// One stream under measurement: the glasses (an `ffmpeg -re -c copy` replay of the dirty file)
// publishing through an RTMP tap, the destinations' recordings and the HLS playlist being
// followed, and the stream's processes being sampled. Times are performance.now() values.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { rtmpAppPathOptions } from '../../relay/testkit/rtmp-app-path';
import { startProcess, type ManagedProcess } from '../../relay/testkit/child-process';
import { replayFileArgs } from '../../relay/testkit/ffmpeg-args';
import { FlvFollower, HlsFollower } from './flv-follower';
import { fingerprintFile, LatencySample, matchFrames, writeVideoExcerpt } from './frame-latency';
import { ProcessSampler } from './process-sampler';
import { RtmpTap, startRtmpTap } from './rtmp-tap';

export interface DestinationProbe {
  name: string;
  /** The file the sink records this destination's publish to. */
  recording: string;
  follower: FlvFollower;
}

export interface MeasuredStreamOptions {
  label: string;
  /** The RTMP server the glasses publish to (the tap sits in front of it). */
  ingestPort: number;
  /** rtmp://host:port/app/name?query as the glasses would use it; host and port are replaced by the tap's. */
  ingestUrl: string;
  hlsPlaylist: string | null;
  destinations: { name: string; recording: string }[];
  /** Where the followers keep their copies of the video. */
  scratchDir: string;
  /** The stream's processes now (pid -> label). */
  processes: () => Map<number, string>;
  sampleIntervalMs?: number;
}

export class MeasuredStream {
  readonly label: string;
  readonly destinations: DestinationProbe[];
  readonly hls: HlsFollower | null;
  readonly sampler: ProcessSampler;
  private tap: RtmpTap | null = null;
  private publisher: ManagedProcess | null = null;

  constructor(private readonly options: MeasuredStreamOptions) {
    this.label = options.label;
    this.destinations = options.destinations.map((d) => ({
      ...d,
      follower: new FlvFollower(d.recording, path.join(options.scratchDir, safeName(`${options.label}-${d.name}-video.bin`))),
    }));
    this.hls = options.hlsPlaylist ? new HlsFollower(options.hlsPlaylist) : null;
    this.sampler = new ProcessSampler(options.processes, options.sampleIntervalMs);
  }

  /** When the glasses connected: "publish start". */
  get publishStartedAt(): number | null {
    return this.tap?.connectedAt ?? null;
  }

  get tapError(): string | null {
    return this.tap?.parseError ?? null;
  }

  /** When each video frame left the tap for the ingest (performance.now()). */
  get videoSentAt(): readonly number[] {
    return this.tap?.videoSentAt ?? [];
  }

  get publisherRunning(): boolean {
    return this.publisher?.isRunning() ?? false;
  }

  publisherError(): string {
    return this.publisher?.stderrTail().trim() ?? '';
  }

  async prepare(): Promise<void> {
    this.tap = await startRtmpTap(this.options.ingestPort);
    this.sampler.start();
  }

  /** Starts the glasses: the dirty file replayed in real time through the tap. */
  publish(file: string): void {
    if (!this.tap) throw new Error('prepare() first');
    const url = new URL(this.options.ingestUrl);
    url.host = `127.0.0.1:${this.tap.port}`;
    const target = url.toString();
    const args = replayFileArgs(file, target);
    // FFmpeg would take `live/{user}` as the application of live/{user}/{stream}: spell it out, as the relay does.
    args.splice(args.length - 1, 0, ...rtmpAppPathOptions(target));
    this.publisher = startProcess('ffmpeg', args);
  }

  poll(now = performance.now()): void {
    for (const destination of this.destinations) destination.follower.poll(now);
    this.hls?.poll(now);
  }

  /** Seconds from publish start to `at`, or null. */
  since(at: number | null): number | null {
    const start = this.publishStartedAt;
    return at === null || start === null ? null : (at - start) / 1000;
  }

  async stopPublishing(): Promise<void> {
    await this.publisher?.stop(3000);
  }

  async close(): Promise<void> {
    this.sampler.stop();
    for (const destination of this.destinations) destination.follower.close();
    await this.stopPublishing();
    await this.tap?.close();
  }

  /**
   * Glass-to-destination latency of the frames that reached `destination` between `fromAt` and
   * `toAt` (see frame-latency.ts); null when the tap could not follow the publish.
   */
  async latency(
    destination: DestinationProbe,
    inputPrints: readonly Buffer[],
    scratchDir: string,
    range: { fromAt?: number; toAt?: number } = {},
    signal?: AbortSignal,
  ): Promise<{ samples: LatencySample[]; unmatched: number } | null> {
    if (!this.tap || this.tap.parseError !== null || this.tap.videoSentAt.length === 0) return null;
    const excerpt = path.join(scratchDir, safeName(`${this.label}-${destination.name}-excerpt.flv`));
    const byOffset = writeVideoExcerpt(destination.follower.videoCopy, destination.follower.video, excerpt, range);
    if (byOffset.size === 0) return { samples: [], unmatched: 0 };
    const decoded = await fingerprintFile(excerpt, undefined, signal);
    const arrived = decoded.prints.flatMap((print, i) => {
      const tag = byOffset.get(decoded.pos[i]);
      return tag ? [{ arrivedAt: tag.arrivedAt, print }] : [];
    });
    const result = matchFrames({ inputPrints, sentAt: this.tap.videoSentAt, arrived });
    const inRange = result.samples.filter((s) => s.sentAt + s.latencyMs >= (range.fromAt ?? -Infinity));
    return { samples: inRange, unmatched: result.unmatched };
  }
}

function safeName(name: string): string {
  return name.replace(/[^\w.-]+/g, '_');
}
