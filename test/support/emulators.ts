import { inject } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '../../src/local/dynamo-local.js';

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
