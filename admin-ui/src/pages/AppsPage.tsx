import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from '../api';
import { Notice } from '../components/Notice';
import type { AdminApp, AdminAppList } from '../types';
import { AppRow } from './apps/AppRow';
import { CreateAppForm } from './apps/CreateAppForm';
import { IssuedSecretsPanel, IssuedSecrets } from './apps/ShownOnce';

/** The glasses apps that use the service: create, settings, webhooks, API keys. */
export function AppsPage() {
  const [apps, setApps] = useState<AdminApp[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [issued, setIssued] = useState<IssuedSecrets | null>(null);

  const load = useCallback(async () => {
    try {
      setApps((await api.get<AdminAppList>('/apps')).apps);
      setProblem(null);
    } catch (error) {
      setProblem(`Could not load the apps: ${errorMessage(error)}`);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  function show(secrets: IssuedSecrets) {
    setIssued(secrets);
    // The one chance to copy it: bring it into view.
    window.scrollTo({ top: 0 });
  }

  return (
    <section aria-labelledby="apps-title">
      <h1 id="apps-title">Apps</h1>
      <p className="muted">
        Each glasses app calls the API with its own key. Keys and webhook secrets are shown once, when they are made.
      </p>
      {issued ? <IssuedSecretsPanel issued={issued} onDone={() => setIssued(null)} /> : null}
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      {apps === null && !problem ? <p>Loading…</p> : null}
      {apps?.length === 0 ? <p className="empty">No apps yet. Create one below.</p> : null}
      {apps && apps.length > 0 ? (
        <ul className="destination-list" aria-label="Apps">
          {apps.map((app) => (
            <AppRow key={app.id} app={app} onChanged={load} onIssued={show} />
          ))}
        </ul>
      ) : null}
      <CreateAppForm
        onCreated={async (created) => {
          show({ appName: created.app.name, apiKey: created.apiKey, webhookSecret: created.webhookSecret });
          await load();
        }}
      />
    </section>
  );
}
