import { useEffect, useState } from 'preact/hooks';
import { RefreshMutation, SignOutMutation } from './accounts/documents';
import { expiryOf, inviteFromUrl, publicMutation, savedRefreshToken, saveRefreshToken, type Tokens } from './accounts/tokens';
import { Dashboard } from './components/dashboard';
import { SignIn } from './components/sign-in';
import { request } from './live/http';
import { forgetToken, initialToken, saveToken } from './session';

const REFUSED = 'Your token expired or was refused by the server. Paste a new one to carry on.';
/** Access tokens are renewed this long before they expire. */
const REFRESH_EARLY_MS = 60_000;

export function App() {
  const [invite] = useState(inviteFromUrl);
  const [token, setToken] = useState(() => (invite ? null : initialToken()));
  const [refused, setRefused] = useState(false);

  const adopt = (tokens: Tokens) => {
    saveToken(tokens.accessToken);
    saveRefreshToken(tokens.refreshToken);
    setRefused(false);
    setToken(tokens.accessToken);
  };
  const forget = () => {
    forgetToken();
    saveRefreshToken(null);
  };
  /** Trades the refresh token for new tokens; false when there is none or it is refused. */
  const renew = async (): Promise<boolean> => {
    const refreshToken = savedRefreshToken();
    if (!refreshToken) return false;
    try {
      adopt(await publicMutation(RefreshMutation, { refreshToken }));
      return true;
    } catch {
      saveRefreshToken(null);
      return false;
    }
  };

  // a signed-in user's access token lives 15 minutes: renew it a minute before
  useEffect(() => {
    const exp = token ? expiryOf(token) : null;
    if (!token || exp === null || !savedRefreshToken()) return;
    const timer = setTimeout(() => void renew(), Math.max(0, exp * 1000 - Date.now() - REFRESH_EARLY_MS));
    return () => clearTimeout(timer);
  }, [token]);

  if (!token || refused) {
    return <SignIn message={refused ? REFUSED : undefined} invite={invite} onTokens={adopt} onToken={(t) => adopt({ accessToken: t, accessTokenExpiresAt: '', refreshToken: '' })} />;
  }
  return (
    <Dashboard
      token={token}
      onRefused={() => {
        void renew().then((renewed) => {
          if (renewed) return;
          forget();
          setRefused(true);
        });
      }}
      onSignOut={() => {
        const refreshToken = savedRefreshToken();
        if (refreshToken) void request(token, SignOutMutation, { refreshToken }).catch(() => undefined);
        forget();
        setToken(null);
      }}
    />
  );
}
