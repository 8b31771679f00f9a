// Long on purpose (~300 lines): every measured operation and the seeded mix share one harness and one report; split, the figures would no longer come from one run.
/**
 * Capacity units per API request, measured on AWS's DynamoDB Local through `npm start`: the real handler,
 * service and store (its signed DynamoDB client), with a capacity-recording proxy as the DynamoDB endpoint. Each operation is
 * repeated and averaged, on a plain task and on one with a due date and 3 tags, at two item sizes; then a
 * seeded mix of writes gives the figure the table's design is judged by.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../test/support/dynamodb-local.js';
import { type Consumed, emptyConsumed, startCapacityProxy } from './capacity-proxy.js';
import { type Api, apiOf, itemBytes, seeded } from './cost-support.js';
import { startService } from './processes.js';

const TABLE = 'tasks';
const REPEATS = 6;
const MIX_WRITES = 300;
const LIST_QUERIES = [
  'limit=20',
  'limit=20&status=PENDING',
  'limit=20&tag=t1',
  'limit=20&sort=updatedAt&order=desc',
];

export interface CostRow {
  readonly operation: string;
  /** Units per request on a plain task, and on one with a due date and 3 tags (undefined: not applicable). */
  readonly plain?: number;
  readonly rich?: number;
}

export interface CostSection {
  readonly targetBytes: number;
  /** Measured sizes of the stored items: plain, and with a due date and 3 tags. */
  readonly itemBytes: { plain: number; rich: number };
  readonly writes: CostRow[];
  readonly reads: CostRow[];
  /** WRU per write over the mix, and how the mix's units split between the table and each index. */
  readonly mixWruPerWrite: number;
  readonly mixByIndex: Record<string, number>;
}

/**
 * Target sizes of a task with a due date and 3 tags: 0.5 KB and 2 KB, less a margin so an update that
 * lengthens the item (a longer status, `completedAt`) stays in the same 1 KB write unit.
 */
const TARGETS = [480, 1960];

export async function measureCost(targets: readonly number[] = TARGETS): Promise<CostSection[]> {
  const dynamo = await startDynamoDbLocal();
  const proxy = await startCapacityProxy(dynamo.endpoint);
  const tokens = Object.fromEntries(
    [...targets.map((t) => `t${t}`), 'member'].map((name) => [name, randomBytes(18).toString('base64url')]),
  );
  const service = await startService(tokens, { DYNAMODB_ENDPOINT: proxy.endpoint, TABLE_NAME: TABLE });
  const raw = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const sections: CostSection[] = [];
    for (const target of targets) {
      const api = apiOf(service.baseUrl, tokens[`t${target}`] ?? '');
      const member = apiOf(service.baseUrl, tokens.member ?? '');
      sections.push(await measureAt(api, member, target, async (taskId) => storedBytes(raw, target, taskId)));
    }
    return sections;
  } finally {
    raw.destroy();
    await service.stop();
    await proxy.close();
    await dynamo.close();
  }

  async function storedBytes(client: DynamoDBClient, target: number, taskId: string): Promise<number> {
    const principal = `t${target}`;
    const { Item } = await client.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `T#${principal}` }, sk: { S: taskId } } }),
    );
    if (!Item) throw new Error(`task ${taskId} not found under ${principal}`);
    return itemBytes(Item as unknown as Record<string, Record<string, unknown>>);
  }

  /** The units of one request, averaged over `REPEATS` fresh subjects. */
  async function average(
    setup: () => Promise<string>,
    act: (taskId: string) => Promise<unknown>,
    write: boolean,
  ) {
    let units = 0;
    for (let i = 0; i < REPEATS; i++) {
      const taskId = await setup();
      proxy.take();
      await act(taskId);
      const used = proxy.take();
      units += write ? used.write : used.read;
    }
    return units / REPEATS;
  }

  async function measureAt(
    api: Api,
    member: Api,
    target: number,
    bytesOf: (taskId: string) => Promise<number>,
  ) {
    // The description pads a task with a due date and 3 tags to the target size; a plain one is smaller.
    const shape = (description: string, dated: boolean) => ({
      title: 'a task to measure',
      description,
      ...(dated && { dueDate: '2027-03-01', tags: ['t1', 't2', 't3'] }),
    });
    const create = async (body: object) =>
      ((await api.send('POST', '/tasks', body)) as { taskId: string }).taskId;
    const padding = 'x'.repeat(Math.max(0, target - (await bytesOf(await create(shape('', true))))));
    const plain = () => shape(padding, false);
    const rich = () => shape(padding, true);
    const both = async (name: string, act: (id: string) => Promise<unknown>): Promise<CostRow> => ({
      operation: name,
      plain: await average(() => create(plain()), act, true),
      rich: await average(() => create(rich()), act, true),
    });
    const itemBytesOf = {
      plain: await bytesOf(await create(plain())),
      rich: await bytesOf(await create(rich())),
    };

    const writes: CostRow[] = [
      {
        operation: 'create',
        plain: await average(
          async () => '',
          () => api.send('POST', '/tasks', plain()),
          true,
        ),
        rich: await average(
          async () => '',
          () => api.send('POST', '/tasks', rich()),
          true,
        ),
      },
      await both('update the title', (id) => api.send('PUT', `/tasks/${id}`, { title: 'renamed' })),
      await both('status change', (id) => api.send('PUT', `/tasks/${id}`, { status: 'IN_PROGRESS' })),
      await both('delete', (id) => api.send('DELETE', `/tasks/${id}`)),
      {
        operation: 'idempotent create',
        plain: await average(
          async () => '',
          () => api.send('POST', '/tasks', plain(), { 'Idempotency-Key': randomUUID() }),
          true,
        ),
        rich: await average(
          async () => '',
          () => api.send('POST', '/tasks', rich(), { 'Idempotency-Key': randomUUID() }),
          true,
        ),
      },
    ];
    const reads: CostRow[] = [
      {
        operation: 'get',
        plain: await average(
          () => create(plain()),
          (id) => api.send('GET', `/tasks/${id}`),
          false,
        ),
        rich: await average(
          () => create(rich()),
          (id) => api.send('GET', `/tasks/${id}`),
          false,
        ),
      },
    ];
    // A list page of 20 out of an owner's tasks, half of them with a due date and 3 tags.
    for (let i = 0; i < 24; i++) await create(i % 2 === 0 ? plain() : rich());
    for (const query of LIST_QUERIES)
      reads.push({
        operation: `list page: ${query}`,
        plain: await average(
          async () => '',
          () => api.send('GET', `/tasks?${query}`),
          false,
        ),
      });

    // The same in a named list, reached through the caller's membership (one strongly consistent read more).
    const { listId } = (await api.send('POST', '/lists', { title: 'measured' })) as { listId: string };
    const inList = `/lists/${listId}/tasks`;
    const createInList = async (body: object) =>
      ((await api.send('POST', inList, body)) as { taskId: string }).taskId;
    reads.push({
      operation: 'get, in a named list',
      plain: await average(
        () => createInList(plain()),
        (id) => api.send('GET', `${inList}/${id}`),
        false,
      ),
      rich: await average(
        () => createInList(rich()),
        (id) => api.send('GET', `${inList}/${id}`),
        false,
      ),
    });
    for (let i = 0; i < 24; i++) await createInList(i % 2 === 0 ? plain() : rich());
    for (const query of ['limit=20', 'limit=20&sort=position'])
      reads.push({
        operation: `list page, in a named list: ${query}`,
        plain: await average(
          async () => '',
          () => api.send('GET', `${inList}?${query}`),
          false,
        ),
      });
    writes.push(
      {
        operation: 'create, in a named list',
        plain: await average(
          async () => '',
          () => api.send('POST', inList, plain()),
          true,
        ),
        rich: await average(
          async () => '',
          () => api.send('POST', inList, rich()),
          true,
        ),
      },
      {
        // A top-level task placed first: the moved task's one write (its reads are reported apart).
        operation: 'move (reorder)',
        plain: await average(
          () => createInList(plain()),
          (id) => api.send('POST', `${inList}/${id}/move`, { previousId: null, parentId: null }),
          true,
        ),
        rich: await average(
          () => createInList(rich()),
          (id) => api.send('POST', `${inList}/${id}/move`, { previousId: null, parentId: null }),
          true,
        ),
      },
      {
        operation: 'create a list',
        plain: await average(
          async () => '',
          () => api.send('POST', '/lists', { title: 'another' }),
          true,
        ),
      },
    );
    // A create reads the count of its list's tasks (the caps, docs/operate.md), and in a named list the membership.
    reads.push(
      {
        operation: 'create: its reads',
        plain: await average(
          async () => '',
          () => api.send('POST', '/tasks', plain()),
          false,
        ),
      },
      {
        operation: 'create, in a named list: its reads',
        plain: await average(
          async () => '',
          () => api.send('POST', inList, plain()),
          false,
        ),
      },
    );
    reads.push({
      operation: 'move (reorder): its reads',
      plain: await average(
        () => createInList(plain()),
        (id) => api.send('POST', `${inList}/${id}/move`, { previousId: null, parentId: null }),
        false,
      ),
    });

    // Sharing: the owner adds and removes members; an editor works in the shared list as the owner does.
    let n = 0;
    writes.push(
      {
        operation: 'add a member',
        plain: await average(
          async () => '',
          () => api.send('PUT', `/lists/${listId}/members/m${n++}`, { role: 'viewer' }),
          true,
        ),
      },
      {
        operation: 'remove a member',
        plain: await average(
          async () => {
            await api.send('PUT', `/lists/${listId}/members/m${n}`, { role: 'viewer' });
            return `m${n++}`;
          },
          (id) => api.send('DELETE', `/lists/${listId}/members/${id}`),
          true,
        ),
      },
    );
    await api.send('PUT', `/lists/${listId}/members/member`, { role: 'editor' });
    writes.push({
      operation: 'create, as an editor of a shared list',
      plain: await average(
        async () => '',
        () => member.send('POST', inList, plain()),
        true,
      ),
      rich: await average(
        async () => '',
        () => member.send('POST', inList, rich()),
        true,
      ),
    });
    reads.push(
      {
        operation: 'get, as an editor of a shared list',
        plain: await average(
          () => createInList(plain()),
          (id) => member.send('GET', `${inList}/${id}`),
          false,
        ),
      },
      {
        operation: 'list page, as an editor of a shared list: limit=20',
        plain: await average(
          async () => '',
          () => member.send('GET', `${inList}?limit=20`),
          false,
        ),
      },
      {
        operation: 'members page: limit=20',
        plain: await average(
          async () => '',
          () => member.send('GET', `/lists/${listId}/members?limit=20`),
          false,
        ),
      },
    );

    const mix = await runMix(api, plain, rich);
    return { targetBytes: target, itemBytes: itemBytesOf, writes, reads, ...mix };
  }

  /**
   * ⅓ creates, ½ updates (half of them a new title, half a move to another status), ⅙ deletes; half the
   * tasks with a due date and 3 tags.
   */
  async function runMix(api: Api, plain: () => object, rich: () => object) {
    const random = seeded(14);
    const statuses = ['PENDING', 'IN_PROGRESS', 'DONE'];
    const live: { id: string; status: number }[] = [];
    const createOne = async () => {
      const body = random() < 0.5 ? plain() : rich();
      live.push({ id: ((await api.send('POST', '/tasks', body)) as { taskId: string }).taskId, status: 0 });
    };
    for (let i = 0; i < 20; i++) await createOne();
    proxy.take();
    const total: Consumed = emptyConsumed();
    for (let i = 0; i < MIX_WRITES; i++) {
      const roll = random();
      const task = live[Math.floor(random() * live.length)];
      if (roll < 1 / 3 || !task) await createOne();
      else if (roll < 5 / 6 && random() < 0.5)
        await api.send('PUT', `/tasks/${task.id}`, { title: `title ${i}` });
      else if (roll < 5 / 6) {
        task.status = (task.status + 1 + Math.floor(random() * 2)) % 3;
        await api.send('PUT', `/tasks/${task.id}`, { status: statuses[task.status] });
      } else {
        live.splice(live.indexOf(task), 1);
        await api.send('DELETE', `/tasks/${task.id}`);
      }
      const used = proxy.take();
      total.write += used.write;
      for (const [name, units] of Object.entries(used.byIndex))
        total.byIndex[name] = { read: 0, write: (total.byIndex[name]?.write ?? 0) + units.write };
    }
    const mixByIndex = Object.fromEntries(
      Object.entries(total.byIndex).map(([name, units]) => [name, units.write / MIX_WRITES]),
    );
    return { mixWruPerWrite: total.write / MIX_WRITES, mixByIndex };
  }
}
