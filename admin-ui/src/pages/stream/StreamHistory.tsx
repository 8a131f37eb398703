import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { api, errorMessage } from '../../api';
import { GRADE_BADGE } from '../../components/StreamStats';
import { Notice } from '../../components/Notice';
import type { AdminStreamHistory, IngestHealth } from '../../types';
import { historySeries } from './history-series';

const StreamHistoryCharts = lazy(() => import('./StreamHistoryCharts'));

/** New samples come at most every 5 s, so polling at that pace keeps the charts live. */
const POLL_MS = 5000;

interface Props {
  streamPath: string;
  live: boolean;
  ingest: IngestHealth | null;
}

/** The last 30 minutes of the stream's bitrate, frame rate and uplink grade, and the uplink's grade now. */
export function StreamHistory({ streamPath, live, ingest }: Props) {
  const [history, setHistory] = useState<AdminStreamHistory | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setHistory(await api.get<AdminStreamHistory>(`${streamPath}/history?minutes=30`));
      setProblem(null);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  }, [streamPath]);

  useEffect(() => {
    void load();
    if (!live) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [load, live]);

  const series = useMemo(() => (history ? historySeries(history) : null), [history]);

  return (
    <section aria-labelledby="history-title" className="stream-history">
      <h2 id="history-title">Last 30 minutes</h2>
      {ingest && live ? (
        <p className="uplink-now" aria-label="Uplink grade">
          <span className={`badge ${GRADE_BADGE[ingest.grade]}`}>uplink {ingest.grade}</span> {ingest.reason}
        </p>
      ) : null}
      {problem ? <Notice kind="error">Could not load the history: {problem}</Notice> : null}
      {!series || !history ? (
        problem ? null : (
          <p>Loading…</p>
        )
      ) : series.time.length === 0 ? (
        <p className="empty">No figures yet: the relay reports them every few seconds while the glasses publish.</p>
      ) : (
        <Suspense fallback={<p>Loading charts…</p>}>
          <StreamHistoryCharts series={series} intervalSeconds={history.intervalSeconds} />
        </Suspense>
      )}
    </section>
  );
}
