import { createHash, timingSafeEqual } from 'node:crypto';
import { type CredentialVerifier, PRINCIPAL_ID_PATTERN, type Principal, SCOPES } from './principal.js';

/** principal id → token. */
export type TokenTable = ReadonlyMap<string, string>;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Clients of the original send the token raw; standard clients send `Bearer <token>`. Both work. */
export function stripBearer(header: string): string {
  return /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '') : header;
}

/**
 * Static tokens compared in constant time: both sides are hashed to a fixed length first, and every entry
 * is compared, so neither the length nor the position of a match shows in the timing.
 */
export function makeStaticTokenVerifier(
  loadTokens: () => Promise<TokenTable> | TokenTable,
): CredentialVerifier {
  // The stored tokens' digests, computed once per table (a secret refresh brings a new table object).
  const digests = new WeakMap<TokenTable, [string, Buffer][]>();
  const digestsOf = (table: TokenTable) => {
    let entries = digests.get(table);
    if (!entries) {
      entries = [...table].map(([principalId, token]) => [principalId, digest(token)]);
      digests.set(table, entries);
    }
    return entries;
  };
  return {
    async verify(credential: string): Promise<Principal | undefined> {
      const candidate = digest(stripBearer(credential.trim()));
      let match: string | undefined;
      for (const [principalId, stored] of digestsOf(await loadTokens())) {
        if (timingSafeEqual(candidate, stored) && match === undefined) match = principalId;
      }
      return match === undefined ? undefined : { principalId: match, scopes: SCOPES, authMode: 'token' };
    },
  };
}

/** Reads `API_TOKENS` (a JSON object of principal id → token) or `API_TOKEN` (one principal, `default`). */
export function tokenTableFrom(apiToken: string | undefined, apiTokens: string | undefined): TokenTable {
  if (apiTokens !== undefined && apiTokens.trim() !== '') return parseTokenTable(apiTokens, 'API_TOKENS');
  if (apiToken !== undefined && apiToken !== '') return new Map([['default', apiToken]]);
  throw new Error('Set API_TOKEN, or API_TOKENS as a JSON object of principal id to token');
}

export function parseTokenTable(text: string, source: string): TokenTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${source} must be a JSON object of principal id to token`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${source} must be a JSON object of principal id to token`);
  }
  const entries = Object.entries(parsed);
  if (entries.length === 0) throw new Error(`${source} names no principal`);
  for (const [principalId, token] of entries) {
    if (typeof token !== 'string' || token.length === 0)
      throw new Error(`${source}: the token of '${principalId}' must be a non-empty string`);
    if (!PRINCIPAL_ID_PATTERN.test(principalId))
      throw new Error(`${source}: '${principalId}' is not a valid principal id`);
  }
  return new Map(entries as [string, string][]);
}
