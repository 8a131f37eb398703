import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorMessage, listOf } from '../api';
import { Notice } from '../components/Notice';
import { StatusBadge } from '../components/StatusBadge';
import { StreamStats } from '../components/StreamStats';
import { useCoalescedRefresh } from '../hooks';
import { useLiveConnection, useStreamEvents } from '../live-events';
import { Link } from '../router';
import { applyStreamEvent } from '../stream-updates';
import type { AdminStream } from '../types';

/** Every stream the service carries, updated live from the event stream. */
export function StreamsPage() {
  const [filter, setFilter] = useState<'live' | 'all'>('live');
  const [streams, setStreams] = useState<AdminStream[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setStreams(listOf<AdminStream>(await api.get<unknown>(`/streams?status=${filter}`), 'streams'));
      setProblem(null);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  }, [filter]);
  const refresh = useCoalescedRefresh(load);
  // After the live feed (re)connects, catch up on whatever happened while it was down.
  const connection = useLiveConnection();
  useEffect(() => {
    if (connection === 'live') refresh();
  }, [connection, refresh]);

  useEffect(() => {
    void load();
  }, [load]);

  // Events are applied to the latest list even when several arrive before React re-renders.
  const shown = useRef(streams);
  shown.current = streams;
  useStreamEvents((event) => {
    if (!shown.current) return;
    const applied = applyStreamEvent(shown.current, event);
    shown.current = applied.streams;
    setStreams(applied.streams);
    if (applied.needsRefresh) refresh();
  });

  return (
    <section aria-labelledby="streams-title">
      <div className="page-head">
        <h1 id="streams-title">Live streams</h1>
        <fieldset className="segmented">
          <legend className="visually-hidden">Which streams</legend>
          <label>
            <input type="radio" name="filter" value="live" checked={filter === 'live'} onChange={() => setFilter('live')} />
            Live
          </label>
          <label>
            <input type="radio" name="filter" value="all" checked={filter === 'all'} onChange={() => setFilter('all')} />
            All recent
          </label>
        </fieldset>
      </div>
      {problem ? <Notice kind="error">Could not load the streams: {problem}</Notice> : null}
      {streams === null && !problem ? <p>Loading…</p> : null}
      {streams?.length === 0 ? (
        <p className="empty">{filter === 'live' ? 'No live streams right now.' : 'No streams yet.'}</p>
      ) : null}
      <ul className="stream-list" aria-label="Streams">
        {streams?.map((stream) => (
          <li key={stream.id} className="card stream-card" aria-labelledby={`stream-${stream.id}`}>
            <div className="stream-card-head">
              <h2 id={`stream-${stream.id}`}>
                <Link href={`/admin/streams/${encodeURIComponent(stream.id)}`}>{stream.userId}</Link>
              </h2>
              <StatusBadge status={stream.status} />
            </div>
            <p className="muted mono small">{stream.id}</p>
            {stream.statusReason ? <p className="muted">{stream.statusReason}</p> : null}
            <StreamStats stream={stream} />
            <h3 className="small-heading">Destinations</h3>
            {stream.destinations.length === 0 ? <p className="muted">None</p> : null}
            <ul className="dest-states" aria-label={`Destinations of ${stream.userId}`}>
              {stream.destinations.map((destination) => (
                <li key={destination.id} data-destination-id={destination.id}>
                  <span className="dest-name">{destination.name}</span>
                  <StatusBadge status={destination.enabled ? destination.status : 'disabled'} />
                  {destination.lastError ? (
                    <span className="dest-error">
                      {destination.lastError.code}: {destination.lastError.message}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
            <p>
              <Link className="button" href={`/admin/streams/${encodeURIComponent(stream.id)}`}>
                Open stream
              </Link>
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
