import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';
import { conformingClient } from './typed-client.js';
import { useLocalServer } from './use-local-server.js';

/**
 * The emulator matrix: dynalite (embedded, as in `npm start`) and AWS's DynamoDB Local (one instance per
 * run, from the global setup). Only files named `*.emulators.test.ts` may use it: they form the vitest
 * project whose global setup starts DynamoDB Local.
 */
export interface Emulator {
  readonly name: 'dynalite' | 'DynamoDB Local';
  /** False when Java is missing outside CI: the global setup has said loudly that this half is skipped. */
  readonly available: boolean;
  /** A running store; close it when done (DynamoDB Local's own instance stays up for the run). */
  start(): Promise<LocalDynamo>;
}

export function emulators(): readonly Emulator[] {
  const endpoint = inject('dynamoDbLocalEndpoint');
  return [
    { name: 'dynalite', available: true, start: () => startLocalDynamo() },
    {
      name: 'DynamoDB Local',
      available: endpoint !== '',
      start: async () => ({ endpoint, close: async () => {} }),
    },
  ];
}

/**
 * `npm start` on the emulator for the enclosing describe block: dynalite embedded, as a new user runs it;
 * DynamoDB Local named as an external store (`DYNAMODB_ENDPOINT`), on a table of the server's own. Returns
 * its URLs and a typed client per token.
 */
export function serveOn(emulator: Emulator, tokens: Record<string, string>) {
  let dynamo: LocalDynamo | undefined;
  beforeAll(async () => {
    dynamo = await emulator.start();
  });
  // After hooks run in reverse: the server stops before its store closes.
  afterAll(async () => {
    await dynamo?.close();
  });
  const server = useLocalServer(() => {
    const store: Record<string, string> =
      emulator.name === 'dynalite' || !dynamo
        ? {}
        : { DYNAMODB_ENDPOINT: dynamo.endpoint, TABLE_NAME: `tasks-${randomUUID().slice(0, 8)}` };
    return { env: { API_TOKENS: JSON.stringify(tokens), ...store } };
  });
  return {
    url: (path: string) => `${server.baseUrl}${path}`,
    api: (token: string) => conformingClient(server.baseUrl, token),
  };
}
