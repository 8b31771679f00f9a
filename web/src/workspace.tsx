import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Board } from './board.js';
import { chosenListId, DEFAULT_LIST_ID, rememberListId } from './list-choice.js';
import { ListsPanel } from './lists-panel.js';
import { type AppApi, hasStatus, messageOf, type VersionedList } from './task-api.js';

interface Props {
  readonly api: AppApi;
  readonly onAccepted: () => void;
  readonly onUnauthorized: () => void;
}

/** The lists panel and the board of the list chosen there (remembered in the URL across reloads). */
export function Workspace({ api, onAccepted, onUnauthorized }: Props) {
  const [lists, setLists] = useState<readonly VersionedList[]>([]);
  const [selected, setSelected] = useState(chosenListId);
  const [problem, setProblem] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const loaded = useRef(false);

  const select = useCallback((listId: string, why?: string) => {
    rememberListId(listId);
    setSelected(listId);
    setNotice(why);
  }, []);
  const failed = (error: unknown): string | undefined => {
    if (hasStatus(error, 401)) return void onUnauthorized();
    return messageOf(error);
  };
  const reload = useCallback(async () => {
    try {
      const all = await api.lists.all();
      loaded.current = true;
      setLists(all);
      setProblem(undefined);
      return all;
    } catch (error) {
      if (hasStatus(error, 401)) onUnauthorized();
      else setProblem(`The lists can’t be loaded: ${messageOf(error)}`);
      return undefined;
    }
  }, [api, onUnauthorized]);
  // A list remembered from an earlier visit that no longer exists gives way to the default list.
  const gone = useCallback(async () => {
    const all = await reload();
    if (all && !all.some(({ list }) => list.listId === selected))
      select(DEFAULT_LIST_ID, 'That list no longer exists: showing My Tasks.');
  }, [reload, select, selected]);
  useEffect(() => {
    void gone();
  }, [api]);
  // Lists made or renamed on another device show when this page comes back into view.
  useEffect(() => {
    const refresh = () => document.visibilityState === 'visible' && void reload();
    window.addEventListener('focus', refresh);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', refresh);
    };
  }, [reload]);
  // The lists could not load (offline at the start): they load with the board's first answer.
  const accepted = useCallback(() => {
    onAccepted();
    if (!loaded.current) void gone();
  }, [onAccepted, gone]);

  const create = async (title: string) => {
    try {
      const made = await api.lists.create(title);
      setLists((now) => [...now, made]);
      select(made.list.listId);
      return undefined;
    } catch (error) {
      return failed(error);
    }
  };
  const rename = async (item: VersionedList, title: string) => {
    try {
      const renamed = await api.lists.rename(item.list.listId, title, item.etag);
      setLists((now) => now.map((one) => (one.list.listId === item.list.listId ? renamed : one)));
      return undefined;
    } catch (error) {
      void reload();
      return hasStatus(error, 412)
        ? 'This list changed elsewhere: it now shows its current title.'
        : failed(error);
    }
  };
  const remove = async (item: VersionedList) => {
    try {
      await api.lists.remove(item.list.listId, item.etag);
      setLists((now) => now.filter((one) => one.list.listId !== item.list.listId));
      select(DEFAULT_LIST_ID, `Deleted the list “${item.list.title}”.`);
      return undefined;
    } catch (error) {
      void reload();
      return failed(error);
    }
  };
  const tasksApi = useMemo(() => api.inList(selected), [api, selected]);
  const title = lists.find(({ list }) => list.listId === selected)?.list.title;

  return (
    <div class="workspace">
      <ListsPanel
        lists={lists}
        selected={selected}
        onSelect={(listId) => select(listId)}
        onCreate={create}
        onRename={rename}
        onDelete={remove}
        problem={problem}
      />
      <Board
        key={selected}
        api={tasksApi}
        title={title}
        notice={notice}
        onListGone={gone}
        onAccepted={accepted}
        onUnauthorized={onUnauthorized}
      />
    </div>
  );
}
