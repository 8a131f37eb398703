import { FormEvent, useState } from 'react';
import { api, ApiError, errorMessage } from '../api';
import { Field } from '../components/Field';
import { Notice } from '../components/Notice';
import type { Session } from '../types';

interface Props {
  notice?: { kind: 'info' | 'error'; text: string };
  onSignedIn: (session: Session) => void;
}

export function SignInPage({ notice, onSignedIn }: Props) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.post<Session>('/login', { username, password }, { quietUnauthorized: true }));
    } catch (failure) {
      setPassword('');
      if (failure instanceof ApiError && failure.status === 401) setError('Wrong username or password.');
      else if (failure instanceof ApiError && failure.status === 429) setError(`Too many attempts. ${failure.message}`);
      else setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="main">
      <form className="card signin-card" onSubmit={(event) => void submit(event)} aria-labelledby="signin-title" noValidate>
        <h1 id="signin-title">Restream admin</h1>
        <p className="muted">Sign in to manage restream destinations and watch live streams.</p>
        {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}
        <Field label="Username">
          {(props) => (
            <input
              {...props}
              name="username"
              autoComplete="username"
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          )}
        </Field>
        <Field label="Password" error={error ?? undefined}>
          {(props) => (
            <input
              {...props}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              autoFocus
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button-primary" disabled={busy || !password}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
