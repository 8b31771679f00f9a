import type { Services } from '../../src/api/handler.js';
import { makeListService } from '../../src/domain/list-service.js';
import type { TaskService } from '../../src/domain/task-service.js';
import { MemoryListStore } from '../../src/store/memory-list-store.js';

/** A handler's services over the in-memory stores: the given task service, and lists kept in memory. */
export function memoryServices(tasks: TaskService, now = () => new Date()): Services {
  let n = 0;
  const lists = makeListService({
    lists: new MemoryListStore(),
    purger: { listDeleted: () => undefined },
    now,
    newId: () => `0190a8a4-0000-7000-9000-${String(++n).padStart(12, '0')}`,
  });
  return { tasks, lists };
}
