/**
 * The one place that creates the embedded dynalite server, whichever thread hosts it (`dynamo-local.ts`
 * runs it on a worker thread by default, or on the caller's own): a check on every request that reaches
 * the store (an IAM check, say) attaches here, and applies to both.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { guardDynalite } from './local-iam.js';

export interface DynaliteOptions {
  /** A folder for its LevelDB files; in memory when undefined. */
  readonly path?: string | undefined;
  /** Hold the task function's calls to its role, as IAM does on AWS (src/local/local-iam.ts); default on. */
  readonly guard?: boolean | undefined;
}

export interface HostedDynalite {
  /** Its loopback port. */
  readonly port: number;
  close(): Promise<void>;
}

export async function hostDynalite({ path, guard = true }: DynaliteOptions): Promise<HostedDynalite> {
  if (path) mkdirSync(path, { recursive: true });
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  if (guard) guardDynalite(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
