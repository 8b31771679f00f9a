import { useEffect, useRef, useState } from 'preact/hooks';
import { TASK_LIMITS } from '../../src/domain/task.js';
import { DEFAULT_LIST_ID } from './list-choice.js';
import { ShareDialog } from './share-dialog.js';
import { mayManage, mayRename, sharingSummary } from './sharing.js';
import type { MembersApi, VersionedList } from './task-api.js';
import { YourId } from './your-id.js';

interface Props {
  readonly lists: readonly VersionedList[];
  readonly selected: string;
  readonly onSelect: (listId: string) => void;
  /** Each resolves to an error message to show, or undefined once done. */
  readonly onCreate: (title: string) => Promise<string | undefined>;
  readonly onRename: (item: VersionedList, title: string) => Promise<string | undefined>;
  readonly onDelete: (item: VersionedList) => Promise<string | undefined>;
  readonly problem?: string;
  /** The caller's principal id, once known: shown to hand to whoever shares a list with them. */
  readonly me?: string;
  readonly members: MembersApi;
  /** A list's members changed (or the caller's role did): the lists load again. */
  readonly onMembersChanged: () => void;
  /** The caller left the list. */
  readonly onLeft: (item: VersionedList) => void;
  readonly onUnauthorized: () => void;
}

/**
 * The lists, the default one first: pick one to show its board, add one, rename or delete the one shown
 * (the default list can be renamed, never deleted), share it or see who shares it. Each button offers only
 * what the caller's role allows. A phone keeps the panel closed, its summary naming the list shown.
 */
export function ListsPanel(props: Props) {
  const { lists, selected, onSelect, onCreate, onRename, onDelete, problem, me } = props;
  const [title, setTitle] = useState('');
  const [sharing, setSharing] = useState(false);
  const [renaming, setRenaming] = useState<string>();
  const [error, setError] = useState<string>();
  const [open] = useState(() => matchMedia('(min-width: 48rem)').matches);
  const renameInput = useRef<HTMLInputElement>(null);
  const current = lists.find(({ list }) => list.listId === selected);
  useEffect(() => {
    if (renaming !== undefined) renameInput.current?.focus();
  }, [renaming !== undefined]);

  const create = async (event: Event) => {
    event.preventDefault();
    if (!title.trim()) return setError('Give the new list a title.');
    const failed = await onCreate(title.trim());
    setError(failed);
    if (!failed) setTitle('');
  };
  const rename = async (event: Event) => {
    event.preventDefault();
    if (!current || renaming === undefined) return;
    const next = renaming.trim();
    const failed = next && next !== current.list.title ? await onRename(current, next) : undefined;
    setError(failed);
    if (!failed) {
      setRenaming(undefined);
      setTimeout(() => document.getElementById('rename-list')?.focus());
    }
  };
  const remove = async () => {
    if (!current || !confirm(`Delete the list “${current.list.title}” and every task in it?`)) return;
    setError(await onDelete(current));
  };

  return (
    <details class="lists-panel" open={open}>
      <summary>
        Lists <span class="hint">({current?.list.title ?? '…'})</span>
      </summary>
      <nav aria-label="Lists">
        <ul class="lists">
          {lists.map(({ list }) => {
            const summary = sharingSummary(list);
            return (
              <li key={list.listId}>
                <button
                  type="button"
                  class="list-choice"
                  aria-current={list.listId === selected ? 'page' : undefined}
                  aria-describedby={summary ? `sharing-${list.listId}` : undefined}
                  onClick={() => onSelect(list.listId)}
                >
                  {list.title}
                </button>
                {summary && (
                  <span id={`sharing-${list.listId}`} class="list-sharing">
                    {summary}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      </nav>
      {current && renaming === undefined && (
        <div class="list-actions">
          {mayRename(current.list.role) && (
            <button
              id="rename-list"
              type="button"
              class="secondary"
              aria-label={`Rename list “${current.list.title}”`}
              onClick={() => setRenaming(current.list.title)}
            >
              Rename
            </button>
          )}
          {current.list.listId !== DEFAULT_LIST_ID && (
            <button
              id="share-list"
              type="button"
              class="secondary"
              aria-haspopup="dialog"
              aria-label={`${mayManage(current.list.role) ? 'Share list' : 'Members of list'} “${current.list.title}”`}
              onClick={() => setSharing(true)}
            >
              {mayManage(current.list.role) ? 'Share' : 'Members'}
            </button>
          )}
          {current.list.listId !== DEFAULT_LIST_ID && mayManage(current.list.role) && (
            <button
              type="button"
              class="secondary danger"
              aria-label={`Delete list “${current.list.title}”`}
              onClick={remove}
            >
              Delete
            </button>
          )}
        </div>
      )}
      {current && renaming !== undefined && (
        <form
          class="list-form"
          onSubmit={rename}
          onKeyDown={(e) => e.key === 'Escape' && setRenaming(undefined)}
        >
          <label for="list-title">List title</label>
          <input
            id="list-title"
            ref={renameInput}
            value={renaming}
            maxLength={TASK_LIMITS.titleMaxLength}
            onInput={(e) => setRenaming(e.currentTarget.value)}
          />
          <button type="submit">Save</button>
          <button type="button" class="secondary" onClick={() => setRenaming(undefined)}>
            Cancel
          </button>
        </form>
      )}
      <form class="list-form" onSubmit={create} noValidate>
        <label for="new-list">New list</label>
        <input
          id="new-list"
          value={title}
          maxLength={TASK_LIMITS.titleMaxLength}
          autocomplete="off"
          onInput={(e) => setTitle(e.currentTarget.value)}
        />
        <button type="submit">Add list</button>
      </form>
      {(error ?? problem) && (
        <p role="alert" class="problem">
          {error ?? problem}
        </p>
      )}
      <YourId me={me} />
      {current && sharing && (
        <ShareDialog
          api={props.members}
          list={current.list}
          me={me}
          onChanged={props.onMembersChanged}
          onLeft={() => {
            setSharing(false);
            props.onLeft(current);
          }}
          onUnauthorized={props.onUnauthorized}
          onClose={() => {
            setSharing(false);
            setTimeout(() => document.getElementById('share-list')?.focus());
          }}
        />
      )}
    </details>
  );
}
