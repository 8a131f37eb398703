import { FormEvent, useState } from 'react';
import { api, ApiError, errorMessage } from '../../api';
import { AppFormErrors, draftOf, errorsFromIssues, updateAppRequest } from '../../app-form';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Notice } from '../../components/Notice';
import { formatReconnectWindow, maskedKey } from '../../format';
import type { AdminApp, AdminRotatedKey, AdminUpdatedApp } from '../../types';
import { AppSettingsFields } from './AppSettingsFields';
import type { IssuedSecrets } from './ShownOnce';

interface Props {
  app: AdminApp;
  onChanged: () => Promise<void>;
  onIssued: (issued: IssuedSecrets) => void;
}

/** One app: its settings (the webhook secret only masked), edit, and rotate key. */
export function AppRow({ app, onChanged, onIssued }: Props) {
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const path = `/apps/${encodeURIComponent(app.id)}`;
  const titleId = `app-${app.id}`;

  async function rotate() {
    setProblem(null);
    setNotice(null);
    try {
      const rotated = await api.post<AdminRotatedKey>(`${path}/rotate-key`);
      onIssued({ appName: rotated.app.name, apiKey: rotated.apiKey });
      setNotice('Key rotated: the previous key no longer works.');
    } catch (failure) {
      setProblem(errorMessage(failure));
    }
  }

  return (
    <li className="card app-card" aria-labelledby={titleId}>
      <div className="destination-head">
        <h3 id={titleId}>{app.name}</h3>
        <span className="mono muted">{app.packageName}</span>
      </div>
      <dl className="facts">
        <dt>App ID</dt>
        <dd className="mono">{app.id}</dd>
        <dt>Webhook URL</dt>
        <dd className="mono">{app.webhookUrl ?? <span className="muted">none (no webhooks)</span>}</dd>
        <dt>Webhook secret</dt>
        <dd className="mono">
          {app.webhookSecretMasked ? (
            <span aria-label={`Webhook secret ending in ${app.webhookSecretMasked.replace(/^[•*]+/, '')}`}>
              {maskedKey(app.webhookSecretMasked)}
            </span>
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
        <dt>Recordings</dt>
        <dd>{app.recordByDefault ? 'recorded by default' : 'not recorded by default'}</dd>
        <dt>Reconnect window</dt>
        <dd>{formatReconnectWindow(app.defaultReconnectWindowSeconds)}</dd>
      </dl>
      <div className="actions">
        <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          Edit settings
        </button>
        <ConfirmButton
          label="Rotate API key"
          question="The current key stops working at once. Rotate?"
          confirmLabel="Yes, rotate"
          onConfirm={rotate}
        />
      </div>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {editing ? (
        <EditAppForm
          app={app}
          onSaved={async (updated) => {
            setEditing(false);
            setNotice('Saved.');
            if (updated.webhookSecret) onIssued({ appName: updated.app.name, webhookSecret: updated.webhookSecret });
            await onChanged();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : null}
    </li>
  );
}

function EditAppForm(props: { app: AdminApp; onSaved: (updated: AdminUpdatedApp) => Promise<void>; onCancel: () => void }) {
  const [draft, setDraft] = useState(() => draftOf(props.app));
  const [errors, setErrors] = useState<AppFormErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const checked = updateAppRequest(props.app, draft);
    setErrors(checked.errors ?? {});
    if (!checked.request) return;
    setBusy(true);
    try {
      await props.onSaved(await api.patch<AdminUpdatedApp>(`/apps/${encodeURIComponent(props.app.id)}`, checked.request));
    } catch (failure) {
      if (failure instanceof ApiError) setErrors(errorsFromIssues(failure.issues));
      setProblem(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="subform" onSubmit={(event) => void submit(event)} aria-label={`Settings of ${props.app.name}`} noValidate>
      <AppSettingsFields
        draft={draft}
        errors={errors}
        onChange={setDraft}
        secretMasked={props.app.webhookSecretMasked}
        withPackageName={false}
      />
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy}>
          Save settings
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
