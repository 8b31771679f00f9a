import { afterAll, beforeAll } from 'vitest';
import { type LocalServer, type StartOptions, startLocalServer } from './local-server.js';

/**
 * `npm start` for the enclosing suite (the file, or the describe block it is called in): started in a
 * `beforeAll`, destroyed with its DATA_DIR in an `afterAll`. The server it returns reads through to the
 * running one, so tests and later hooks use it as they would `startLocalServer`'s; before the start it
 * throws. Options given as a function are read when the server starts, after the hooks registered before
 * this call (to point it at a store an earlier `beforeAll` started).
 *
 * Kept apart from `local-server.ts`, which `scripts/soak.ts` imports outside vitest.
 */
export function useLocalServer(options: StartOptions | (() => StartOptions) = {}): LocalServer {
  let started: LocalServer | undefined;
  const running = (): LocalServer => {
    if (!started) throw new Error('The local server starts in beforeAll: use it in a test or a later hook');
    return started;
  };
  beforeAll(async () => {
    started = await startLocalServer(typeof options === 'function' ? options() : options);
  });
  afterAll(async () => {
    await started?.destroy();
  });
  return {
    get baseUrl() {
      return running().baseUrl;
    },
    get token() {
      return running().token;
    },
    get dataDir() {
      return running().dataDir;
    },
    get child() {
      return running().child;
    },
    stdout: () => running().stdout(),
    stderr: () => running().stderr(),
    stop: (signal) => running().stop(signal),
    kill9: () => running().kill9(),
    destroy: () => running().destroy(),
  };
}
