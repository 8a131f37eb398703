import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, ApiError, errorMessage, setCsrfToken, setUnauthorizedHandler } from './api';
import { LiveEventsProvider, useLiveConnection } from './live-events';
import { DestinationsPage } from './pages/DestinationsPage';
import { JobsPage } from './pages/JobsPage';
import { RelaysPage } from './pages/RelaysPage';
import { SignInPage } from './pages/SignInPage';
import { StreamPage } from './pages/StreamPage';
import { StreamsPage } from './pages/StreamsPage';
import { Link, navigate, useRoute } from './router';
import { NAV_ITEMS, Route } from './routes';
import type { Session } from './types';

// On demand: its forms validate with the service's zod schemas, and zod need not load for other pages.
const AppsPage = lazy(() => import('./pages/AppsPage').then((module) => ({ default: module.AppsPage })));

type SignInNotice = { kind: 'info' | 'error'; text: string };
type SessionState =
  { kind: 'checking' } | { kind: 'signed-out'; notice?: SignInNotice } | { kind: 'signed-in'; session: Session };

const TITLES: Record<Route['page'], string> = {
  login: 'Sign in',
  destinations: 'Destinations',
  apps: 'Apps',
  streams: 'Live streams',
  stream: 'Stream',
  relays: 'Relays',
  jobs: 'Queues',
  'not-found': 'Not found',
};

export function App() {
  const route = useRoute();
  const [state, setState] = useState<SessionState>({ kind: 'checking' });

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ kind: 'signed-in', session });
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setState({ kind: 'signed-out', notice: { kind: 'info', text: 'Your session has ended. Please sign in again.' } });
    });
    api
      .get<Session>('/session', { quietUnauthorized: true })
      .then(signedIn)
      .catch((error: unknown) =>
        setState({
          kind: 'signed-out',
          // 401 is the usual signed-out answer; anything else (503: sign-in not configured) is worth showing.
          notice: error instanceof ApiError && error.status === 401 ? undefined : { kind: 'error', text: errorMessage(error) },
        }),
      );
  }, [signedIn]);

  useEffect(() => {
    document.title = `${TITLES[route.page]} · Restream admin`;
  }, [route.page]);

  // Keep the address bar honest: signed out means the sign-in page, and back again afterwards.
  useEffect(() => {
    if (state.kind === 'signed-out' && route.page !== 'login') {
      const here = window.location.pathname + window.location.search;
      navigate(`/admin/login?next=${encodeURIComponent(here)}`, { replace: true });
    }
    if (state.kind === 'signed-in' && route.page === 'login') {
      const next = route.next ?? '/admin/streams';
      // bull-board (/admin/queues) is served by the API, not by this app: a full page load.
      if (next.startsWith('/admin/queues')) window.location.assign(next);
      else navigate(next, { replace: true });
    }
  }, [state.kind, route]);

  if (state.kind === 'checking') return <p className="loading-page">Loading…</p>;
  if (state.kind === 'signed-out' || route.page === 'login') {
    return <SignInPage notice={state.kind === 'signed-out' ? state.notice : undefined} onSignedIn={signedIn} />;
  }
  return (
    <LiveEventsProvider>
      <Shell
        route={route}
        username={state.session.username}
        onSignOut={async () => {
          await api.post('/logout').catch(() => undefined);
          setCsrfToken(null);
          setState({ kind: 'signed-out' });
        }}
      />
    </LiveEventsProvider>
  );
}

function Shell({ route, username, onSignOut }: { route: Route; username: string; onSignOut: () => Promise<void> }) {
  const connection = useLiveConnection();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Restream admin</span>
        <nav aria-label="Main">
          <ul>
            {NAV_ITEMS.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={(item.pages as readonly string[]).includes(route.page) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="session">
          <span className={`live-dot live-dot-${connection}`} title={`Live updates: ${connection}`}>
            {connection === 'live' ? 'Live' : connection === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
          </span>
          <span className="username">{username}</span>
          <button type="button" onClick={() => void onSignOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'streams' ? <StreamsPage /> : null}
        {route.page === 'stream' ? <StreamPage streamId={route.streamId} /> : null}
        {route.page === 'destinations' ? <DestinationsPage /> : null}
        {route.page === 'apps' ? (
          <Suspense fallback={<p>Loading…</p>}>
            <AppsPage />
          </Suspense>
        ) : null}
        {route.page === 'relays' ? <RelaysPage /> : null}
        {route.page === 'jobs' ? <JobsPage /> : null}
        {route.page === 'not-found' ? (
          <section>
            <h1>Page not found</h1>
            <p>
              <Link href="/admin/streams">Go to the live streams</Link>
            </p>
          </section>
        ) : null}
      </main>
    </div>
  );
}
