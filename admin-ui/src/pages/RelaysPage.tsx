import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage, listOf } from '../api';
import { ConfirmButton } from '../components/ConfirmButton';
import { Notice } from '../components/Notice';
import { StatusBadge } from '../components/StatusBadge';
import { formatDuration, loadPercent } from '../format';
import type { AdminRelay } from '../types';

const REFRESH_MS = 10_000;

/** The relay fleet: who is alive, how loaded, how long since each last reported. */
export function RelaysPage() {
  const [relays, setRelays] = useState<AdminRelay[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setRelays(listOf<AdminRelay>(await api.get<unknown>('/relays'), 'relays'));
      setProblem(null);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  }, []);

  const drain = useCallback(
    async (id: string) => {
      try {
        await api.post<unknown>(`/relays/${encodeURIComponent(id)}/drain`);
        await load();
      } catch (error) {
        setProblem(errorMessage(error));
      }
    },
    [load],
  );

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <section aria-labelledby="relays-title">
      <h1 id="relays-title">Relays</h1>
      <p className="muted">Refreshed every {REFRESH_MS / 1000} seconds.</p>
      {problem ? <Notice kind="error">Could not load the relays: {problem}</Notice> : null}
      {relays === null && !problem ? <p>Loading…</p> : null}
      {relays?.length === 0 ? <p className="empty">No relays have registered yet.</p> : null}
      {relays && relays.length > 0 ? (
        <table className="responsive-table">
          <caption className="visually-hidden">Relay fleet</caption>
          <thead>
            <tr>
              <th scope="col">Relay</th>
              <th scope="col">State</th>
              <th scope="col">Region</th>
              <th scope="col">Load</th>
              <th scope="col">Live streams</th>
              <th scope="col">Last heartbeat</th>
              <th scope="col">RTMP / HLS</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {relays.map((relay) => {
              const percent = loadPercent(relay.load, relay.capacity);
              return (
                <tr key={relay.id}>
                  <th scope="row" data-label="Relay" className="mono">
                    {relay.id}
                  </th>
                  <td data-label="State">
                    <StatusBadge status={relay.state} />
                  </td>
                  <td data-label="Region">{relay.region ?? '—'}</td>
                  <td data-label="Load">
                    <meter
                      min={0}
                      max={relay.capacity || 1}
                      value={relay.load}
                      high={relay.capacity * 0.8}
                      optimum={0}
                      aria-label={`Load of ${relay.id}`}
                    >
                      {percent}%
                    </meter>{' '}
                    {relay.load} / {relay.capacity}
                  </td>
                  <td data-label="Live streams">{relay.liveStreams}</td>
                  <td data-label="Last heartbeat">
                    {relay.heartbeatAgeSeconds === null ? 'never' : `${formatDuration(relay.heartbeatAgeSeconds)} ago`}
                  </td>
                  <td data-label="RTMP / HLS" className="mono small">
                    {relay.rtmpUrl}
                    <br />
                    {relay.hlsBaseUrl}
                  </td>
                  <td data-label="Actions">
                    {relay.state === 'active' ? (
                      <ConfirmButton
                        label="Drain"
                        question={`Drain ${relay.id}? It takes no new stream; its live ones move at its deadline.`}
                        confirmLabel="Drain relay"
                        onConfirm={() => drain(relay.id)}
                      />
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
