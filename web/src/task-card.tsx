import { useEffect, useRef, useState } from 'preact/hooks';
import { dueStateOf } from './list-view.js';
import type { Direction } from './outline.js';
import { AddSubtask, AddSubtaskButton, MoveButtons } from './outline-controls.js';
import { StatusControl } from './status-control.js';
import {
  type Api,
  hasStatus,
  isUnreachable,
  messageOf,
  problemErrorsOf,
  type TaskPatch,
  type Versioned,
} from './task-api.js';
import { TaskEditor } from './task-fields.js';
import {
  checkPatch,
  type Draft,
  draftOf,
  type FieldErrors,
  fieldErrorsFrom,
  hasErrors,
  patchOf,
  rebaseDraft,
  STATUS_LABELS,
} from './task-form.js';
import { TaskMeta } from './task-meta.js';

interface Props {
  readonly api: Api;
  readonly item: Versioned;
  readonly onChange: (item: Versioned) => void;
  /** The task is gone: deleted here (no notice) or elsewhere (a notice saying so). */
  readonly onRemoved: (notice?: string) => void;
  readonly onUnauthorized: () => void;
  readonly onTag: (tag: string) => void;
  /** A subtask was added from this card. */
  readonly onCreated: (item: Versioned) => void;
  /** The caller may change the task (an owner's or editor's board); a viewer's card is read only. */
  readonly writable: boolean;
  /** Shown indented under its parent: a subtask, in the manual order (elsewhere it is not beside it). */
  readonly nested: boolean;
  /** How many subtasks the list shows under it: a delete takes them too. */
  readonly subtasks: number;
  /** Set while the manual order is shown: the task's moves, and whether it can be dragged. */
  readonly order?: {
    readonly can: Readonly<Record<Direction, boolean>>;
    readonly busy: boolean;
    readonly onMove: (direction: Direction) => void;
  };
}

/** One task: its status changeable in place, an inline editor, and a confirmed delete. Every write sends If-Match. */
export function TaskCard(props: Props) {
  const { api, item, onChange, onRemoved, onUnauthorized, onTag, onCreated, nested, subtasks, order } = props;
  const { writable } = props;
  const { task } = item;
  const [draft, setDraft] = useState<Draft>();
  const [adding, setAdding] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [conflict, setConflict] = useState<string>();
  // The version an edit started from: a change arriving live meanwhile meets the 412, not an overwrite.
  const [base, setBase] = useState(item);
  const id = task.taskId;
  const editButton = useRef<HTMLButtonElement>(null);
  /** The editor opens with the focus in its first field, and gives it back to Edit when it closes. */
  const closeEditor = () => {
    setDraft(undefined);
    editButton.current?.focus();
  };
  useEffect(() => {
    if (draft) document.getElementById(`edit-${id}-title`)?.focus();
  }, [draft !== undefined, id]);

  const gone = () => onRemoved(`“${task.title}” was deleted elsewhere, so it has left the board.`);
  /** A 412: show the current version instead, say so, and keep the user's draft to apply again. */
  const recover = async (action: string) => {
    try {
      const current = await api.get(id);
      onChange(current);
      if (draft) setDraft(rebaseDraft(draft, base.task, current.task));
      setBase(current);
      const { title, status: now, version } = current.task;
      setConflict(
        `This task changed elsewhere, so your ${action} was not applied. It now shows the current version ` +
          `(version ${version}: “${title}”, ${STATUS_LABELS[now]}). Apply your change again to keep it.`,
      );
    } catch (error) {
      if (hasStatus(error, 404)) gone();
      else setConflict(messageOf(error));
    }
  };
  const write = async (action: string, run: () => Promise<void>) => {
    try {
      await run();
      setConflict(undefined);
      setErrors({});
    } catch (error) {
      if (hasStatus(error, 401)) onUnauthorized();
      else if (hasStatus(error, 404)) gone();
      else if (hasStatus(error, 412)) await recover(action);
      else if (hasErrors(fieldErrorsFrom(problemErrorsOf(error))))
        setErrors(fieldErrorsFrom(problemErrorsOf(error)));
      else
        setConflict(
          isUnreachable(error)
            ? `Your ${action} was not saved: the task service can’t be reached. Try again when you are back online.`
            : `Your ${action} was not saved: ${messageOf(error)}`,
        );
    }
  };
  const save = (patch: TaskPatch, action: string, etag = item.etag) =>
    write(action, async () => {
      onChange(await api.update(id, patch, etag));
      if (action === 'edit') closeEditor();
    });
  const submitEdit = (event: Event) => {
    event.preventDefault();
    if (!draft) return;
    const patch = patchOf(draft, base.task);
    if (Object.keys(patch).length === 0) return closeEditor();
    const invalid = checkPatch(patch);
    if (hasErrors(invalid)) return setErrors(invalid);
    void save(patch, 'edit', base.etag);
  };
  const remove = () => {
    const those = subtasks === 1 ? 'its subtask' : `its ${subtasks} subtasks`;
    if (!confirm(subtasks > 0 ? `Delete “${task.title}” and ${those}?` : `Delete “${task.title}”?`)) return;
    void write('delete', async () => {
      await api.remove(id, item.etag);
      onRemoved();
    });
  };
  const due = dueStateOf(task, new Date());
  // An open form keeps its text selectable with the mouse: the card is dragged only while none is open.
  const draggable = order !== undefined && !draft && !adding;

  return (
    <li
      class={`task status-${task.status.toLowerCase()}${due ? ` due-${due}` : ''}${nested ? ' subtask' : ''}`}
      aria-labelledby={`title-${id}`}
      data-task-id={id}
      draggable={draggable}
    >
      <div class="task-head">
        {draggable && (
          <span class="grip" aria-hidden="true" title="Drag to reorder">
            ⠿
          </span>
        )}
        <h3 id={`title-${id}`}>{task.title}</h3>
        <StatusControl
          id={`status-${id}`}
          value={task.status}
          writable={writable}
          onCommit={(next) => save({ status: next }, 'status change')}
        />
      </div>
      <div class="task-body">
        <TaskMeta task={task} onTag={onTag} />
        {writable && (
          <div class="actions">
            {order && <MoveButtons taskId={id} title={task.title} {...order} />}
            {!task.parentId && (
              <AddSubtaskButton taskId={id} open={adding} onToggle={() => setAdding(!adding)} />
            )}
            <button
              ref={editButton}
              type="button"
              class="secondary"
              aria-expanded={draft !== undefined}
              onClick={() => {
                setErrors({});
                setBase(item);
                setDraft(draft ? undefined : draftOf(task));
              }}
            >
              Edit
            </button>
            <button type="button" class="secondary danger" onClick={remove}>
              Delete
            </button>
          </div>
        )}
      </div>
      {task.description && !draft && <p class="description">{task.description}</p>}
      {conflict && (
        <p role="alert" class="conflict">
          {conflict}
        </p>
      )}
      {writable && adding && (
        <AddSubtask
          api={api}
          parent={item}
          onCreated={onCreated}
          onUnauthorized={onUnauthorized}
          onClose={() => {
            setAdding(false);
            document.getElementById(`add-subtask-${id}`)?.focus();
          }}
        />
      )}
      {writable && draft && (
        <TaskEditor
          task={task}
          draft={draft}
          errors={errors}
          onChange={setDraft}
          onSubmit={submitEdit}
          onClose={closeEditor}
        />
      )}
    </li>
  );
}
