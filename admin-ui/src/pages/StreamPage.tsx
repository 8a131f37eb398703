import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, errorMessage, listOf } from '../api';
import { ConfirmButton } from '../components/ConfirmButton';
import { HlsPreview } from '../components/HlsPreview';
import { Notice } from '../components/Notice';
import { StatusBadge } from '../components/StatusBadge';
import { StreamStats } from '../components/StreamStats';
import { formatReconnectWindow } from '../format';
import { useCoalescedRefresh } from '../hooks';
import { useLiveConnection, useStreamEvents } from '../live-events';
import { Link } from '../router';
import { applyStreamEvent, mergeEvents } from '../stream-updates';
import type { AdminApp, AdminStreamDetail } from '../types';
import { AddStreamDestinationForm } from './stream/AddStreamDestinationForm';
import { EventHistory } from './stream/EventHistory';
import { StreamDestinationsTable } from './stream/StreamDestinationsTable';
import { StreamHistory } from './stream/StreamHistory';

/** One stream: preview, stats, destinations with their live state, stop, and its event history. */
export function StreamPage({ streamId }: { streamId: string }) {
  const [stream, setStream] = useState<AdminStreamDetail | null>(null);
  const [apps, setApps] = useState<AdminApp[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [stopProblem, setStopProblem] = useState<string | null>(null);
  const path = `/streams/${encodeURIComponent(streamId)}`;

  const load = useCallback(async () => {
    try {
      const detail = await api.get<AdminStreamDetail>(path);
      // Keep older events the operator paged in; the API returns the newest page.
      setStream((current) => ({ ...detail, events: mergeEvents(current?.events ?? [], detail.events ?? []) }));
      setProblem(null);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setNotFound(true);
      else setProblem(errorMessage(error));
    }
  }, [path]);
  const refresh = useCoalescedRefresh(load);
  // After the live feed (re)connects, catch up on whatever happened while it was down.
  const connection = useLiveConnection();
  useEffect(() => {
    if (connection === 'live') refresh();
  }, [connection, refresh]);

  useEffect(() => {
    setStream(null);
    setNotFound(false);
    void load();
  }, [load]);

  useEffect(() => {
    api
      .get<unknown>('/apps')
      .then((value) => setApps(listOf<AdminApp>(value, 'apps')))
      .catch(() => setApps([]));
  }, []);

  const shown = useRef(stream);
  shown.current = stream;
  useStreamEvents((event) => {
    const current = shown.current;
    if (!current || event.streamId !== streamId) return;
    const applied = applyStreamEvent([current], event);
    const next = { ...current, ...applied.streams[0], events: mergeEvents(current.events, [event]) };
    shown.current = next;
    setStream(next);
    if (applied.needsRefresh) refresh();
  });

  if (notFound) {
    return (
      <section>
        <h1>Stream not found</h1>
        <p>
          <Link href="/admin/streams">Back to the live streams</Link>
        </p>
      </section>
    );
  }
  if (!stream) return problem ? <Notice kind="error">{problem}</Notice> : <p>Loading…</p>;

  const ended = stream.status === 'stopped' || stream.status === 'stopping';
  const appName = (appId: string) => apps.find((app) => app.id === appId)?.name ?? appId;
  return (
    <section aria-labelledby="stream-title" className="stream-page">
      <p>
        <Link href="/admin/streams">← All streams</Link>
      </p>
      <div className="page-head">
        <h1 id="stream-title">
          {stream.userId} <StatusBadge status={stream.status} />
        </h1>
        {ended ? null : (
          <ConfirmButton
            label="Stop stream"
            question="Stop this stream for every app?"
            confirmLabel="Yes, stop it"
            onConfirm={async () => {
              setStopProblem(null);
              try {
                await api.post(`${path}/stop`);
                await load();
              } catch (error) {
                setStopProblem(errorMessage(error));
              }
            }}
          />
        )}
      </div>
      {stopProblem ? <Notice kind="error">Could not stop the stream: {stopProblem}</Notice> : null}
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <p className="muted mono small">
        {stream.id}
        {stream.statusReason ? ` · ${stream.statusReason}` : ''}
      </p>
      <div className="stream-overview">
        <HlsPreview url={ended ? null : stream.hlsUrl} title={stream.userId} />
        <div>
          <StreamStats stream={stream} />
          <dl className="facts">
            <dt>Apps</dt>
            <dd>{stream.appIds.map(appName).join(', ') || '—'}</dd>
            <dt>Ingest</dt>
            <dd className="mono">{stream.ingestBaseUrl ?? '—'}</dd>
            <dt>Reconnect window</dt>
            <dd>{formatReconnectWindow(stream.reconnectWindowSeconds)}</dd>
            {stream.slate ? (
              <>
                <dt>Slate</dt>
                <dd>
                  {stream.slate.text || '(no caption)'}
                  {stream.slate.imageUrl ? (
                    <>
                      {' · image '}
                      <span className="mono">{stream.slate.imageUrl}</span>
                    </>
                  ) : null}
                </dd>
              </>
            ) : null}
            {stream.strategyReason ? (
              <>
                <dt>Why this strategy</dt>
                <dd>{stream.strategyReason}</dd>
              </>
            ) : null}
          </dl>
        </div>
      </div>
      <StreamHistory streamPath={path} live={!ended} ingest={stream.ingest} />
      <h2>Destinations</h2>
      <StreamDestinationsTable streamPath={path} stream={stream} appName={appName} onChanged={load} />
      {ended ? null : <AddStreamDestinationForm streamPath={path} stream={stream} apps={apps} onAdded={load} />}
      <EventHistory
        streamPath={path}
        events={stream.events}
        onOlder={(older) =>
          setStream((current) => (current ? { ...current, events: mergeEvents(older, current.events) } : current))
        }
      />
    </section>
  );
}
