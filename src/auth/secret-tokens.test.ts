import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { makeSecretsManagerFetch, makeSecretTokenLoader } from './secret-tokens.js';
import { makeStaticTokenVerifier } from './tokens.js';

function fakeSecret(values: (string | Error)[]) {
  const calls: string[] = [];
  return {
    calls,
    fetchSecret: async (secretId: string) => {
      calls.push(secretId);
      const next = values[Math.min(calls.length - 1, values.length - 1)];
      if (next instanceof Error) throw next;
      return next ?? '';
    },
  };
}

describe('the Secrets Manager token table', () => {
  it('reads the secret once, then serves the cached table until the TTL passes', async () => {
    let clock = 0;
    const secret = fakeSecret(['{"default":"first-token"}', '{"default":"second-token"}']);
    const load = makeSecretTokenLoader({ secretId: 'arn:s', ttlSeconds: 60, ...secret, now: () => clock });
    expect((await load()).get('default')).toBe('first-token');
    clock = 59_000;
    expect((await load()).get('default')).toBe('first-token');
    clock = 60_000;
    expect((await load()).get('default')).toBe('second-token');
    expect(secret.calls).toEqual(['arn:s', 'arn:s']);
  });

  it('shares one read between concurrent callers', async () => {
    const secret = fakeSecret(['{"default":"t0k3n"}']);
    const load = makeSecretTokenLoader({ secretId: 'arn:s', ttlSeconds: 60, ...secret });
    await Promise.all([load(), load(), load()]);
    expect(secret.calls).toHaveLength(1);
  });

  it('keeps the last good table when a refresh fails', async () => {
    let clock = 0;
    const secret = fakeSecret(['{"default":"t0k3n"}', new Error('throttled')]);
    const load = makeSecretTokenLoader({ secretId: 'arn:s', ttlSeconds: 1, ...secret, now: () => clock });
    await load();
    clock = 5_000;
    expect((await load()).get('default')).toBe('t0k3n');
  });

  it('fails (an API Gateway 500, not a 401) when the first read fails', async () => {
    const secret = fakeSecret([new Error('AccessDenied')]);
    const load = makeSecretTokenLoader({ secretId: 'arn:s', ttlSeconds: 60, ...secret });
    await expect(load()).rejects.toThrow('AccessDenied');
  });

  it('refuses a secret that is not a JSON object of principal id to token', async () => {
    const load = makeSecretTokenLoader({ secretId: 'arn:s', ttlSeconds: 60, ...fakeSecret(['not json']) });
    await expect(load()).rejects.toThrow(/JSON object of principal id to token/);
  });

  it('lets the static verifier accept the token from the secret, and only it', async () => {
    const load = makeSecretTokenLoader({
      secretId: 'arn:s',
      ttlSeconds: 60,
      ...fakeSecret(['{"default":"right-token","bob":"bobs-token"}']),
    });
    const verifier = makeStaticTokenVerifier(load);
    expect((await verifier.verify('bobs-token'))?.principalId).toBe('bob');
    expect((await verifier.verify('Bearer right-token'))?.principalId).toBe('default');
    expect(await verifier.verify('wrong-token')).toBeUndefined();
  });
});

describe('GetSecretValue over the wire', () => {
  it('sends a signed JSON 1.1 GetSecretValue and returns SecretString', async () => {
    const seen: { target?: string; auth?: string; body?: string } = {};
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        Object.assign(seen, {
          target: req.headers['x-amz-target'],
          auth: req.headers.authorization,
          body,
        });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ Name: 'tokens', SecretString: '{"default":"wire-token"}' }));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      const fetchSecret = makeSecretsManagerFetch({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'eu-west-1',
      });
      expect(await fetchSecret('arn:aws:secretsmanager:eu-west-1:1:secret:tokens')).toBe(
        '{"default":"wire-token"}',
      );
      expect(seen.target).toBe('secretsmanager.GetSecretValue');
      expect(seen.auth).toMatch(
        /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/eu-west-1\/secretsmanager\/aws4_request/,
      );
      expect(JSON.parse(seen.body ?? '')).toEqual({
        SecretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:tokens',
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});
