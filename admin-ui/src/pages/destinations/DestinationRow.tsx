import { FormEvent, useState } from 'react';
import { api, ApiError, errorMessage } from '../../api';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ConnectionTestReport } from '../../components/ConnectionTest';
import { Field } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { checkIngestUrl, checkStreamKey } from '../../destination-form';
import { maskedKey } from '../../format';
import type { ConnectionTestResult, SavedDestination } from '../../types';

type Panel = 'none' | 'edit' | 'replace-key';

const PLATFORM_LABELS: Record<SavedDestination['platform'], string> = {
  youtube: 'YouTube',
  twitch: 'Twitch',
  custom: 'Custom RTMP',
};

interface Props {
  appId: string;
  destination: SavedDestination;
  onChanged: () => Promise<void>;
}

/** One saved destination: its masked key, enable switch, edit, replace key, test connection, delete. */
export function DestinationRow({ appId, destination, onChanged }: Props) {
  const [panel, setPanel] = useState<Panel>('none');
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [test, setTest] = useState<ConnectionTestResult | null>(null);
  const [busy, setBusy] = useState(false);
  const path = `/apps/${encodeURIComponent(appId)}/destinations/${encodeURIComponent(destination.id)}`;

  async function act(action: () => Promise<void>) {
    setBusy(true);
    setProblem(null);
    setNotice(null);
    try {
      await action();
    } catch (failure) {
      setProblem(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  const titleId = `destination-${destination.id}`;
  return (
    <li className="card destination" aria-labelledby={titleId}>
      <div className="destination-head">
        <h3 id={titleId}>{destination.name}</h3>
        <span className={`platform platform-${destination.platform}`}>{PLATFORM_LABELS[destination.platform]}</span>
      </div>
      <dl className="facts">
        <dt>Ingest URL</dt>
        <dd className="mono">{destination.url}</dd>
        <dt>Stream key</dt>
        <dd className="mono" aria-label={`Stream key ending in ${destination.streamKeyMasked.replace(/^[•*]+/, '')}`}>
          {maskedKey(destination.streamKeyMasked)}
        </dd>
      </dl>
      <div className="actions">
        <label className="switch">
          <input
            type="checkbox"
            checked={destination.enabled}
            disabled={busy}
            onChange={(event) => {
              const enabled = event.target.checked;
              void act(async () => {
                await api.patch(path, { enabled });
                await onChanged();
              });
            }}
          />
          Enabled
        </label>
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              setTest(null);
              setTest(
                await api.post<ConnectionTestResult>('/destinations/test-connection', { appId, destinationId: destination.id }),
              );
            })
          }
        >
          Test connection
        </button>
        <button type="button" aria-expanded={panel === 'edit'} onClick={() => setPanel(panel === 'edit' ? 'none' : 'edit')}>
          Edit
        </button>
        <button
          type="button"
          aria-expanded={panel === 'replace-key'}
          onClick={() => setPanel(panel === 'replace-key' ? 'none' : 'replace-key')}
        >
          Replace key
        </button>
        <ConfirmButton
          label="Delete"
          question={`Delete “${destination.name}”?`}
          confirmLabel="Yes, delete"
          disabled={busy}
          onConfirm={() =>
            act(async () => {
              await api.delete(path);
              await onChanged();
            })
          }
        />
      </div>
      {busy ? <p className="muted">Working…</p> : null}
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {test ? <ConnectionTestReport result={test} /> : null}
      {panel === 'edit' ? (
        <EditForm
          destination={destination}
          onSave={async (changes) => {
            await api.patch(path, changes);
            setPanel('none');
            setNotice('Saved.');
            await onChanged();
          }}
          onCancel={() => setPanel('none')}
        />
      ) : null}
      {panel === 'replace-key' ? (
        <ReplaceKeyForm
          onSave={async (streamKey) => {
            await api.patch(path, { streamKey });
            setPanel('none');
            setNotice('Key replaced. The old key is gone; the new one is shown only as its last 4 characters.');
            await onChanged();
          }}
          onCancel={() => setPanel('none')}
        />
      ) : null}
    </li>
  );
}

function EditForm(props: {
  destination: SavedDestination;
  onSave: (changes: { name: string; ingestUrl: string }) => Promise<void>;
  onCancel: () => void;
}) {
  const [name, setName] = useState(props.destination.name);
  const [ingestUrl, setIngestUrl] = useState(props.destination.url);
  const [errors, setErrors] = useState<{ name?: string; ingestUrl?: string }>({});
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = { name: name.trim() ? undefined : 'The name must not be empty.', ingestUrl: checkIngestUrl(ingestUrl) };
    setErrors(found);
    setProblem(null);
    if (found.name || found.ingestUrl) return;
    try {
      await props.onSave({ name: name.trim(), ingestUrl: ingestUrl.trim() });
    } catch (failure) {
      if (failure instanceof ApiError)
        setErrors({ name: failure.issueFor('name'), ingestUrl: failure.issueFor('ingestUrl') ?? failure.issueFor('url') });
      setProblem(errorMessage(failure));
    }
  }

  return (
    <form className="subform" onSubmit={(event) => void submit(event)} aria-label={`Edit ${props.destination.name}`} noValidate>
      <Field label="Name" error={errors.name}>
        {(field) => <input {...field} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Ingest URL" error={errors.ingestUrl}>
        {(field) => (
          <input {...field} value={ingestUrl} spellCheck={false} inputMode="url" onChange={(e) => setIngestUrl(e.target.value)} />
        )}
      </Field>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <div className="actions">
        <button type="submit" className="button-primary">
          Save changes
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ReplaceKeyForm(props: { onSave: (streamKey: string) => Promise<void>; onCancel: () => void }) {
  const [streamKey, setStreamKey] = useState('');
  const [error, setError] = useState<string | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = checkStreamKey(streamKey, true);
    setError(found);
    if (found) return;
    try {
      await props.onSave(streamKey);
    } catch (failure) {
      setError(failure instanceof ApiError ? (failure.issueFor('streamKey') ?? failure.message) : errorMessage(failure));
    }
  }

  return (
    <form className="subform" onSubmit={(event) => void submit(event)} aria-label="Replace stream key" noValidate>
      <Field label="New stream key" error={error} hint="The current key is never shown; type the new one to replace it.">
        {(field) => (
          <input
            {...field}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={streamKey}
            onChange={(e) => setStreamKey(e.target.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="button-primary">
          Replace key
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
