/**
 * What the web app's hosting shares with the app: the shape of the `config.json` served beside it (written
 * by `npm start` and by the CDK stack, read by the app at start-up) and the security headers both hosts
 * send. Pure data and string building, so the app, the local server and the CDK construct import it alike.
 */
import type { AuthMode } from '../settings/platform.js';

/** The Cognito hosted login, in jwt mode on AWS. */
export interface HostedLogin {
  /** The user pool's issuer, `https://cognito-idp.<region>.amazonaws.com/<poolId>` (the ID token's `iss`). */
  readonly issuer: string;
  /** The hosted domain's base URL, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domain: string;
  /** The PKCE client (no secret). */
  readonly clientId: string;
  /** Space-separated OAuth scopes to ask for. */
  readonly scopes: string;
}

export interface AppConfig {
  /** The API stage URL, e.g. `http://127.0.0.1:3000/dev`. */
  readonly apiUrl: string;
  /** `token`: paste a static token; `jwt`: paste a JWT, or sign in through `login` when it is set. */
  readonly authMode: AuthMode;
  readonly login?: HostedLogin;
}

/** Where Cognito returns the browser after the hosted login (the stack registers it as a callback URL). */
export const CALLBACK_PATH = '/callback';

/** Where Cognito's logout returns the browser: the app's root (the stack registers it as a sign-out URL). */
export const SIGNED_OUT_PATH = '/';

/**
 * The sign-out URL that goes with a callback URL: the same origin's SIGNED_OUT_PATH, or undefined for a
 * callback that is not the app's. String work only, so a CDK token for the origin passes through.
 */
export const signedOutUrlOf = (callbackUrl: string): string | undefined =>
  callbackUrl.endsWith(CALLBACK_PATH)
    ? `${callbackUrl.slice(0, -CALLBACK_PATH.length)}${SIGNED_OUT_PATH}`
    : undefined;

/**
 * Cognito's logout endpoint for the app at `origin`: it ends the hosted login's session (without it, the
 * next sign-in would pass without asking for the password or the second factor) and returns to the app's
 * SIGNED_OUT_PATH, which the stack registers as the client's sign-out URL (signedOutUrlOf).
 */
export function hostedLogoutUrl(login: HostedLogin, origin: string): URL {
  const url = new URL(`${login.domain}/logout`);
  url.search = new URLSearchParams({
    client_id: login.clientId,
    logout_uri: `${origin}${SIGNED_OUT_PATH}`,
  }).toString();
  return url;
}

/** The origin part of a URL (`https://host[:port]`), as CSP and CORS name it. */
export const originOf = (url: string): string => new URL(url).origin;

/**
 * A strict Content-Security-Policy: the app's own scripts and styles only, and network calls only to itself,
 * the API and (on AWS, jwt mode) the Cognito domain. `originsToCall` may hold CDK tokens: only joined here.
 */
export function contentSecurityPolicy(originsToCall: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self' ${originsToCall.join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** HSTS lifetime: two years, as hstspreload.org asks. */
export const HSTS_SECONDS = 63_072_000;
export const REFERRER_POLICY = 'strict-origin-when-cross-origin';
