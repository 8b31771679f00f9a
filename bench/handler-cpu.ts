/**
 * Handler CPU per request: the task handler invoked in-process with gateway-shaped events against the
 * in-memory store (which passes the same contract tests as the DynamoDB adapter), so only our own code is
 * timed: routing, parsing, validation, the service and the response.
 */

import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { v7 as uuidv7 } from 'uuid';
import { makeHandler } from '../src/api/handler.js';
import { makeTaskService } from '../src/domain/task-service.js';
import { buildProxyEvent } from '../src/local/proxy-event.js';
import { MemoryIdempotencyStore } from '../src/store/memory-idempotency-store.js';
import { MemoryTaskStore } from '../src/store/memory-task-store.js';
import { memoryServices } from '../test/support/memory-services.js';

const api = { region: 'us-east-1', accountId: '123456789012', apiId: 'local', stage: 'dev' };

/** A gateway-shaped event for a principal allowed to read and write. */
export function eventFor(
  method: string,
  path: string,
  resource: string,
  body?: unknown,
): APIGatewayProxyEvent {
  const url = new URL(`http://localhost:3000/dev${path}`);
  const headers = ['Host', 'localhost:3000', 'User-Agent', 'bench', 'Accept', 'application/json'];
  if (body !== undefined) headers.push('Content-Type', 'application/json');
  const req = { method, rawHeaders: headers, httpVersion: '1.1', socket: { remoteAddress: '127.0.0.1' } };
  const taskId = /^\/tasks\/([^?]+)/.exec(path)?.[1];
  return buildProxyEvent({
    api,
    req: req as unknown as IncomingMessage,
    url,
    resourcePath: resource,
    resourcePathWithinStage: url.pathname.replace(/^\/dev/, ''),
    pathParameters: taskId ? { taskId } : null,
    body: body === undefined ? null : JSON.stringify(body),
    requestId: 'bench-request',
    receivedAt: new Date(),
    authorizer: { principalId: 'bench', scopes: 'tasks/read tasks/write', authMode: 'token' },
    forwardedHeaders: {},
  });
}

export interface HandlerCpuRow {
  readonly route: string;
  readonly microsPerRequest: number;
}

export async function measureHandlerCpu(iterations: number): Promise<HandlerCpuRow[]> {
  const store = new MemoryTaskStore();
  const records = new MemoryIdempotencyStore();
  const handle = makeHandler({
    // A service per request, as the task function composes one for each request's deadline.
    servicesFor: () =>
      memoryServices(makeTaskService({ store, idempotency: records, now: () => new Date(), newId: uuidv7 })),
    corsOrigins: ['*'],
    logger: { error: () => undefined },
  });
  const seeded: string[] = [];
  for (let i = 0; i < 20; i++) {
    const reply = await handle(eventFor('POST', '/tasks', '/tasks', { title: `task ${i}` }));
    if (reply.statusCode !== 201) throw new Error(`seeding: ${reply.statusCode} ${reply.body}`);
    seeded.push(JSON.parse(reply.body).taskId);
  }
  const id = seeded[0] ?? '';
  const routes: [string, () => APIGatewayProxyEvent][] = [
    ['GET /tasks/{taskId}', () => eventFor('GET', `/tasks/${id}`, '/tasks/{taskId}')],
    ['GET /tasks?limit=20', () => eventFor('GET', '/tasks?limit=20', '/tasks')],
    ['POST /tasks', () => eventFor('POST', '/tasks', '/tasks', { title: 'bench', description: 'x' })],
    ['PUT /tasks/{taskId}', () => eventFor('PUT', `/tasks/${id}`, '/tasks/{taskId}', { title: 'renamed' })],
  ];
  const rows: HandlerCpuRow[] = [];
  for (const [route, makeEvent] of routes) {
    const events = Array.from({ length: iterations }, makeEvent);
    for (const event of events.slice(0, Math.min(500, iterations))) await handle(event); // warm the JIT
    const before = process.cpuUsage();
    for (const event of events) {
      const reply = await handle(event);
      if (reply.statusCode >= 400) throw new Error(`${route}: ${reply.statusCode} ${reply.body}`);
    }
    const used = process.cpuUsage(before);
    rows.push({ route, microsPerRequest: (used.user + used.system) / iterations });
  }
  return rows;
}
