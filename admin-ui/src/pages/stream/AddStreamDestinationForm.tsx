import { FormEvent, useEffect, useState } from 'react';
import { api, ApiError, errorMessage, listOf } from '../../api';
import { Field } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { checkDestination, DestinationErrors, hasErrors } from '../../destination-form';
import { maskedKey } from '../../format';
import type { AdminApp, AdminStream, SavedDestination } from '../../types';

interface Props {
  streamPath: string;
  stream: AdminStream;
  apps: AdminApp[];
  onAdded: () => Promise<void>;
}

/** Attaches a destination to a live stream: one of the user's saved destinations, or a new URL and key. */
export function AddStreamDestinationForm({ streamPath, stream, apps, onAdded }: Props) {
  const [appId, setAppId] = useState(stream.appIds[0] ?? '');
  const [mode, setMode] = useState<'saved' | 'new'>('saved');
  const [saved, setSaved] = useState<SavedDestination[] | null>(null);
  const [savedId, setSavedId] = useState('');
  const [draft, setDraft] = useState({ name: '', ingestUrl: '', streamKey: '' });
  const [errors, setErrors] = useState<DestinationErrors & { savedId?: string }>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const attached = new Set(stream.destinations.map((destination) => destination.savedDestinationId));

  useEffect(() => {
    if (!appId) return;
    setSaved(null);
    api
      .get<unknown>(`/apps/${encodeURIComponent(appId)}/destinations?userId=${encodeURIComponent(stream.userId)}`)
      .then((value) => {
        const list = listOf<SavedDestination>(value, 'destinations');
        setSaved(list);
        setSavedId(list.find((destination) => !attached.has(destination.id))?.id ?? list[0]?.id ?? '');
        if (list.length === 0) setMode('new');
      })
      .catch((error: unknown) => setProblem(errorMessage(error)));
    // Re-read when the app changes or a destination was attached (the suggestion skips attached ones).
  }, [appId, stream.userId, stream.destinations]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    let body: Record<string, string>;
    if (mode === 'saved') {
      if (!savedId) {
        setErrors({ savedId: 'Choose a saved destination.' });
        return;
      }
      body = { appId, savedDestinationId: savedId };
    } else {
      const found = checkDestination(draft, { keyRequired: true });
      setErrors(found);
      if (hasErrors(found)) return;
      body = { appId, name: draft.name.trim(), url: draft.ingestUrl.trim(), streamKey: draft.streamKey };
    }
    setErrors({});
    setBusy(true);
    try {
      await api.post(`${streamPath}/destinations`, body);
      setDraft({ name: '', ingestUrl: '', streamKey: '' });
      await onAdded();
    } catch (failure) {
      if (failure instanceof ApiError) {
        setErrors({
          name: failure.issueFor('name'),
          ingestUrl: failure.issueFor('url'),
          streamKey: failure.issueFor('streamKey'),
        });
      }
      setProblem(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={(event) => void submit(event)} aria-labelledby="attach-title" noValidate>
      <h3 id="attach-title">Add a destination to this stream</h3>
      <Field label="On behalf of app">
        {(props) => (
          <select {...props} value={appId} onChange={(event) => setAppId(event.target.value)}>
            {stream.appIds.map((id) => (
              <option key={id} value={id}>
                {apps.find((app) => app.id === id)?.name ?? id}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset className="segmented">
        <legend>Destination</legend>
        <label>
          <input type="radio" name="attach-mode" checked={mode === 'saved'} onChange={() => setMode('saved')} />
          Saved destination
        </label>
        <label>
          <input type="radio" name="attach-mode" checked={mode === 'new'} onChange={() => setMode('new')} />
          New URL and key
        </label>
      </fieldset>
      {mode === 'saved' ? (
        <Field
          label="Saved destination"
          error={errors.savedId}
          hint={saved?.length === 0 ? `${stream.userId} has no saved destinations in this app.` : undefined}
        >
          {(props) => (
            <select {...props} value={savedId} onChange={(event) => setSavedId(event.target.value)} disabled={!saved?.length}>
              {saved === null ? <option value="">Loading…</option> : null}
              {saved?.map((destination) => (
                <option key={destination.id} value={destination.id}>
                  {destination.name} — {destination.url} ({maskedKey(destination.streamKeyMasked)})
                  {attached.has(destination.id) ? ' · already on this stream' : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <>
          <Field label="Name" error={errors.name}>
            {(props) => <input {...props} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />}
          </Field>
          <Field label="Ingest URL" error={errors.ingestUrl} hint="rtmp:// or rtmps:// URL without the key.">
            {(props) => (
              <input
                {...props}
                inputMode="url"
                spellCheck={false}
                value={draft.ingestUrl}
                onChange={(e) => setDraft({ ...draft, ingestUrl: e.target.value })}
              />
            )}
          </Field>
          <Field label="Stream key" error={errors.streamKey}>
            {(props) => (
              <input
                {...props}
                type="password"
                autoComplete="off"
                value={draft.streamKey}
                onChange={(e) => setDraft({ ...draft, streamKey: e.target.value })}
              />
            )}
          </Field>
        </>
      )}
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <button type="submit" className="button-primary" disabled={busy || !appId}>
        Add to stream
      </button>
    </form>
  );
}
