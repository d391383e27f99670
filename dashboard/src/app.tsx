import { useState } from 'preact/hooks';
import { Dashboard } from './components/dashboard';
import { SignIn } from './components/sign-in';
import { forgetToken, initialToken, saveToken } from './session';

export function App() {
  const [token, setToken] = useState(initialToken);
  if (!token) {
    return (
      <SignIn
        onToken={(t) => {
          saveToken(t);
          setToken(t);
        }}
      />
    );
  }
  return (
    <Dashboard
      token={token}
      onSignOut={() => {
        forgetToken();
        setToken(null);
      }}
    />
  );
}
