import { useState } from 'preact/hooks';
import { sellerOfToken } from '../session';

export function SignIn({ onToken, message }: { onToken: (token: string) => void; message?: string }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState(message ?? '');
  return (
    <main class="sign-in">
      <h1>Amused · live stock</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const token = value.trim().replace(/^Bearer\s+/i, '');
          if (!sellerOfToken(token)) return setError('That does not look like a token with a seller (sub).');
          onToken(token);
        }}
      >
        <label for="token">Bearer token</label>
        <textarea id="token" rows={4} value={value} onInput={(e) => setValue(e.currentTarget.value)} placeholder="eyJhbGciOi..." required />
        <p class="hint">
          Make one with <code>npm run token -- --seller demo-seller-1</code>, or open <code>/dashboard?token=…</code>.
        </p>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
