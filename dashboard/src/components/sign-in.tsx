import { useState } from 'preact/hooks';
import { AcceptInviteMutation, SignInMutation, SignUpMutation } from '../accounts/documents';
import { publicMutation, type Tokens } from '../accounts/tokens';
import { sellerOfToken } from '../session';

type Mode = 'sign-in' | 'sign-up' | 'invite';

/** Email and password (sign in, create a seller, or accept an invitation), and the paste-a-token way. */
export function SignIn({ onToken, onTokens, message, invite }: { onToken: (token: string) => void; onTokens: (tokens: Tokens) => void; message?: string; invite?: string | null }) {
  const [mode, setMode] = useState<Mode>(invite ? 'invite' : 'sign-in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [sellerName, setSellerName] = useState('');
  const [busy, setBusy] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState(message ?? '');

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const tokens =
        mode === 'sign-up'
          ? await publicMutation(SignUpMutation, { input: { email, password, name: name || null, sellerName } })
          : mode === 'invite'
            ? await publicMutation(AcceptInviteMutation, { input: { token: invite!, password, name: name || null } })
            : await publicMutation(SignInMutation, { input: { email, password } });
      onTokens(tokens);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <h1>Amused · live stock</h1>
      <form class="account-form" onSubmit={(e) => void submit(e)}>
        <h2>{mode === 'sign-up' ? 'Create a seller' : mode === 'invite' ? 'Join with your invitation' : 'Email and password'}</h2>
        {mode !== 'invite' && (
          <>
            <label for="email">Email</label>
            <input id="email" type="email" autocomplete="username" value={email} onInput={(e) => setEmail(e.currentTarget.value)} required />
          </>
        )}
        <label for="password">{mode === 'sign-in' ? 'Password' : 'Choose a password (at least 10 characters)'}</label>
        <input id="password" type="password" autocomplete={mode === 'sign-in' ? 'current-password' : 'new-password'} value={password} onInput={(e) => setPassword(e.currentTarget.value)} required />
        {mode !== 'sign-in' && (
          <>
            <label for="name">Your name</label>
            <input id="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </>
        )}
        {mode === 'sign-up' && (
          <>
            <label for="seller-name">Shop name</label>
            <input id="seller-name" value={sellerName} onInput={(e) => setSellerName(e.currentTarget.value)} required />
          </>
        )}
        <button type="submit" disabled={busy}>
          {mode === 'sign-up' ? 'Create seller' : mode === 'invite' ? 'Join' : 'Continue with email'}
        </button>
        {mode !== 'invite' && (
          <button type="button" class="link" onClick={() => setMode(mode === 'sign-up' ? 'sign-in' : 'sign-up')}>
            {mode === 'sign-up' ? 'I have an account' : 'New here? Create a seller'}
          </button>
        )}
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <form
        class="token-form"
        onSubmit={(e) => {
          e.preventDefault();
          const token = value.trim().replace(/^Bearer\s+/i, '');
          if (!sellerOfToken(token)) return setError('That does not look like a token with a seller (sub).');
          onToken(token);
        }}
      >
        <h2>Or paste a token</h2>
        <label for="token">Bearer token</label>
        <textarea id="token" rows={4} value={value} onInput={(e) => setValue(e.currentTarget.value)} placeholder="eyJhbGciOi..." required />
        <p class="hint">
          Make one with <code>npm run token -- --seller demo-seller-1</code>, or open <code>/dashboard?token=…</code>.
        </p>
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
