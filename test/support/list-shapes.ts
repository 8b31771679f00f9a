import { listAllTasks, type TaskClient } from 'task-service/client';
import { expect } from 'vitest';

/**
 * Four tasks that tell every list shape apart, and what each shape must answer, one task a page through
 * the `Link` headers: the typed client's e2e test and the emulator matrix both run it.
 */
export async function expectEveryListShape(client: TaskClient): Promise<void> {
  const specs = [
    { title: 'a', dueDate: '2026-01-03', tags: ['home'] },
    { title: 'b', dueDate: '2026-01-01', status: 'DONE' as const },
    { title: 'c', tags: ['home', 'garden'] },
    { title: 'd', dueDate: '2026-01-02T12:00:00+01:00', status: 'DONE' as const, tags: ['garden'] },
  ];
  for (const body of specs) await client.POST('/tasks', { body });
  const titles = async (query: Parameters<typeof listAllTasks>[1]) => {
    const seen: string[] = [];
    for await (const task of listAllTasks(client, { ...query, limit: 1 })) seen.push(task.title);
    return seen;
  };
  expect(await titles({})).toEqual(['a', 'b', 'c', 'd']);
  expect(await titles({ status: 'DONE', order: 'desc' })).toEqual(['d', 'b']);
  expect(await titles({ sort: 'dueDate' })).toEqual(['b', 'd', 'a', 'c']);
  expect(await titles({ sort: 'dueDate', order: 'desc' })).toEqual(['c', 'a', 'd', 'b']);
  expect(await titles({ status: 'DONE', dueAfter: '2026-01-02' })).toEqual(['d']);
  expect(await titles({ dueBefore: '2026-01-03', order: 'desc' })).toEqual(['d', 'b']);
  expect(await titles({ tag: 'GARDEN' })).toEqual(['c', 'd']);
  expect(await titles({ sort: 'updatedAt', order: 'desc' })).toEqual(['d', 'c', 'b', 'a']);
  expect(await titles({ sort: 'updatedAt', status: 'PENDING' })).toEqual(['a', 'c']);
}
