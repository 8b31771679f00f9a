import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppConfig } from '../../src/web-app/app-config.js';
import { beginHostedLogin } from './hosted-login.js';

interface Props {
  readonly config: AppConfig;
  readonly notice: string | undefined;
  readonly onToken: (token: string) => void;
}

/** Token mode and local jwt mode: paste a token. jwt mode on AWS: Cognito's hosted login as well. */
export function SignIn({ config, notice, onToken }: Props) {
  const [token, setToken] = useState('');
  const [failure, setFailure] = useState<string>();
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  const login = config.login;
  const hint =
    config.authMode === 'jwt' ? (
      <>
        A JWT, e.g. from <code>npm run -s token -- --sub alice --scope "tasks/read tasks/write"</code>.
      </>
    ) : (
      <>
        The token <code>npm start</code> prints (or your stage’s token).
      </>
    );

  return (
    <section class="sign-in" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign in</h2>
      {notice && <p role="alert">{notice}</p>}
      {login && (
        <p>
          <button
            type="button"
            onClick={() => beginHostedLogin(login).catch((error: Error) => setFailure(error.message))}
          >
            Sign in with Cognito
          </button>
        </p>
      )}
      {failure && <p role="alert">{failure}</p>}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (token.trim()) onToken(token.trim());
        }}
      >
        <label for="token">Token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          required
          value={token}
          ref={field}
          aria-describedby="token-hint"
          onInput={(event) => setToken(event.currentTarget.value)}
        />
        <p id="token-hint" class="hint">
          {hint}
        </p>
        <button type="submit">Sign in</button>
      </form>
    </section>
  );
}
