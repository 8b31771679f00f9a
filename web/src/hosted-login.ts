/**
 * Cognito's hosted login: authorization code with PKCE, through oauth4webapi (code verifier, state, token
 * request and ID-token claim checks), never hand-written. Cognito's endpoints are fixed paths under the
 * user pool domain, so the metadata is built from config.json instead of fetched: the CSP then only needs
 * the domain's origin.
 */
import * as oauth from 'oauth4webapi';
import { type AppConfig, CALLBACK_PATH, type HostedLogin } from '../../src/web-app/app-config.js';

const PENDING_KEY = 'task-board.login';

const serverOf = (login: HostedLogin): oauth.AuthorizationServer => ({
  issuer: login.issuer,
  authorization_endpoint: `${login.domain}/oauth2/authorize`,
  token_endpoint: `${login.domain}/oauth2/token`,
});
const redirectUri = (): string => `${location.origin}${CALLBACK_PATH}`;

/** Sends the browser to the hosted login; the verifier and state wait in sessionStorage for the callback. */
export async function beginHostedLogin(login: HostedLogin): Promise<void> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(serverOf(login).authorization_endpoint as string);
  url.search = new URLSearchParams({
    client_id: login.clientId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: login.scopes,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  }).toString();
  location.assign(url);
}

/**
 * On the callback path: trades the code for tokens and returns the access token (what the authorizer
 * checks). Elsewhere: undefined. The URL is cleaned either way, so a reload does not replay the code.
 */
export async function completeHostedLogin(config: AppConfig): Promise<string | undefined> {
  if (!config.login || location.pathname !== CALLBACK_PATH) return undefined;
  const login = config.login;
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? '{}') as {
    verifier?: string;
    state?: string;
  };
  sessionStorage.removeItem(PENDING_KEY);
  const current = new URL(location.href);
  history.replaceState(null, '', '/');
  if (!pending.verifier || !pending.state) throw new Error('The sign-in was not started here; try again.');
  const server = serverOf(login);
  const client: oauth.Client = { client_id: login.clientId };
  const params = oauth.validateAuthResponse(server, client, current, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    server,
    client,
    oauth.None(),
    params,
    redirectUri(),
    pending.verifier,
  );
  const result = await oauth.processAuthorizationCodeResponse(server, client, response);
  return result.access_token;
}
