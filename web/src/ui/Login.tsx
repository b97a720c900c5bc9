import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { signIn } from '../lib/session';
import { Link } from './Link';
import { ErrorBox, Page } from './common';

export function Login({ reason }: { reason?: string | undefined; search: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429)
        setError(new Error(`Too many failed sign-ins. Try again in ${err.retryAfter ?? 60} seconds.`));
      else if (err instanceof ApiError && err.status === 401) setError(new Error('E-mail or password is wrong.'));
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="login">
      <Page title="Sign in to sladesk">
        {reason ? <p role="status">{reason}</p> : null}
        <form onSubmit={submit} class="form" aria-describedby="login-help">
          <label for="email">E-mail</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          <ErrorBox error={error} />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p id="login-help" class="muted">
          Agents and customer contacts sign in with their e-mail. <code>make run</code> prints the demo accounts. The{' '}
          <Link href="/status">service status</Link> needs no sign-in.
        </p>
      </Page>
    </div>
  );
}
