import { useEffect, useRef, useState } from 'preact/hooks';
import { TASK_LIMITS } from '../../src/domain/task.js';
import { DEFAULT_LIST_ID } from './list-choice.js';
import type { VersionedList } from './task-api.js';

interface Props {
  readonly lists: readonly VersionedList[];
  readonly selected: string;
  readonly onSelect: (listId: string) => void;
  /** Each resolves to an error message to show, or undefined once done. */
  readonly onCreate: (title: string) => Promise<string | undefined>;
  readonly onRename: (item: VersionedList, title: string) => Promise<string | undefined>;
  readonly onDelete: (item: VersionedList) => Promise<string | undefined>;
  readonly problem?: string;
}

/**
 * The lists, the default one first: pick one to show its board, add one, rename or delete the one shown
 * (the default list can be renamed, never deleted). A phone keeps the panel closed, its summary naming the
 * list shown.
 */
export function ListsPanel({ lists, selected, onSelect, onCreate, onRename, onDelete, problem }: Props) {
  const [title, setTitle] = useState('');
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
          {lists.map(({ list }) => (
            <li key={list.listId}>
              <button
                type="button"
                class="list-choice"
                aria-current={list.listId === selected ? 'page' : undefined}
                onClick={() => onSelect(list.listId)}
              >
                {list.title}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {current && renaming === undefined && (
        <div class="list-actions">
          <button
            id="rename-list"
            type="button"
            class="secondary"
            aria-label={`Rename list “${current.list.title}”`}
            onClick={() => setRenaming(current.list.title)}
          >
            Rename
          </button>
          {current.list.listId !== DEFAULT_LIST_ID && (
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
    </details>
  );
}
