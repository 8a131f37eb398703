import { formatBitrate, formatDuration, formatNumber, formatTime, uptimeSeconds } from '../format';
import { useNow } from '../hooks';
import type { AdminStream } from '../types';

export const GRADE_BADGE = { good: 'badge-good', degraded: 'badge-warn', poor: 'badge-bad' } as const;

/** Strategy, transport and the encoder's numbers for one stream. */
export function StreamStats({ stream }: { stream: AdminStream }) {
  const now = useNow();
  const live = !['stopping', 'stopped'].includes(stream.status);
  return (
    <dl className="stats">
      <div>
        <dt>Strategy</dt>
        <dd title={stream.strategyReason ?? undefined}>{stream.strategy}</dd>
      </div>
      <div>
        <dt>{stream.cloudflareLiveInputId ? 'Cloudflare input' : 'Relay'}</dt>
        <dd className="mono">{stream.cloudflareLiveInputId ?? stream.relayId ?? '—'}</dd>
      </div>
      {stream.outputMode && (
        <div>
          <dt>Output</dt>
          <dd title={stream.outputModeReason ?? undefined}>
            {stream.outputMode === 'passthrough' ? 'copied (clean input)' : 'encoded'}
          </dd>
        </div>
      )}
      {stream.ingest && (
        <div>
          <dt>Uplink</dt>
          <dd title={stream.ingest.reason}>
            <span className={`badge ${GRADE_BADGE[stream.ingest.grade]}`}>{stream.ingest.grade}</span>{' '}
            {formatNumber(stream.ingest.fpsMean)} fps (min {formatNumber(stream.ingest.fpsMin)}),{' '}
            {formatBitrate(stream.ingest.bitrateKbps)}
            {stream.ingest.keyframeIntervalSeconds !== null && `, keyframes ≤ ${stream.ingest.keyframeIntervalSeconds} s`}
            {stream.ingest.gaps > 0 && `, ${stream.ingest.gaps} gap(s)`}
            {stream.ingest.timestampJumps > 0 && `, ${stream.ingest.timestampJumps} clock jump(s)`}
          </dd>
        </div>
      )}
      <div>
        <dt>Uptime</dt>
        <dd>{formatDuration(live ? uptimeSeconds(stream.startedAt, stream.uptimeSeconds, now) : stream.uptimeSeconds)}</dd>
      </div>
      <div>
        <dt>Bitrate</dt>
        <dd>{formatBitrate(stream.bitrateKbps)}</dd>
      </div>
      <div>
        <dt>FPS</dt>
        <dd>{formatNumber(stream.fps)}</dd>
      </div>
      <div>
        <dt>Dropped frames</dt>
        <dd>{formatNumber(stream.droppedFrames)}</dd>
      </div>
      <div>
        <dt>Viewers</dt>
        <dd>{formatNumber(stream.viewers)}</dd>
      </div>
      <div>
        <dt>Stats updated</dt>
        <dd>{stream.statsUpdatedAt ? formatTime(stream.statsUpdatedAt) : '—'}</dd>
      </div>
    </dl>
  );
}
