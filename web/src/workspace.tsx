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

/** How often a visible page reads the lists again: a list shared with the caller, or a role changed, shows. */
const LISTS_REFRESH_MS = 30_000;

/** The lists panel and the board of the list chosen there (remembered in the URL across reloads). */
export function Workspace({ api, onAccepted, onUnauthorized }: Props) {
  const [lists, setLists] = useState<readonly VersionedList[]>([]);
  const [selected, setSelected] = useState(chosenListId);
  const [problem, setProblem] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [me, setMe] = useState<string>();
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
  // The caller's own id, asked with the lists until known; not essential, so a failure is not shown.
  const known = useRef(false);
  const whoAmI = useCallback(async () => {
    known.current = true;
    try {
      setMe(await api.members.me());
    } catch {
      known.current = false;
    }
  }, [api]);
  const reload = useCallback(async () => {
    try {
      const all = await api.lists.all();
      if (!known.current) void whoAmI();
      loaded.current = true;
      setLists(all);
      setProblem(undefined);
      return all;
    } catch (error) {
      if (hasStatus(error, 401)) onUnauthorized();
      else setProblem(`The lists can’t be loaded: ${messageOf(error)}`);
      return undefined;
    }
  }, [api, onUnauthorized, whoAmI]);
  // A list remembered from an earlier visit that no longer exists gives way to the default list.
  const gone = useCallback(async () => {
    const all = await reload();
    if (all && !all.some(({ list }) => list.listId === selected))
      select(
        DEFAULT_LIST_ID,
        'That list no longer exists or is no longer shared with you: showing My Tasks.',
      );
  }, [reload, select, selected]);
  useEffect(() => {
    known.current = false; // another sign-in is another principal
    setMe(undefined);
    void gone();
  }, [api]);
  // Lists made, renamed or shared on another device, and a role changed by a list's owner, show when this
  // page comes back into view, and every LISTS_REFRESH_MS while it is visible.
  useEffect(() => {
    const refresh = () => document.visibilityState === 'visible' && void reload();
    window.addEventListener('focus', refresh);
    document.addEventListener('visibilitychange', refresh);
    const every = setInterval(refresh, LISTS_REFRESH_MS);
    return () => {
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', refresh);
      clearInterval(every);
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
  const left = (item: VersionedList) => {
    setLists((now) => now.filter((one) => one.list.listId !== item.list.listId));
    select(DEFAULT_LIST_ID, `You left the list “${item.list.title}”.`);
  };
  // A 403 means the caller's role in the list changed: the lists load again, and the board follows the role.
  const tasksApi = useMemo(() => api.inList(selected, () => void reload()), [api, selected, reload]);
  const shown = lists.find(({ list }) => list.listId === selected)?.list;
  // The default list is always the caller's own; another list's role is known once the lists have loaded.
  const role = selected === DEFAULT_LIST_ID ? 'owner' : shown?.role;

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
        me={me}
        members={api.members}
        onMembersChanged={reload}
        onLeft={left}
        onUnauthorized={onUnauthorized}
      />
      <Board
        key={selected}
        api={tasksApi}
        title={shown?.title}
        role={role}
        notice={notice}
        onListGone={gone}
        onAccepted={accepted}
        onUnauthorized={onUnauthorized}
      />
    </div>
  );
}
