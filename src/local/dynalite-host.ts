/**
 * The one place that creates the embedded dynalite server, whichever thread hosts it (`dynamo-local.ts`
 * runs it on a worker thread by default, or on the caller's own): a check on every request that reaches
 * the store (an IAM check, say) attaches here, and applies to both. The worker loads this file with Node's
 * own type stripping, which is fastest while it imports only packages and
 * node: modules (with a relative import the worker falls back to the tsx loader).
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface DynaliteOptions {
  /** A folder for its LevelDB files; in memory when undefined. */
  readonly path?: string | undefined;
}

export interface HostedDynalite {
  /** Its loopback port. */
  readonly port: number;
  /** The server, for a check to attach to before its port is handed out (`guardDynalite`). */
  readonly server: Server;
  close(): Promise<void>;
}

export async function hostDynalite({ path }: DynaliteOptions): Promise<HostedDynalite> {
  if (path) mkdirSync(path, { recursive: true });
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
