import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { AddTask } from './add-task.js';
import { type Api, ApiError, type ListTasksQuery, type Versioned } from './api.js';
import { FilterBar, NO_FILTERS, queryOf } from './filters.js';
import { TaskItem } from './task-item.js';

interface Props {
  readonly api: Api;
  readonly onUnauthorized: () => void;
}

/** The caller's tasks: add, filter, sort, page through `Link: rel="next"`, and each task's own controls. */
export function Board({ api, onUnauthorized }: Props) {
  const [filters, setFilters] = useState(NO_FILTERS);
  const [items, setItems] = useState<Versioned[]>();
  const [next, setNext] = useState<ListTasksQuery>();
  const [message, setMessage] = useState<string>();
  const [loading, setLoading] = useState(false);
  // Answers can arrive out of order when filters change quickly: only the latest request may fill the list.
  const latest = useRef(0);

  const fail = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) return onUnauthorized();
      setMessage(error instanceof ApiError ? error.message : `Could not reach the API (${String(error)}).`);
    },
    [onUnauthorized],
  );
  const load = useCallback(
    async (query: ListTasksQuery, append: boolean) => {
      const request = ++latest.current;
      setLoading(true);
      try {
        const page = await api.list(query);
        if (request !== latest.current) return;
        setItems((shown) => [...(append ? (shown ?? []) : []), ...page.items]);
        setNext(page.next);
        setMessage(undefined);
      } catch (error) {
        if (request === latest.current) fail(error);
      } finally {
        if (request === latest.current) setLoading(false);
      }
    },
    [api, fail],
  );
  useEffect(() => void load(queryOf(filters), false), [load, filters]);

  const replace = (updated: Versioned) =>
    setItems((shown) => shown?.map((item) => (item.task.taskId === updated.task.taskId ? updated : item)));
  const drop = (taskId: string, notice?: string) => {
    setItems((shown) => shown?.filter((item) => item.task.taskId !== taskId));
    setMessage(notice);
  };
  const filtered = filters.status !== '' || filters.tag.trim() !== '';

  return (
    <div class="board">
      <AddTask api={api} onCreated={() => load(queryOf(filters), false)} onError={fail} />
      <section aria-labelledby="tasks-heading">
        <h2 id="tasks-heading">Tasks</h2>
        <FilterBar filters={filters} onChange={setFilters} />
        <div role="alert" class="error">
          {message}
        </div>
        {items?.length === 0 && (
          <p class="empty">
            {filtered ? 'No task matches these filters.' : 'No tasks yet: add the first one above.'}
          </p>
        )}
        <ul class="tasks" aria-label="Tasks" aria-busy={loading}>
          {items?.map((item) => (
            <TaskItem
              key={item.task.taskId}
              api={api}
              item={item}
              onChange={replace}
              onRemoved={(notice) => drop(item.task.taskId, notice)}
              onError={fail}
            />
          ))}
        </ul>
        {next && (
          <button type="button" disabled={loading} onClick={() => load(next, true)}>
            Load more
          </button>
        )}
      </section>
    </div>
  );
}
