import { FormEvent, useCallback, useEffect, useState } from 'react';
import { api, errorMessage, listOf } from '../api';
import { Field } from '../components/Field';
import { Notice } from '../components/Notice';
import type { AdminApp, SavedDestination } from '../types';
import { AddDestinationForm } from './destinations/AddDestinationForm';
import { DestinationRow } from './destinations/DestinationRow';

function readSelection(): { appId: string; userId: string } {
  const query = new URLSearchParams(window.location.search);
  return { appId: query.get('app') ?? '', userId: query.get('user') ?? '' };
}

/** Saved destinations per app and user: the restream keys people keep for their glasses streams. */
export function DestinationsPage() {
  const [apps, setApps] = useState<AdminApp[] | null>(null);
  const [appsError, setAppsError] = useState<string | null>(null);
  const [selection, setSelection] = useState(readSelection);
  const [userDraft, setUserDraft] = useState(selection.userId);
  const [destinations, setDestinations] = useState<SavedDestination[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);

  useEffect(() => {
    api
      .get<unknown>('/apps')
      .then((value) => {
        const list = listOf<AdminApp>(value, 'apps');
        setApps(list);
        if (!selection.appId && list.length > 0) setSelection((current) => ({ ...current, appId: list[0].id }));
      })
      .catch((error: unknown) => setAppsError(errorMessage(error)));
    // Loaded once; the first app is picked only when none was chosen in the address.
  }, []);

  const load = useCallback(async () => {
    if (!selection.appId || !selection.userId) {
      setDestinations(null);
      return;
    }
    setListError(null);
    try {
      const value = await api.get<unknown>(
        `/apps/${encodeURIComponent(selection.appId)}/destinations?userId=${encodeURIComponent(selection.userId)}`,
      );
      setDestinations(listOf<SavedDestination>(value, 'destinations'));
    } catch (error) {
      setListError(errorMessage(error));
    }
  }, [selection]);

  useEffect(() => {
    const query = new URLSearchParams();
    if (selection.appId) query.set('app', selection.appId);
    if (selection.userId) query.set('user', selection.userId);
    const search = query.toString();
    window.history.replaceState(null, '', `/admin/destinations${search ? `?${search}` : ''}`);
    void load();
  }, [selection, load]);

  function chooseUser(event: FormEvent) {
    event.preventDefault();
    setSelection((current) => ({ ...current, userId: userDraft.trim() }));
  }

  const app = apps?.find((candidate) => candidate.id === selection.appId);
  return (
    <section aria-labelledby="destinations-title">
      <h1 id="destinations-title">Destinations</h1>
      <p className="muted">Restream targets saved per app and user. Keys are shown only as their last 4 characters.</p>
      {appsError ? <Notice kind="error">Could not load the apps: {appsError}</Notice> : null}
      <form className="card toolbar" onSubmit={chooseUser} aria-label="Choose app and user">
        <Field label="App">
          {(props) => (
            <select
              {...props}
              value={selection.appId}
              onChange={(event) => setSelection((current) => ({ ...current, appId: event.target.value }))}
            >
              {apps === null ? <option value="">Loading…</option> : null}
              {apps?.length === 0 ? <option value="">No apps yet</option> : null}
              {apps?.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name} ({candidate.packageName})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="User ID" hint="The glasses user: an e-mail or the app's user id.">
          {(props) => (
            <input
              {...props}
              name="userId"
              autoComplete="off"
              value={userDraft}
              placeholder="user@example.com"
              onChange={(event) => setUserDraft(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button-primary" disabled={!userDraft.trim() || !selection.appId}>
          Show destinations
        </button>
      </form>

      {selection.appId && selection.userId ? (
        <>
          <h2>
            {selection.userId} <span className="muted">in {app?.name ?? selection.appId}</span>
          </h2>
          {listError ? <Notice kind="error">{listError}</Notice> : null}
          {destinations === null && !listError ? <p>Loading…</p> : null}
          {destinations?.length === 0 ? <p className="empty">No saved destinations yet. Add one below.</p> : null}
          {destinations && destinations.length > 0 ? (
            <ul className="destination-list" aria-label="Saved destinations">
              {destinations.map((destination) => (
                <DestinationRow key={destination.id} appId={selection.appId} destination={destination} onChanged={load} />
              ))}
            </ul>
          ) : null}
          <AddDestinationForm appId={selection.appId} userId={selection.userId} onAdded={load} />
        </>
      ) : (
        <p className="empty">Choose an app and a user to see their saved destinations.</p>
      )}
    </section>
  );
}
