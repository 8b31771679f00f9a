import type { AuthMode } from '../settings/platform.js';

/** The scopes a caller can hold. `tasks/read` allows GET; `tasks/write` allows POST, PUT, PATCH and DELETE. */
export const SCOPES = ['tasks/read', 'tasks/write'] as const;
export type Scope = (typeof SCOPES)[number];

/** The one alphabet of principal ids (`domain/principal-id.ts`), for every source of identity. */
export { PRINCIPAL_ID_PATTERN } from '../domain/principal-id.js';

/**
 * How far past its `exp` a JWT still counts, for clocks that disagree a little: the authorizer and the task
 * function (which refuses a cached Allow once its token has expired) use the same.
 */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** Who is calling, as the authorizer established it. Never carries the credential itself. */
export interface Principal {
  readonly principalId: string;
  readonly scopes: readonly Scope[];
  readonly authMode: AuthMode;
  /** The credential's expiry (a JWT's `exp`, epoch seconds); static tokens have none. */
  readonly expiresAt?: number;
}

/**
 * Turns the raw `Authorization` header value into a principal, or `undefined` when the credential is not
 * valid (the authorizer then answers 401). Implementations never log or echo the credential.
 */
export interface CredentialVerifier {
  verify(credential: string): Promise<Principal | undefined>;
}
