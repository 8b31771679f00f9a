import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { AddTask } from './add-task.js';
import { ListHead } from './list-head.js';
import {
  appendPage,
  applyChanges,
  type Filters,
  isOutline,
  type ListShown,
  listKeyOf,
  matches,
  NO_FILTERS,
  queryOf,
} from './list-view.js';
import { type LiveSync, startLiveSync } from './live-sync.js';
import { useMoves } from './moves.js';
import { mayWrite } from './sharing.js';
import {
  type Api,
  hasStatus,
  isUnreachable,
  type ListRole,
  messageOf,
  type TaskChangeEntry,
  type Versioned,
} from './task-api.js';
import { TaskCard } from './task-card.js';

interface Props {
  /** The calls on the list shown. */
  readonly api: Api;
  /** The list's title, once the lists have loaded. */
  readonly title?: string;
  /** The caller's role in the list, once known: a viewer's board (or one whose role is unknown) offers no write. */
  readonly role?: ListRole;
  /** What the board says as it opens (e.g. why it shows this list). */
  readonly notice?: string;
  /** The list is gone (a 404): deleted elsewhere, or no longer shared. */
  readonly onListGone: () => void;
  /** The API accepted the token (a first answer came back). */
  readonly onAccepted: () => void;
  readonly onUnauthorized: () => void;
}

/**
 * Where the change feed resumes when the board opens: well before now, so a change the list missed (its
 * index is eventually consistent) or a clock that runs ahead of the server's still comes; a change the
 * list already shows is applied once (list-view.ts compares versions).
 */
const FIRST_SYNC_LOOKBACK_MS = 10 * 60_000;

/**
 * The caller's tasks, live: the list for the current filters, kept up to date from the change feed (every
 * tab and device of the same user sees a change within seconds), plus this tab's own writes.
 */
export function Board(props: Props) {
  const { api, title, role, notice: opening, onListGone, onAccepted, onUnauthorized } = props;
  const writable = mayWrite(role);
  const [filters, setFilters] = useState(NO_FILTERS);
  const [list, setList] = useState<ListShown>();
  const [problem, setProblem] = useState<string>();
  const [notice, setNotice] = useState(opening);
  // A phone shows the moves and Add subtask only while arranging, so its screen keeps room for the tasks.
  const [arranging, setArranging] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const current = useRef({ filters, list });
  current.current = { filters, list };
  const since = useRef(new Date(Date.now() - FIRST_SYNC_LOOKBACK_MS).toISOString());
  const sync = useRef<LiveSync>(undefined);

  const apply = useCallback((entries: readonly TaskChangeEntry[]) => {
    setList((shown) => shown && applyChanges(shown, entries, current.current.filters));
  }, []);

  const tick = useCallback(async () => {
    const { filters: wanted, list: shown } = current.current;
    const key = listKeyOf(wanted);
    try {
      if (shown?.key !== key) {
        const page = await api.list(queryOf(wanted));
        if (listKeyOf(current.current.filters) === key) setList({ key, ...page });
      } else {
        const entries = await api.changes(since.current);
        for (const entry of entries) if (entry.updatedAt > since.current) since.current = entry.updatedAt;
        if (entries.length > 0) apply(entries);
      }
      onAccepted();
      setProblem(undefined);
    } catch (error) {
      if (hasStatus(error, 401)) return onUnauthorized();
      if (hasStatus(error, 404)) return onListGone();
      if (hasStatus(error, 410)) {
        // The feed no longer reaches back to where this board was: load the list afresh.
        since.current = new Date(Date.now() - FIRST_SYNC_LOOKBACK_MS).toISOString();
        setList(undefined);
      }
      setProblem(
        isUnreachable(error)
          ? 'You seem to be offline: the task service can’t be reached.'
          : `The board can’t be updated: ${messageOf(error)}`,
      );
      throw error;
    }
  }, [api, apply, onAccepted, onListGone, onUnauthorized]);

  useEffect(() => {
    const live = startLiveSync(tick);
    sync.current = live;
    return () => live.stop();
  }, [tick]);

  const changeFilters = (next: Filters) => {
    setFilters(next);
    current.current = { ...current.current, filters: next };
    sync.current?.now();
  };
  const changed = (item: Versioned) => apply([item.task]);
  const removed = (taskId: string, message?: string) => {
    const items = current.current.list?.items ?? [];
    const at = items.findIndex((item) => item.task.taskId === taskId);
    const next = items[at + 1] ?? items[at - 1];
    apply([{ taskId, deleted: true, updatedAt: new Date().toISOString() }]);
    setNotice(message);
    // The focus was on the card that left: it moves to the next task (or the quick add), not to the page.
    const target = next ? `status-${next.task.taskId}` : 'new-title';
    setTimeout(() => document.getElementById(target)?.focus());
  };
  const created = (item: Versioned) => {
    const { list: shown } = current.current;
    // In the manual order a new task goes last: past the pages loaded, only Load more shows it.
    const beyond =
      shown?.key === listKeyOf(filters) &&
      !applyChanges(shown, [item.task], filters).items.some(({ task }) => task.taskId === item.task.taskId);
    apply([item.task]);
    const added = `Added “${item.task.title}”.`;
    if (!matches(item.task, filters)) setNotice(`${added} The current filters hide it.`);
    else setNotice(beyond ? `${added} It is listed after the tasks loaded: Load more shows it.` : undefined);
  };
  const items = (list?.key === listKeyOf(filters) ? list?.items : undefined) ?? [];
  const outline = isOutline(filters);
  const moves = useMoves({
    api,
    items,
    enabled: outline && writable,
    onMoved: (task) => {
      apply([task]);
      setNotice(undefined);
    },
    onFailed: (error) => {
      if (hasStatus(error, 401)) return onUnauthorized();
      setNotice(`Not moved: ${messageOf(error)}`);
      sync.current?.now();
    },
  });
  const loadMore = async (shown: ListShown) => {
    if (!shown.next) return;
    setLoadingMore(true);
    try {
      const page = await api.list(shown.next);
      setList((now) => (now?.key === shown.key ? appendPage(now, page) : now));
    } catch (error) {
      if (hasStatus(error, 401)) onUnauthorized();
      else setProblem(messageOf(error));
    } finally {
      setLoadingMore(false);
    }
  };

  const key = listKeyOf(filters);
  const fresh = list?.key === key ? list : undefined;
  // While the list for new filters loads, the previous one stays (marked busy); if it cannot load, no
  // list for other filters stands in for it.
  const shown = fresh ?? (problem ? undefined : list);
  const filtered = filters.status !== '' || filters.tag.trim() !== '';
  const subtasksOf = (taskId: string) =>
    shown?.items.filter((item) => item.task.parentId === taskId).length ?? 0;

  return (
    <div class="board">
      {writable && <AddTask api={api} onCreated={created} onUnauthorized={onUnauthorized} />}
      <section class="list" aria-labelledby="tasks-heading">
        <ListHead
          {...{ title, role, filters, arranging }}
          onArrange={setArranging}
          onFilters={changeFilters}
        />
        <div role="status" class="notice">
          {problem && (
            <span class="problem">
              {problem}{' '}
              {fresh
                ? 'The board shows your tasks as last loaded, and catches up once it can.'
                : 'These tasks will show once it can.'}{' '}
              Trying again automatically.{' '}
              <button type="button" class="link" onClick={() => sync.current?.now()}>
                Retry now
              </button>
            </span>
          )}
          {notice && <span>{notice}</span>}
        </div>
        {!shown && !problem && <p class="empty">Loading tasks…</p>}
        {fresh?.items.length === 0 && (
          <p class="empty">
            {filtered
              ? 'No task matches these filters.'
              : writable
                ? 'No tasks yet: add the first one above.'
                : 'No tasks yet.'}
          </p>
        )}
        {shown && (
          <ul
            class={`tasks${arranging ? ' arranging' : ''}`}
            aria-label="Tasks"
            aria-busy={shown !== fresh}
            {...moves.listProps}
          >
            {shown.items.map((item) => (
              <TaskCard
                key={item.task.taskId}
                api={api}
                item={item}
                onChange={changed}
                onCreated={changed}
                onRemoved={(message) => removed(item.task.taskId, message)}
                onUnauthorized={onUnauthorized}
                onTag={(tag) => changeFilters({ ...filters, tag: `#${tag}` })}
                writable={writable}
                nested={outline && item.task.parentId !== undefined}
                subtasks={subtasksOf(item.task.taskId)}
                order={writable && outline && shown === fresh ? moves.orderOf(item.task.taskId) : undefined}
              />
            ))}
          </ul>
        )}
        {fresh?.next && (
          <button type="button" disabled={loadingMore} onClick={() => loadMore(fresh)}>
            Load more
          </button>
        )}
      </section>
    </div>
  );
}
