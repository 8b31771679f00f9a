import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseTokenTable, type TokenTable } from './tokens.js';

/** Reads a secret's string value; the default talks to Secrets Manager. */
export type FetchSecret = (secretId: string) => Promise<string>;

export interface SecretTokensOptions {
  readonly secretId: string;
  /** How long a fetched table is used before the secret is read again (a rotated token takes this long). */
  readonly ttlSeconds: number;
  readonly fetchSecret?: FetchSecret;
  readonly now?: () => number;
}

let client: SecretsManagerClient | undefined;

const fetchFromSecretsManager: FetchSecret = async (secretId) => {
  client ??= new SecretsManagerClient({});
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (SecretString === undefined) throw new Error('The tokens secret has no string value');
  return SecretString;
};

/**
 * The token table (principal id → token) kept in a Secrets Manager secret as JSON, e.g.
 * `{"default":"…"}`. Read once per container, then again after `ttlSeconds`; concurrent callers share one
 * read. When a refresh fails the last good table stays in use, so a Secrets Manager blip is not an outage;
 * with no table yet, the error escapes and API Gateway answers 500 (not a 401 that would discard a good token).
 */
export function makeSecretTokenLoader(options: SecretTokensOptions): () => Promise<TokenTable> {
  const fetchSecret = options.fetchSecret ?? fetchFromSecretsManager;
  const now = options.now ?? Date.now;
  let table: TokenTable | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<TokenTable> | undefined;

  const refresh = async (): Promise<TokenTable> => {
    try {
      const fresh = parseTokenTable(await fetchSecret(options.secretId), 'The tokens secret');
      table = fresh;
      fetchedAt = now();
      return fresh;
    } catch (error) {
      if (!table) throw error;
      fetchedAt = now(); // keep the last good table, and retry after another TTL rather than on every call
      return table;
    } finally {
      pending = undefined;
    }
  };

  return async () => {
    if (table && now() - fetchedAt < options.ttlSeconds * 1000) return table;
    pending ??= refresh();
    return pending;
  };
}
