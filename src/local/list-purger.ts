import { deadlineIn } from '../domain/deadline.js';
import type { ListPurger } from '../domain/list-store.js';
import { dynamoHttpDocumentOps, makeDynamoHttpClient } from '../store/dynamo-http-ops.js';
import { purgeList } from '../store/list-purge.js';

export interface InProcessPurgerOptions {
  readonly endpoint: string;
  readonly region: string;
  readonly tableName: string;
  /** One line per purge, or per failed attempt. */
  readonly log: (message: string, fields: Record<string, unknown>) => void;
}

/** As the stream's event source mapping bounds them on AWS (infra): a few attempts, then given up, loudly. */
const ATTEMPTS = 3;
/** The purge function's timeout on AWS; a purge still running then is retried. */
const PURGE_TIMEOUT_MS = 15 * 60_000;

/**
 * `npm start` has no DynamoDB stream, so the task function's `listPurger` hook runs the purge here, in
 * this process, with the same code the purge function runs on AWS (src/store/list-purge.ts), after the
 * DELETE has answered. It signs as the task function, whose role allows what the purge calls.
 */
export function inProcessPurger({ endpoint, region, tableName, log }: InProcessPurgerOptions) {
  const db = dynamoHttpDocumentOps(makeDynamoHttpClient({ region, endpoint }));
  const running = new Set<Promise<void>>();

  async function purge(listId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { purged } = await purgeList({ db, tableName, deadline: deadlineIn(PURGE_TIMEOUT_MS) }, listId);
        log('List purged', { listId, purged });
        return;
      } catch (error) {
        log('List purge failed', { listId, attempt, error: (error as Error).message });
        if (attempt >= ATTEMPTS) return;
        await new Promise((done) => setTimeout(done, 200 * 2 ** attempt));
      }
    }
  }

  const purger: ListPurger & { idle(): Promise<void> } = {
    listDeleted(listId) {
      const run = purge(listId).finally(() => running.delete(run));
      running.add(run);
    },
    /** Settles once every purge started so far has ended (for a clean stop, and tests). */
    async idle() {
      await Promise.all([...running]);
    },
  };
  return purger;
}
