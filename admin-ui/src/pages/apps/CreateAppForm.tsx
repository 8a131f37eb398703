import { FormEvent, useState } from 'react';
import { api, ApiError, errorMessage } from '../../api';
import { AppFormErrors, createAppRequest, EMPTY_APP_DRAFT, errorsFromIssues } from '../../app-form';
import { Notice } from '../../components/Notice';
import type { AdminCreatedApp } from '../../types';
import { AppSettingsFields } from './AppSettingsFields';

/** Creates an app; the page shows its API key (and a generated webhook secret) once. */
export function CreateAppForm({ onCreated }: { onCreated: (created: AdminCreatedApp) => Promise<void> }) {
  const [draft, setDraft] = useState(EMPTY_APP_DRAFT);
  const [errors, setErrors] = useState<AppFormErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const checked = createAppRequest(draft);
    setErrors(checked.errors ?? {});
    if (!checked.request) return;
    setBusy(true);
    try {
      const created = await api.post<AdminCreatedApp>('/apps', checked.request);
      setDraft(EMPTY_APP_DRAFT);
      await onCreated(created);
    } catch (failure) {
      if (failure instanceof ApiError) setErrors(errorsFromIssues(failure.issues));
      setProblem(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={(event) => void submit(event)} aria-labelledby="create-app-title" noValidate>
      <h2 id="create-app-title">Create an app</h2>
      <AppSettingsFields draft={draft} errors={errors} onChange={setDraft} secretMasked={null} withPackageName />
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <div className="actions">
        <button type="submit" className="button-primary" disabled={busy}>
          Create app
        </button>
      </div>
    </form>
  );
}
