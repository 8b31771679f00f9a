import { useRef, useState } from 'preact/hooks';
import type { Api, CreateTask, Versioned } from './api.js';
import { newIdempotencyKey } from './session.js';
import { type Draft, EMPTY_DRAFT, TaskFields, tagsOf } from './task-fields.js';

interface Props {
  readonly api: Api;
  readonly onCreated: (created: Versioned) => void;
  readonly onError: (error: unknown) => void;
}

const bodyOf = (draft: Draft): CreateTask => ({
  title: draft.title.trim(),
  priority: draft.priority,
  ...(draft.description.trim() && { description: draft.description.trim() }),
  ...(draft.dueDate && { dueDate: draft.dueDate }),
  ...(tagsOf(draft.tags).length > 0 && { tags: tagsOf(draft.tags) }),
});

/**
 * One Idempotency-Key per draft: a double click, or a retry after a lost answer, repeats the same create
 * and the API answers with the first task. Editing the draft, or a success, starts a new key.
 */
export function AddTask({ api, onCreated, onError }: Props) {
  const [draft, setDraft] = useState(EMPTY_DRAFT);
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const created = await api.create(bodyOf(draft), key.current);
      key.current = newIdempotencyKey();
      setDraft(EMPTY_DRAFT);
      onCreated(created);
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="add-task" aria-labelledby="add-heading" onSubmit={submit}>
      <h2 id="add-heading">New task</h2>
      <TaskFields
        idPrefix="new"
        draft={draft}
        onChange={(next) => {
          key.current = newIdempotencyKey();
          setDraft(next);
        }}
      />
      <button type="submit" aria-disabled={busy}>
        Add task
      </button>
    </form>
  );
}
