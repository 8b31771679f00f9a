import { makeAwsJsonClient } from '../aws/aws-json-client.js';
import { DEFAULT_REGION } from '../settings/platform.js';
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

/**
 * GetSecretValue over Secrets Manager's JSON protocol with the same small signed client the task function
 * uses for DynamoDB: one call does not justify an SDK client. `endpoint` is for tests.
 */
export function makeSecretsManagerFetch(config: { endpoint?: string; region?: string } = {}): FetchSecret {
  const call = makeAwsJsonClient({
    service: 'secretsmanager',
    region: config.region ?? DEFAULT_REGION,
    endpoint: config.endpoint,
    targetPrefix: 'secretsmanager',
    jsonVersion: '1.1',
  });
  return async (secretId) => {
    const { SecretString } = await call('GetSecretValue', { SecretId: secretId });
    if (typeof SecretString !== 'string') throw new Error('The tokens secret has no string value');
    return SecretString;
  };
}

/**
 * The token table (principal id → token) kept in a Secrets Manager secret as JSON, e.g.
 * `{"default":"…"}`. Read once per container, then again after `ttlSeconds`; concurrent callers share one
 * read. When a refresh fails the last good table stays in use, so a Secrets Manager blip is not an outage;
 * with no table yet, the error escapes and API Gateway answers 500 (not a 401 that would discard a good token).
 */
export function makeSecretTokenLoader(options: SecretTokensOptions): () => Promise<TokenTable> {
  const fetchSecret = options.fetchSecret ?? makeSecretsManagerFetch();
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
