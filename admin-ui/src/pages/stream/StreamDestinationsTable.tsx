import { useState } from 'react';
import { api, errorMessage } from '../../api';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Notice } from '../../components/Notice';
import { StatusBadge } from '../../components/StatusBadge';
import { formatBitrate, maskedKey } from '../../format';
import type { AdminStream, LiveDestination } from '../../types';

interface Props {
  streamPath: string;
  stream: AdminStream;
  appName: (appId: string) => string;
  onChanged: () => Promise<void>;
}

/** A live stream's destinations with their state and last error; enable, disable, retry now or remove each. */
export function StreamDestinationsTable({ streamPath, stream, appName, onChanged }: Props) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const ended = stream.status === 'stopped';

  async function act(destination: LiveDestination, action: () => Promise<unknown>) {
    setBusyId(destination.id);
    setProblem(null);
    try {
      await action();
      await onChanged();
    } catch (error) {
      setProblem(`${destination.name}: ${errorMessage(error)}`);
    } finally {
      setBusyId(null);
    }
  }

  if (stream.destinations.length === 0) return <p className="empty">No destinations on this stream. Add one below.</p>;
  return (
    <>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <table className="responsive-table destinations-table">
        <caption className="visually-hidden">Destinations of this stream</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">App</th>
            <th scope="col">Ingest URL</th>
            <th scope="col">Key</th>
            <th scope="col">State</th>
            <th scope="col">Last error</th>
            <th scope="col">Attempts</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {stream.destinations.map((destination) => {
            const path = `${streamPath}/destinations/${encodeURIComponent(destination.id)}`;
            const busy = busyId === destination.id;
            return (
              <tr key={destination.id} data-destination-id={destination.id}>
                <th scope="row" data-label="Name">
                  {destination.name}
                </th>
                <td data-label="App">{appName(destination.appId)}</td>
                <td data-label="Ingest URL" className="mono">
                  {destination.url}
                </td>
                <td data-label="Key" className="mono nowrap">
                  {maskedKey(destination.streamKeyMasked)}
                </td>
                <td data-label="State" className="dest-state" aria-live="polite">
                  <StatusBadge
                    status={destination.enabled ? destination.status : 'disabled'}
                    label={destination.enabled ? destination.status : `disabled (${destination.status})`}
                  />
                  {destination.status === 'broadcasting' && destination.sent?.bitrateKbps ? (
                    <span className="muted"> {formatBitrate(destination.sent.bitrateKbps)}</span>
                  ) : null}
                </td>
                <td data-label="Last error" className="dest-error">
                  {destination.lastError ? `${destination.lastError.code}: ${destination.lastError.message}` : '—'}
                </td>
                <td data-label="Attempts">
                  {destination.attempts}
                  {destination.nextRetryAt ? ` (next ${new Date(destination.nextRetryAt).toLocaleTimeString()})` : ''}
                </td>
                <td data-label="Actions" className="actions">
                  <button
                    type="button"
                    disabled={busy || ended}
                    aria-label={`${destination.enabled ? 'Disable' : 'Enable'} ${destination.name}`}
                    onClick={() => void act(destination, () => api.patch(path, { enabled: !destination.enabled }))}
                  >
                    {destination.enabled ? 'Disable' : 'Enable'}
                  </button>
                  {destination.enabled && (destination.status === 'retrying' || destination.status === 'failed') ? (
                    <button
                      type="button"
                      disabled={busy || ended}
                      aria-label={`Retry ${destination.name} now`}
                      onClick={() => void act(destination, () => api.post(`${path}/retry`, {}))}
                    >
                      Retry now
                    </button>
                  ) : null}
                  <ConfirmButton
                    label="Remove"
                    question={`Remove ${destination.name} from this stream?`}
                    confirmLabel="Yes, remove"
                    disabled={busy || ended}
                    onConfirm={() => act(destination, () => api.delete(path))}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
