import { useEffect, useRef, useState } from 'preact/hooks';
import { TASK_LIMITS } from '../../src/domain/task.js';
import type { Direction } from './outline.js';
import { newIdempotencyKey } from './session.js';
import { type Api, hasStatus, messageOf, problemErrorsOf, type Versioned } from './task-api.js';

interface MoveProps {
  readonly taskId: string;
  readonly title: string;
  /** Whether each way is open; a closed one stays focusable (aria-disabled), so the focus never drops. */
  readonly can: Readonly<Record<Direction, boolean>>;
  readonly busy: boolean;
  readonly onMove: (direction: Direction) => void;
}

const ARROWS: Record<Direction, string> = { up: '↑', down: '↓' };

/** "Move up" and "Move down": the keyboard's way to reorder, named after the task they move. */
export function MoveButtons({ taskId, title, can, busy, onMove }: MoveProps) {
  return (
    <>
      {(['up', 'down'] as const).map((direction) => (
        <button
          key={direction}
          id={`move-${direction}-${taskId}`}
          type="button"
          class="secondary move arrange"
          aria-label={`Move ${title} ${direction}`}
          title={`Move ${direction}`}
          aria-disabled={!can[direction]}
          onClick={() => can[direction] && !busy && onMove(direction)}
        >
          {ARROWS[direction]}
        </button>
      ))}
    </>
  );
}

/** A top-level task's "Add subtask", which opens (and closes) the form under the card. */
export function AddSubtaskButton(props: { taskId: string; open: boolean; onToggle: () => void }) {
  return (
    <button
      id={`add-subtask-${props.taskId}`}
      type="button"
      class="secondary arrange"
      aria-expanded={props.open}
      onClick={props.onToggle}
    >
      Add subtask
    </button>
  );
}

interface AddProps {
  readonly api: Api;
  readonly parent: Versioned;
  readonly onCreated: (created: Versioned) => void;
  readonly onUnauthorized: () => void;
  readonly onClose: () => void;
}

/** A parent's "Add subtask" form: a title and Enter, again and again; Escape or Cancel closes it. */
export function AddSubtask({ api, parent, onCreated, onUnauthorized, onClose }: AddProps) {
  const { taskId, title: parentTitle } = parent.task;
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const id = `subtask-${taskId}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!title.trim()) return setError("Field 'title' must not be empty");
    setBusy(true);
    try {
      onCreated(await api.create({ title: title.trim(), parentId: taskId }, key.current));
      key.current = newIdempotencyKey();
      setTitle('');
      setError(undefined);
    } catch (failure) {
      if (hasStatus(failure, 401)) return onUnauthorized();
      setError(problemErrorsOf(failure)[0]?.message ?? `Not added: ${messageOf(failure)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="add-subtask"
      aria-label={`Add a subtask to “${parentTitle}”`}
      onSubmit={submit}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
      noValidate
    >
      <label for={id}>Subtask</label>
      <input
        id={id}
        ref={input}
        value={title}
        maxLength={TASK_LIMITS.titleMaxLength}
        autocomplete="off"
        aria-invalid={error !== undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => {
          key.current = newIdempotencyKey();
          setTitle(e.currentTarget.value);
        }}
      />
      <button type="submit" aria-disabled={busy}>
        Add
      </button>
      <button type="button" class="secondary" onClick={onClose}>
        Done
      </button>
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </form>
  );
}
