import { describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { useLocalServer } from '../support/use-local-server.js';

/**
 * What `npm start` shows of the two functions on its stdout: JSON logs and EMF metrics. Its stdout is a
 * pipe here, so by default each entry is one line (indented only at a terminal): that default is tested too.
 */
const server = useLocalServer({ env: { LOG_LEVEL: 'DEBUG' } });

type Line = Record<string, unknown>;

function jsonLines(): Line[] {
  return server
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Line);
}

/** stdout lags the response a little, so look again for a short while. */
async function eventually<T>(probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error('not seen in the server output');
}

function metricNames(line: Line): string[] {
  const aws = line._aws as { CloudWatchMetrics?: { Namespace: string; Metrics: { Name: string }[] }[] };
  return (aws?.CloudWatchMetrics ?? []).flatMap((group) => group.Metrics.map((metric) => metric.Name));
}

async function emitted(metric: string): Promise<Line> {
  return eventually(() => jsonLines().find((line) => metricNames(line).includes(metric)));
}

describe('logs', () => {
  it('carry the API Gateway request id as correlation id and the principal, never the token', async () => {
    const reply = await call(`${server.baseUrl}/tasks`, 'GET', { token: server.token });
    const requestId = reply.headers.get('x-request-id');
    const line = await eventually(() => jsonLines().find((l) => l.correlationId === requestId));
    expect(line).toMatchObject({ service: 'task-service', principalId: 'default', route: 'listTasks' });
    expect(line).toHaveProperty('cold_start');
    // The startup banner prints the token on purpose; no log line may.
    expect(JSON.stringify(jsonLines())).not.toContain(server.token);
    expect(server.stderr()).not.toContain(server.token);
  });

  it("list each DynamoDB call's operation and milliseconds on the request's line", async () => {
    const created = await call(`${server.baseUrl}/tasks`, 'POST', {
      token: server.token,
      body: { title: 't' },
    });
    const reply = await call(`${server.baseUrl}/tasks/${created.json.taskId}`, 'PATCH', {
      token: server.token,
      body: { status: 'DONE' },
    });
    const requestId = reply.headers.get('x-request-id');
    const line = await eventually(() =>
      jsonLines().find((l) => l.correlationId === requestId && l.message === 'Request handled'),
    );
    expect(line).toMatchObject({ level: 'INFO', route: 'updateTask', statusCode: 200 });
    const calls = line.dynamodb as { operation: string; ms: number }[];
    expect(calls.map((c) => c.operation)).toEqual(['UpdateItem']);
    expect(calls[0]?.ms).toBeTypeOf('number');
    expect(line.dynamodbMs).toBe(calls[0]?.ms);
  });

  it('name the failed DynamoDB call and its error', async () => {
    const missing = '019a4f7e-3c1d-7a2b-9c3e-5d6f7a8b9c0d';
    const reply = await call(`${server.baseUrl}/tasks/${missing}`, 'PATCH', {
      token: server.token,
      body: { title: 'gone' },
    });
    expect(reply.status).toBe(404);
    const requestId = reply.headers.get('x-request-id');
    const line = await eventually(() =>
      jsonLines().find((l) => l.correlationId === requestId && l.message === 'Request handled'),
    );
    // The failed condition of the update, then the read that tells a missing task from a moved version.
    expect(line.dynamodb).toMatchObject([
      { operation: 'UpdateItem', error: 'ConditionalCheckFailedException' },
      { operation: 'GetItem' },
    ]);
  });

  it("keep each request's id, route and calls on its own line while requests overlap", async () => {
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2 === 0
          ? call(`${server.baseUrl}/tasks?limit=5`, 'GET', { token: server.token })
          : call(`${server.baseUrl}/tasks`, 'POST', { token: server.token, body: { title: `overlap ${i}` } }),
      ),
    );
    for (const [i, reply] of replies.entries()) {
      const requestId = reply.headers.get('x-request-id');
      const line = await eventually(() =>
        jsonLines().find((l) => l.correlationId === requestId && l.message === 'Request handled'),
      );
      // A create reads the list's task count first (the cap) and may move it (sampled), around its PutItem.
      const [route, operation, alongside] =
        i % 2 === 0 ? ['listTasks', 'Query', []] : ['createTask', 'PutItem', ['GetItem', 'UpdateItem']];
      expect(line).toMatchObject({ function_request_id: requestId, route, statusCode: reply.status });
      const operations = (line.dynamodb as { operation: string }[]).map((c) => c.operation);
      expect(operations).toContain(operation);
      expect(operations.filter((name) => name !== operation && !alongside.includes(name))).toEqual([]);
    }
  });

  it('put the request id of a failed request in its header and body', async () => {
    const reply = await call(`${server.baseUrl}/tasks`, 'POST', { token: server.token, body: {} });
    expect(reply.status).toBe(400);
    expect(reply.json.requestId).toBe(reply.headers.get('x-request-id'));
  });
});

describe('metrics', () => {
  it('emits TasksCreated in the TaskService namespace when a task is created', async () => {
    await call(`${server.baseUrl}/tasks`, 'POST', { token: server.token, body: { title: 'measured' } });
    const line = await emitted('TasksCreated');
    expect(line).toMatchObject({ service: 'task-service', TasksCreated: 1 });
    expect(JSON.stringify(line._aws)).toContain('"Namespace":"TaskService"');
  });

  it('emits TasksCompleted when a task is set to DONE', async () => {
    const created = await call(`${server.baseUrl}/tasks`, 'POST', {
      token: server.token,
      body: { title: 't' },
    });
    await call(`${server.baseUrl}/tasks/${created.json.taskId}`, 'PUT', {
      token: server.token,
      body: { status: 'DONE' },
    });
    expect(await emitted('TasksCompleted')).toMatchObject({ TasksCompleted: 1 });
  });

  it('counts a task as completed once, not again when DONE is sent twice', async () => {
    const count = (metric: string) => jsonLines().filter((line) => metricNames(line).includes(metric)).length;
    const completedBefore = count('TasksCompleted');
    const failuresBefore = count('ValidationFailures');
    const created = await call(`${server.baseUrl}/tasks`, 'POST', {
      token: server.token,
      body: { title: 't' },
    });
    for (let i = 0; i < 2; i++)
      await call(`${server.baseUrl}/tasks/${created.json.taskId}`, 'PATCH', {
        token: server.token,
        body: { status: 'DONE' },
      });
    // A later metric line marks that everything before it has been written.
    await call(`${server.baseUrl}/tasks`, 'POST', { token: server.token, body: { title: '' } });
    await eventually(() => (count('ValidationFailures') > failuresBefore ? true : undefined));
    expect(count('TasksCompleted')).toBe(completedBefore + 1);
  });

  it("emits each DynamoDB call time in milliseconds, on the request's own Request handled line", async () => {
    const reply = await call(`${server.baseUrl}/tasks`, 'GET', { token: server.token });
    const requestId = reply.headers.get('x-request-id');
    const line = await eventually(() =>
      jsonLines().find((l) => l.correlationId === requestId && l.message === 'Request handled'),
    );
    expect(metricNames(line)).toContain('DynamoDBCallLatency');
    expect(JSON.stringify(line._aws)).toContain('{"Name":"DynamoDBCallLatency","Unit":"Milliseconds"}');
    expect([line.DynamoDBCallLatency].flat().every((ms) => typeof ms === 'number')).toBe(true);
  });

  it('emits ValidationFailures when a request is invalid', async () => {
    await call(`${server.baseUrl}/tasks`, 'POST', { token: server.token, body: { title: '' } });
    expect(await emitted('ValidationFailures')).toMatchObject({ ValidationFailures: 1 });
  });

  it('emits AuthorizerDenials when a credential is refused, without logging it', async () => {
    await call(`${server.baseUrl}/tasks`, 'GET', { token: 'not-a-valid-token' });
    expect(await emitted('AuthorizerDenials')).toMatchObject({ AuthorizerDenials: 1 });
    expect(server.stdout()).not.toContain('not-a-valid-token');
  });
});
