// Long on purpose (~260 lines): one command per kind of request and the model that says who may see what; split, the rules the service is checked against would live apart from the requests they judge.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { call, type Reply } from '../support/http.js';
import { randomToken, UNLIMITED_PRINCIPALS } from '../support/local-server.js';
import { useLocalServer } from '../support/use-local-server.js';

/**
 * Model-based testing of sharing (fast-check commands): random principals create lists, share them, change
 * roles, remove members, leave, delete lists, and create, read, update, delete and list tasks, with task ids
 * taken from any list. A small model says who may see what; the service must agree on every response.
 */
const RUNS = Number(process.env.SHARING_MODEL_RUNS ?? 25);
const PRINCIPALS = ['p0', 'p1', 'p2', 'p3'] as const;
type Who = (typeof PRINCIPALS)[number];
type Role = 'owner' | 'editor' | 'viewer';
const tokens = Object.fromEntries(PRINCIPALS.map((who) => [who, randomToken()])) as Record<Who, string>;
const server = useLocalServer({
  env: { API_TOKENS: JSON.stringify(tokens), ACCESS_LOG: 'off', ...UNLIMITED_PRINCIPALS },
});
const api = (who: Who, method: string, path: string, body?: unknown) =>
  call(`${server.baseUrl}${path}`, method, { token: tokens[who], ...(body !== undefined && { body }) });

interface ModelList {
  listId: string;
  members: Map<Who, Role>;
  deleted: boolean;
}
interface Model {
  lists: ModelList[];
  /** Every task made, with the list it lives in; deleted ones stay so commands can aim at them. */
  tasks: { taskId: string; listId: string; live: boolean; title: string }[];
}
type Cmd = fc.AsyncCommand<Model, Record<string, never>>;

/** The table of rights, written out here rather than imported, so the model is the word. */
const MAY: Record<Role, readonly string[]> = {
  owner: ['read', 'write', 'manage'],
  editor: ['read', 'write'],
  viewer: ['read'],
};

const pick = <T>(items: readonly T[], n: number): T | undefined => items[n % Math.max(1, items.length)];
const roleOf = (list: ModelList | undefined, who: Who): Role | undefined =>
  list && !list.deleted ? list.members.get(who) : undefined;
/** What the model says a request needing `need` gets before it reaches any task: 404, 403, or go on. */
const gate = (list: ModelList | undefined, who: Who, need: 'read' | 'write' | 'manage') => {
  const role = roleOf(list, who);
  if (!role) return 404;
  return MAY[role].includes(need) ? undefined : 403;
};
/** The statuses the runs met: each answer the model can give must have been checked at least once. */
const SEEN = new Set<number>();
/**
 * Who makes a request: a fixed principal, or (`inside`) one of the list's members as the model has them, so
 * members act as often as outsiders do.
 */
const callerOf = (list: ModelList | undefined, who: Who, inside: boolean): Who => {
  const members = list && !list.deleted ? [...list.members.keys()] : [];
  return inside ? (pick(members, PRINCIPALS.indexOf(who)) ?? who) : who;
};
const expectStatus = (reply: Reply, status: number, what: string) => {
  SEEN.add(status);
  expect(reply.status, `${what}: ${reply.text}`).toBe(status);
};

class CreateList implements Cmd {
  constructor(readonly who: Who) {}
  check = () => true;
  async run(m: Model) {
    const reply = await api(this.who, 'POST', '/lists', { title: 'L' });
    expectStatus(reply, 201, this.toString());
    m.lists.push({ listId: reply.json.listId, members: new Map([[this.who, 'owner']]), deleted: false });
  }
  toString = () => `${this.who} creates a list`;
}

class SetMember implements Cmd {
  constructor(
    readonly inside: boolean,
    readonly who: Who,
    readonly n: number,
    readonly target: Who,
    readonly role: 'editor' | 'viewer',
  ) {}
  check = (m: Readonly<Model>) => m.lists.length > 0;
  async run(m: Model) {
    const list = pick(m.lists, this.n);
    if (!list) return;
    const who = callerOf(list, this.who, this.inside);
    const reply = await api(who, 'PUT', `/lists/${list.listId}/members/${this.target}`, {
      role: this.role,
    });
    const before = list.members.get(this.target);
    const want = gate(list, who, 'manage') ?? (this.target === who ? 409 : before ? 200 : 201);
    expectStatus(reply, want, `${who}: ${this.toString()}`);
    if (want < 300) list.members.set(this.target, this.role);
  }
  toString = () =>
    `${this.inside ? 'a member' : this.who} makes ${this.target} ${this.role} of list #${this.n}`;
}

class RemoveMember implements Cmd {
  constructor(
    readonly inside: boolean,
    readonly who: Who,
    readonly n: number,
    readonly target: Who,
  ) {}
  check = (m: Readonly<Model>) => m.lists.length > 0;
  async run(m: Model) {
    const list = pick(m.lists, this.n);
    if (!list) return;
    const who = callerOf(list, this.who, this.inside);
    const reply = await api(who, 'DELETE', `/lists/${list.listId}/members/${this.target}`);
    const leaving = this.target === who;
    const want = leaving
      ? (gate(list, who, 'read') ?? (roleOf(list, who) === 'owner' ? 409 : 204))
      : (gate(list, who, 'manage') ?? (list.members.has(this.target) ? 204 : 404));
    expectStatus(reply, want, `${who}: ${this.toString()}`);
    if (want === 204) list.members.delete(this.target);
  }
  toString = () => `${this.inside ? 'a member' : this.who} removes ${this.target} from list #${this.n}`;
}

class DeleteList implements Cmd {
  constructor(
    readonly inside: boolean,
    readonly who: Who,
    readonly n: number,
  ) {}
  check = (m: Readonly<Model>) => m.lists.length > 0;
  async run(m: Model) {
    const list = pick(m.lists, this.n);
    if (!list) return;
    const who = callerOf(list, this.who, this.inside);
    const reply = await api(who, 'DELETE', `/lists/${list.listId}`);
    const want = gate(list, who, 'manage') ?? 204;
    expectStatus(reply, want, `${who}: ${this.toString()}`);
    if (want === 204) list.deleted = true;
  }
  toString = () => `${this.inside ? 'a member' : this.who} deletes list #${this.n}`;
}

class CreateTask implements Cmd {
  constructor(
    readonly inside: boolean,
    readonly who: Who,
    readonly n: number,
  ) {}
  check = (m: Readonly<Model>) => m.lists.length > 0;
  async run(m: Model) {
    const list = pick(m.lists, this.n);
    if (!list) return;
    const who = callerOf(list, this.who, this.inside);
    const reply = await api(who, 'POST', `/lists/${list.listId}/tasks`, { title: 't' });
    const want = gate(list, who, 'write') ?? 201;
    expectStatus(reply, want, `${who}: ${this.toString()}`);
    if (want === 201)
      m.tasks.push({ taskId: reply.json.taskId, listId: list.listId, live: true, title: 't' });
  }
  toString = () => `${this.inside ? 'a member' : this.who} creates a task in list #${this.n}`;
}

/** A read, update or delete of any task ever made, under any list's path: ids from another list included. */
class TaskCall implements Cmd {
  constructor(
    readonly inside: boolean,
    readonly who: Who,
    readonly n: number,
    readonly t: number,
    readonly kind: 'read' | 'update' | 'delete',
  ) {}
  check = (m: Readonly<Model>) => m.lists.length > 0 && m.tasks.length > 0;
  async run(m: Model) {
    const list = pick(m.lists, this.n);
    const task = pick(m.tasks, this.t);
    if (!list || !task) return;
    const who = callerOf(list, this.who, this.inside);
    const path = `/lists/${list.listId}/tasks/${task.taskId}`;
    const reply =
      this.kind === 'read'
        ? await api(who, 'GET', path)
        : this.kind === 'update'
          ? await api(who, 'PATCH', path, { title: `u${this.t}` })
          : await api(who, 'DELETE', path);
    const found = task.live && task.listId === list.listId;
    const ok = this.kind === 'delete' ? 204 : 200;
    const want = gate(list, who, this.kind === 'read' ? 'read' : 'write') ?? (found ? ok : 404);
    expectStatus(reply, want, `${who}: ${this.toString()}`);
    if (want === 404 && roleOf(list, who)) expect(reply.json.message).toBe('Task not found');
    if (want === 200 && this.kind === 'update') task.title = `u${this.t}`;
    if (want === 200) expect(reply.json.title).toBe(task.title);
    if (want === 204) task.live = false;
  }
  toString = () =>
    `${this.inside ? 'a member' : this.who} ${this.kind}s task #${this.t} under list #${this.n}`;
}

class ListTasks implements Cmd {
  constructor(
    readonly inside: boolean,
    readonly who: Who,
    readonly n: number,
  ) {}
  check = (m: Readonly<Model>) => m.lists.length > 0;
  async run(m: Model) {
    const list = pick(m.lists, this.n);
    if (!list) return;
    const who = callerOf(list, this.who, this.inside);
    const reply = await api(who, 'GET', `/lists/${list.listId}/tasks?limit=100`);
    const want = gate(list, who, 'read') ?? 200;
    expectStatus(reply, want, `${who}: ${this.toString()}`);
    if (want !== 200) return;
    const ids = (reply.json as { taskId: string }[]).map((t) => t.taskId).sort();
    const live = m.tasks.filter((t) => t.live && t.listId === list.listId).map((t) => t.taskId);
    expect(ids).toEqual(live.sort());
  }
  toString = () => `${this.inside ? 'a member' : this.who} lists the tasks of list #${this.n}`;
}

/** The caller's lists of this run, with its role and the member count; and each list's members. */
class ListLists implements Cmd {
  constructor(readonly who: Who) {}
  check = () => true;
  async run(m: Model) {
    const reply = await api(this.who, 'GET', '/lists?limit=100');
    expectStatus(reply, 200, this.toString());
    const ours = new Set(m.lists.map((l) => l.listId));
    const seen = (reply.json as { listId: string; role: string; memberCount: number }[])
      .filter((l) => ours.has(l.listId))
      .map(({ listId, role, memberCount }) => ({ listId, role, memberCount }));
    const want = m.lists
      .filter((l) => roleOf(l, this.who))
      .map((l) => ({ listId: l.listId, role: roleOf(l, this.who), memberCount: l.members.size }));
    expect(seen).toEqual(want);
    for (const list of m.lists.filter((l) => roleOf(l, this.who))) {
      const members = await api(this.who, 'GET', `/lists/${list.listId}/members?limit=100`);
      expectStatus(members, 200, `${this.who} lists the members`);
      const expected = [...list.members].map(([principalId, role]) => ({ principalId, role }));
      expect(members.json).toEqual(expected.sort((a, b) => (a.principalId < b.principalId ? -1 : 1)));
    }
  }
  toString = () => `${this.who} lists its lists`;
}

const who = fc.constantFrom(...PRINCIPALS);
const inside = fc.boolean();
const n = fc.nat(20);
const commands = [
  who.map((w) => new CreateList(w)),
  who.map((w) => new CreateList(w)),
  fc
    .tuple(inside, who, n, who, fc.constantFrom('editor' as const, 'viewer' as const))
    .map(([o, w, i, t, r]) => new SetMember(o, w, i, t, r)),
  fc
    .tuple(inside, who, n, who, fc.constantFrom('editor' as const, 'viewer' as const))
    .map(([o, w, i, t, r]) => new SetMember(o, w, i, t, r)),
  fc.tuple(inside, who, n, who).map(([o, w, i, t]) => new RemoveMember(o, w, i, t)),
  fc.tuple(inside, who, n).map(([o, w, i]) => new DeleteList(o, w, i)),
  fc.tuple(inside, who, n).map(([o, w, i]) => new CreateTask(o, w, i)),
  fc
    .tuple(inside, who, n, n, fc.constantFrom('read' as const, 'update' as const, 'delete' as const))
    .map(([o, w, i, t, k]) => new TaskCall(o, w, i, t, k)),
  fc.tuple(inside, who, n).map(([o, w, i]) => new ListTasks(o, w, i)),
  who.map((w) => new ListLists(w)),
];

it(
  'agrees with a model of who may see what, on every response',
  async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 50, size: 'max' }), (cmds) =>
        fc.asyncModelRun(() => ({ model: { lists: [], tasks: [] }, real: {} }), cmds),
      ),
      { numRuns: RUNS },
    );
    expect([...SEEN].sort()).toEqual([200, 201, 204, 403, 404, 409]);
  },
  10 * 60_000,
);
