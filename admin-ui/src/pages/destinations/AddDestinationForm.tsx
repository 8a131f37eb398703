import { FormEvent, useEffect, useState } from 'react';
import { api, ApiError, errorMessage } from '../../api';
import { ConnectionTestReport } from '../../components/ConnectionTest';
import { Field } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { checkDestination, checkIngestUrl, DestinationErrors, hasErrors } from '../../destination-form';
import type { ConnectionTestResult, DestinationPreset } from '../../types';

const EMPTY = { name: '', ingestUrl: '', streamKey: '' };

/** Adds a saved destination from a platform preset (YouTube, Twitch) or a custom RTMP/RTMPS URL. */
export function AddDestinationForm({ appId, userId, onAdded }: { appId: string; userId: string; onAdded: () => Promise<void> }) {
  const [presets, setPresets] = useState<DestinationPreset[]>([]);
  const [presetIndex, setPresetIndex] = useState(0);
  const [draft, setDraft] = useState(EMPTY);
  const [errors, setErrors] = useState<DestinationErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [test, setTest] = useState<ConnectionTestResult | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .get<DestinationPreset[]>('/destination-presets')
      .then((list) => {
        setPresets(list);
        if (list[0]) setDraft((current) => ({ ...current, ingestUrl: list[0].ingestUrl ?? '', name: defaultName(list[0]) }));
      })
      .catch((error: unknown) => setProblem(`Could not load the platform presets: ${errorMessage(error)}`));
  }, []);

  const preset = presets[presetIndex];

  function choosePreset(index: number) {
    const next = presets[index];
    setPresetIndex(index);
    setErrors({});
    setTest(null);
    setDraft((current) => ({
      ...current,
      ingestUrl: next.ingestUrl ?? '',
      // Keep a name the user typed; replace one we filled in.
      name: presets.some((p) => defaultName(p) === current.name) || !current.name ? defaultName(next) : current.name,
    }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setSaved(null);
    const found = checkDestination(draft, { keyRequired: true });
    setErrors(found);
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      await api.post(`/apps/${encodeURIComponent(appId)}/destinations`, {
        userId,
        name: draft.name.trim(),
        platform: preset?.platform ?? 'custom',
        ingestUrl: draft.ingestUrl.trim(),
        streamKey: draft.streamKey,
      });
      setSaved(`Saved “${draft.name.trim()}”. The key is now stored encrypted and shown only as its last 4 characters.`);
      setDraft({ ...EMPTY, ingestUrl: preset?.ingestUrl ?? '', name: preset ? defaultName(preset) : '' });
      setTest(null);
      await onAdded();
    } catch (failure) {
      if (failure instanceof ApiError) {
        setErrors({
          name: failure.issueFor('name'),
          ingestUrl: failure.issueFor('ingestUrl') ?? failure.issueFor('url'),
          streamKey: failure.issueFor('streamKey'),
        });
      }
      setProblem(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  async function testConnection() {
    setTest(null);
    setProblem(null);
    setSaved(null);
    const urlError = checkIngestUrl(draft.ingestUrl);
    setErrors((current) => ({ ...current, ingestUrl: urlError }));
    if (urlError) return;
    setBusy(true);
    try {
      setTest(await api.post<ConnectionTestResult>('/destinations/test-connection', { ingestUrl: draft.ingestUrl.trim() }));
    } catch (failure) {
      setProblem(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={(event) => void submit(event)} aria-labelledby="add-destination-title" noValidate>
      <h2 id="add-destination-title">Add a destination</h2>
      <Field label="Platform">
        {(props) => (
          <select {...props} name="preset" value={presetIndex} onChange={(event) => choosePreset(Number(event.target.value))}>
            {presets.map((candidate, index) => (
              <option key={candidate.label} value={index}>
                {candidate.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Name" error={errors.name}>
        {(props) => (
          <input
            {...props}
            name="name"
            value={draft.name}
            maxLength={100}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          />
        )}
      </Field>
      <Field
        label="Ingest URL"
        error={errors.ingestUrl}
        hint={
          preset?.ingestUrl
            ? 'The platform’s ingest server; change it only if the platform told you to.'
            : 'rtmp:// or rtmps:// URL without the key.'
        }
      >
        {(props) => (
          <input
            {...props}
            name="ingestUrl"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="rtmps://live.example.com/app"
            value={draft.ingestUrl}
            onChange={(e) => setDraft({ ...draft, ingestUrl: e.target.value })}
          />
        )}
      </Field>
      <Field label="Stream key" error={errors.streamKey} hint="Typed once; afterwards only its last 4 characters are shown.">
        {(props) => (
          <input
            {...props}
            name="streamKey"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={draft.streamKey}
            onChange={(e) => setDraft({ ...draft, streamKey: e.target.value })}
          />
        )}
      </Field>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      {saved ? <Notice kind="success">{saved}</Notice> : null}
      {test ? <ConnectionTestReport result={test} /> : null}
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy}>
          Save destination
        </button>
        <button type="button" disabled={busy} onClick={() => void testConnection()}>
          Test connection
        </button>
      </div>
    </form>
  );
}

function defaultName(preset: DestinationPreset): string {
  return preset.platform === 'custom' ? '' : preset.label.replace(/\s*\(.*\)$/, '');
}
