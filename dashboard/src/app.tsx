import { useState } from 'preact/hooks';
import { Dashboard } from './components/dashboard';
import { SignIn } from './components/sign-in';
import { forgetToken, initialToken, saveToken } from './session';

const REFUSED = 'Your token expired or was refused by the server. Paste a new one to carry on.';

export function App() {
  const [token, setToken] = useState(initialToken);
  const [refused, setRefused] = useState(false);
  if (!token || refused) {
    return (
      <SignIn
        message={refused ? REFUSED : undefined}
        onToken={(t) => {
          saveToken(t);
          setRefused(false);
          setToken(t);
        }}
      />
    );
  }
  return (
    <Dashboard
      token={token}
      onRefused={() => {
        forgetToken();
        setRefused(true);
      }}
      onSignOut={() => {
        forgetToken();
        setToken(null);
      }}
    />
  );
}
