import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type AppConfig, hostedLogoutUrl } from '../../src/web-app/app-config.js';
import { completeHostedLogin } from './hosted-login.js';
import { forgetToken, storedToken, storeToken } from './session.js';
import { SignIn } from './sign-in.js';
import { makeApi } from './task-api.js';
import { Workspace } from './workspace.js';

/** Signed out → the sign-in form; signed in → the lists and a board. A 401 anywhere signs out with a notice. */
export function App({ config }: { config: AppConfig }) {
  const [token, setToken] = useState(storedToken);
  const [notice, setNotice] = useState<string>();
  const [completing, setCompleting] = useState(Boolean(config.login));
  // Whether the API has accepted this token once: a token kept from an earlier visit has been.
  const accepted = useRef(token !== undefined);

  useEffect(() => {
    completeHostedLogin(config)
      .then((accessToken) => accessToken && signIn(accessToken))
      .catch((error: Error) => setNotice(`Sign-in failed: ${error.message}`))
      .finally(() => setCompleting(false));
  }, [config]);

  const signIn = (value: string) => {
    storeToken(value);
    accepted.current = false;
    setNotice(undefined);
    setToken(value);
  };
  const signOut = useCallback((reason?: string) => {
    forgetToken();
    setNotice(reason);
    setToken(undefined);
  }, []);
  // Signing out on purpose also ends the hosted login's session; a refused token only asks to sign in.
  const signOutEverywhere = () => {
    signOut();
    if (config.login) location.assign(hostedLogoutUrl(config.login, location.origin));
  };
  // Stable, so the board does not reload its list when the app re-renders.
  const onUnauthorized = useCallback(
    () =>
      signOut(
        accepted.current
          ? 'Your sign-in is no longer accepted: sign in again.'
          : 'That token was not accepted. Check it and sign in again.',
      ),
    [signOut],
  );
  const onAccepted = useCallback(() => {
    accepted.current = true;
  }, []);
  const api = useMemo(() => token && makeApi(config.apiUrl, token), [config.apiUrl, token]);

  return (
    <>
      <header class="top">
        <h1>Task board</h1>
        {api && (
          <button type="button" onClick={signOutEverywhere}>
            Sign out
          </button>
        )}
      </header>
      <main>
        {api ? (
          <Workspace api={api} onAccepted={onAccepted} onUnauthorized={onUnauthorized} />
        ) : completing ? (
          <p role="status">Signing in…</p>
        ) : (
          <SignIn config={config} notice={notice} onToken={signIn} />
        )}
      </main>
    </>
  );
}
