import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TASK_STATUSES, type TaskStatus } from '../../src/domain/task.js';
import { call } from '../support/http.js';
import { useLocalServer } from '../support/use-local-server.js';

/**
 * Model-based testing (fast-check commands): random sequences of creates (with and without an
 * Idempotency-Key, replayed and misused), conditional and unconditional updates and deletes, reads and
 * filtered lists run against the API and against a tiny in-memory model; after every step they agree.
 */
const RUNS = Number(process.env.MODEL_RUNS ?? 100);
const server = useLocalServer({ env: { ACCESS_LOG: 'off' } });
const url = (path: string) => `${server.baseUrl}${path}`;
const as = () => ({ token: server.token });

interface ModelTask {
  taskId: string;
  title: string;
  description: string;
  status: TaskStatus;
  version: number;
}
interface Model {
  /** Live tasks by id. */
  tasks: Map<string, ModelTask>;
  /** Every id ever created, deleted ones too, so commands can aim at missing tasks. */
  ids: string[];
  /** Idempotency keys used, with the body sent and the task it created (as first returned). */
  keys: { key: string; title: string; status: TaskStatus; created: ModelTask }[];
}
type Real = Record<string, never>;
type Cmd = fc.AsyncCommand<Model, Real>;

const pick = <T>(items: readonly T[], n: number): T | undefined => items[n % Math.max(1, items.length)];
const fieldsOf = (t: ModelTask) => ({
  taskId: t.taskId,
  title: t.title,
  description: t.description,
  status: t.status,
  version: t.version,
});

class Create implements Cmd {
  constructor(
    readonly title: string,
    readonly status: TaskStatus,
    readonly key: 'none' | 'new' | 'same' | 'other',
    readonly n: number,
  ) {}
  check = () => true;
  async run(m: Model) {
    const reused = this.key === 'same' || this.key === 'other' ? pick(m.keys, this.n) : undefined;
    const key = reused?.key ?? (this.key === 'none' ? undefined : randomUUID());
    const same = this.key === 'same' && reused;
    const title = same ? reused.title : this.title;
    const status = same ? reused.status : this.status;
    const reply = await call(url('/tasks'), 'POST', {
      ...as(),
      body: { title, status },
      ...(key && { headers: { 'Idempotency-Key': key } }),
    });
    const replay = reused && reused.title === title && reused.status === status;
    if (replay) {
      expect([reply.status, reply.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
      expect(fieldsOf(reply.json)).toEqual(fieldsOf(reused.created));
      return;
    }
    if (reused) return void expect(reply.status).toBe(422);
    expect(reply.status).toBe(201);
    const created: ModelTask = {
      taskId: reply.json.taskId,
      title: title.trim(),
      description: '',
      status,
      version: 1,
    };
    expect(fieldsOf(reply.json)).toEqual(created);
    m.tasks.set(created.taskId, created);
    m.ids.push(created.taskId);
    if (key) m.keys.push({ key, title, status, created: { ...created } });
  }
  toString = () => `Create(${JSON.stringify(this.title)}, ${this.status}, key=${this.key})`;
}

class Update implements Cmd {
  constructor(
    readonly n: number,
    readonly patch: { title?: string; status?: TaskStatus },
    readonly ifMatch: 'none' | 'current' | 'stale',
  ) {}
  check = (m: Readonly<Model>) => m.ids.length > 0;
  async run(m: Model) {
    const id = pick(m.ids, this.n) ?? '';
    const current = m.tasks.get(id);
    const etag = this.ifMatch === 'stale' ? `"${(current?.version ?? 1) + 7}"` : `"${current?.version ?? 1}"`;
    const reply = await call(url(`/tasks/${id}`), 'PATCH', {
      ...as(),
      body: this.patch,
      ...(this.ifMatch !== 'none' && { headers: { 'If-Match': etag } }),
    });
    if (!current) return void expect(reply.status).toBe(404);
    if (this.ifMatch === 'stale') {
      expect([reply.status, reply.headers.get('etag')]).toEqual([412, `"${current.version}"`]);
      return;
    }
    const next = {
      ...current,
      ...this.patch,
      ...(this.patch.title && { title: this.patch.title.trim() }),
      version: current.version + 1,
    };
    expect([reply.status, reply.headers.get('etag')]).toEqual([200, `"${next.version}"`]);
    expect(fieldsOf(reply.json)).toEqual(next);
    m.tasks.set(id, next);
  }
  toString = () => `Update(#${this.n}, ${JSON.stringify(this.patch)}, ifMatch=${this.ifMatch})`;
}

class Delete implements Cmd {
  constructor(
    readonly n: number,
    readonly ifMatch: 'none' | 'current' | 'stale',
  ) {}
  check = (m: Readonly<Model>) => m.ids.length > 0;
  async run(m: Model) {
    const id = pick(m.ids, this.n) ?? '';
    const current = m.tasks.get(id);
    const version = (current?.version ?? 1) + (this.ifMatch === 'stale' ? 1 : 0);
    const reply = await call(url(`/tasks/${id}`), 'DELETE', {
      ...as(),
      ...(this.ifMatch !== 'none' && { headers: { 'If-Match': `"${version}"` } }),
    });
    if (!current) return void expect(reply.status).toBe(404);
    if (this.ifMatch === 'stale') return void expect(reply.status).toBe(412);
    expect(reply.status).toBe(204);
    m.tasks.delete(id);
  }
  toString = () => `Delete(#${this.n}, ifMatch=${this.ifMatch})`;
}

class Get implements Cmd {
  constructor(readonly n: number) {}
  check = (m: Readonly<Model>) => m.ids.length > 0;
  async run(m: Model) {
    const id = pick(m.ids, this.n) ?? '';
    const reply = await call(url(`/tasks/${id}`), 'GET', as());
    const current = m.tasks.get(id);
    if (!current) return void expect(reply.status).toBe(404);
    expect([reply.status, reply.headers.get('etag')]).toEqual([200, `"${current.version}"`]);
    expect(fieldsOf(reply.json)).toEqual(current);
  }
  toString = () => `Get(#${this.n})`;
}

class List implements Cmd {
  constructor(readonly status: TaskStatus | undefined) {}
  check = () => true;
  async run(m: Model) {
    const reply = await call(
      url(`/tasks?limit=100${this.status ? `&status=${this.status}` : ''}`),
      'GET',
      as(),
    );
    expect(reply.status).toBe(200);
    const expected = [...m.tasks.values()]
      .filter((t) => !this.status || t.status === this.status)
      .sort((a, b) => (a.taskId < b.taskId ? -1 : 1));
    expect(reply.json.map(fieldsOf)).toEqual(expected);
  }
  toString = () => `List(${this.status ?? 'all'})`;
}

const status = fc.constantFrom(...TASK_STATUSES);
const title = fc.oneof(
  fc.constantFrom('a', 'b', ' padded '),
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
);
const ifMatch = fc.constantFrom('none' as const, 'current' as const, 'stale' as const);
const commands = fc.commands(
  [
    fc
      .tuple(
        title,
        status,
        fc.constantFrom('none' as const, 'new' as const, 'same' as const, 'other' as const),
        fc.nat(),
      )
      .map(([t, s, k, n]) => new Create(t, s, k, n)),
    fc
      .tuple(
        fc.nat(),
        fc.record({ title, status }, { requiredKeys: [] }).filter((p) => Object.keys(p).length > 0),
        ifMatch,
      )
      .map(([n, patch, m]) => new Update(n, patch, m)),
    fc.tuple(fc.nat(), ifMatch).map(([n, m]) => new Delete(n, m)),
    fc.nat().map((n) => new Get(n)),
    fc.option(status, { nil: undefined }).map((s) => new List(s)),
  ],
  { maxCommands: 25 },
);

/** Each run starts from an empty principal, as the model does. */
async function clear() {
  const reply = await call(url('/tasks?limit=100'), 'GET', as());
  await Promise.all(
    reply.json.map((t: { taskId: string }) => call(url(`/tasks/${t.taskId}`), 'DELETE', as())),
  );
}

describe('the API against an in-memory model', () => {
  it(`agrees after every step of ${RUNS} random command sequences`, async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        await clear();
        await fc.asyncModelRun(() => ({ model: { tasks: new Map(), ids: [], keys: [] }, real: {} }), cmds);
      }),
      { numRuns: RUNS, ...(process.env.FUZZ_SEED && { seed: Number(process.env.FUZZ_SEED) }) },
    );
  }, 120_000);
});
