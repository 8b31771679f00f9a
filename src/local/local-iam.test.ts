import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsServiceError, makeAwsJsonClient } from '../aws/aws-json-client.js';
import { allows, awsCallOf, guardRequests, LOCAL_ACCOUNT } from './local-iam.js';

const signed = (accessKeyId: string, target: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
  'x-amz-target': target,
});
const table = (name: string) => `arn:aws:dynamodb:eu-west-1:${LOCAL_ACCOUNT}:table/${name}`;

describe('awsCallOf', () => {
  it('names the action and the table, or the index a Query reads', () => {
    expect(awsCallOf(signed('local', 'DynamoDB_20120810.GetItem'), '{"TableName":"t"}')).toEqual({
      accessKeyId: 'local',
      region: 'eu-west-1',
      action: 'dynamodb:GetItem',
      resources: [table('t')],
    });
    const query = awsCallOf(
      signed('local', 'DynamoDB_20120810.Query'),
      '{"TableName":"t","IndexName":"byTag0"}',
    );
    expect(query?.resources).toEqual([`${table('t')}/index/byTag0`]);
  });

  it('names every table of a batch, as IAM checks each', () => {
    const body = JSON.stringify({ RequestItems: { a: { Keys: [] }, b: { Keys: [] } } });
    expect(awsCallOf(signed('local', 'DynamoDB_20120810.BatchGetItem'), body)?.resources).toEqual([
      table('a'),
      table('b'),
    ]);
  });

  it('names a secret by its ARN, or builds one from its name', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:1:secret:AuthTokens-x';
    const headers = signed('local', 'secretsmanager.GetSecretValue');
    expect(awsCallOf(headers, JSON.stringify({ SecretId: arn }))?.resources).toEqual([arn]);
    expect(awsCallOf(headers, '{"SecretId":"tokens"}')?.resources).toEqual([
      `arn:aws:secretsmanager:eu-west-1:${LOCAL_ACCOUNT}:secret:tokens`,
    ]);
  });

  it('is undefined for a request that is no signed call of a known service', () => {
    expect(awsCallOf({ 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '{}')).toBeUndefined();
    expect(awsCallOf(signed('local', 'Other.Thing'), '{}')).toBeUndefined();
    expect(awsCallOf(signed('local', 'DynamoDB_20120810.GetItem'), '{not json')).toBeUndefined();
  });
});

describe('allows', () => {
  const statements = [{ actions: ['dynamodb:Get*'], resources: [table('t')] }];

  it('matches actions case-insensitively and resources exactly, with IAM wildcards', () => {
    expect(allows(statements, 'DynamoDB:GetItem', table('t'))).toBe(true);
    expect(allows(statements, 'dynamodb:PutItem', table('t'))).toBe(false);
    expect(allows(statements, 'dynamodb:GetItem', table('T'))).toBe(false);
    expect(allows(statements, 'dynamodb:GetItem', `${table('t')}/index/byTag0`)).toBe(false);
  });
});

describe('guardRequests', () => {
  const servers: { close(done: () => void): void }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise<void>((done) => server.close(done))));
  });

  /** A stand-in service that echoes the body it got, behind a role that may only GetItem on table `t`. */
  async function guarded() {
    const reached: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        reached.push(String(req.headers['x-amz-target']));
        res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ echoed: Buffer.concat(chunks).toString('utf8') }));
      });
    });
    const seen: { action: string; allowed: boolean }[] = [];
    guardRequests(server, {
      role: 'tasks',
      policyFor: () => [{ actions: ['dynamodb:GetItem'], resources: [table('t')] }],
      onCall: (call, allowed) => seen.push({ action: call.action, allowed }),
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    servers.push(server);
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = makeAwsJsonClient({
      service: 'dynamodb',
      region: 'eu-west-1',
      endpoint,
      targetPrefix: 'DynamoDB_20120810',
      jsonVersion: '1.0',
    });
    return { call, reached, seen, endpoint };
  }

  it('hands an allowed call to the service with its body unchanged', async () => {
    const { call, reached, seen } = await guarded();
    const body = { TableName: 't', Key: { pk: { S: 'é'.repeat(40_000) } } };
    expect(await call('GetItem', body)).toEqual({ echoed: JSON.stringify(body) });
    expect(reached).toEqual(['DynamoDB_20120810.GetItem']);
    expect(seen).toEqual([{ action: 'dynamodb:GetItem', allowed: true }]);
  });

  it('answers a call the role does not allow as IAM does, without reaching the service', async () => {
    const { call, reached, seen } = await guarded();
    const refused = await call('BatchGetItem', { RequestItems: { t: { Keys: [] } } }).catch((e) => e);
    expect(refused).toBeInstanceOf(AwsServiceError);
    expect(refused).toMatchObject({ name: 'AccessDeniedException', statusCode: 400 });
    expect(refused.message).toBe(
      `User: arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/tasks/local is not authorized to perform: ` +
        `dynamodb:BatchGetItem on resource: ${table('t')} because no identity-based policy allows the ` +
        'dynamodb:BatchGetItem action',
    );
    await expect(call('GetItem', { TableName: 'other' })).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(reached).toEqual([]);
    expect(seen.map((s) => s.allowed)).toEqual([false, false]);
  });

  it('lets a call signed with another key (the table set-up, a test’s client) pass unchecked', async () => {
    const { endpoint, reached, seen } = await guarded();
    const reply = await fetch(endpoint, {
      method: 'POST',
      headers: {
        ...signed('localdeployer', 'DynamoDB_20120810.CreateTable'),
        'Content-Type': 'application/x-amz-json-1.0',
      },
      body: '{"TableName":"t"}',
    });
    expect(reply.status).toBe(200);
    expect(reached).toEqual(['DynamoDB_20120810.CreateTable']);
    expect(seen).toEqual([]);
  });
});
