import type { ListQuery, TaskPage, TaskStore } from '../store/task-store.js';
import { TaskNotFoundError } from './errors.js';
import { type NewTaskInput, newTask, planTaskChange, type Task, type TaskPatch } from './task.js';

export interface ServiceDeps {
  readonly store: TaskStore;
  readonly now: () => Date;
  readonly newId: () => string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are server-made UUIDs, so anything else cannot name a task: it is a 404 without a store call. */
function checkTaskId(taskId: string): string {
  if (!UUID.test(taskId)) throw new TaskNotFoundError();
  return taskId.toLowerCase();
}

/** The use cases. Each is one store call; the owner always comes from the authorizer, never the request. */
export function makeTaskService({ store, now, newId }: ServiceDeps) {
  return {
    createTask: (ownerId: string, input: NewTaskInput): Promise<Task> =>
      store.create(ownerId, newTask(input, newId(), now())),

    async getTask(ownerId: string, taskId: string): Promise<Task> {
      const task = await store.get(ownerId, checkTaskId(taskId));
      if (!task) throw new TaskNotFoundError();
      return task;
    },

    updateTask: async (ownerId: string, taskId: string, patch: TaskPatch): Promise<Task> =>
      store.update(ownerId, checkTaskId(taskId), planTaskChange(patch, now())),

    deleteTask: async (ownerId: string, taskId: string): Promise<void> =>
      store.delete(ownerId, checkTaskId(taskId)),

    listTasks: (ownerId: string, query: ListQuery): Promise<TaskPage> => store.list(ownerId, query),
  };
}

export type TaskService = ReturnType<typeof makeTaskService>;
