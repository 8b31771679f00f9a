import { useState } from 'preact/hooks';
import { type Api, ApiError, type Task, type TaskPatch, type Versioned } from './api.js';
import { type Draft, draftOf, STATUS_LABELS, STATUSES, TaskFields, tagsOf } from './task-fields.js';

interface Props {
  readonly api: Api;
  readonly item: Versioned;
  readonly onChange: (item: Versioned) => void;
  readonly onRemoved: (notice?: string) => void;
  readonly onError: (error: unknown) => void;
}

const patchOf = (draft: Draft, task: Task): TaskPatch => ({
  title: draft.title.trim(),
  description: draft.description.trim(),
  priority: draft.priority,
  dueDate: draft.dueDate || (task.dueDate === undefined ? undefined : null),
  tags: tagsOf(draft.tags),
});

/** One task: its status changeable in place, an inline editor, and a confirmed delete. Every write sends If-Match. */
export function TaskItem({ api, item, onChange, onRemoved, onError }: Props) {
  const { task } = item;
  const [draft, setDraft] = useState<Draft>();
  const [conflict, setConflict] = useState<string>();
  const id = task.taskId;

  /** A 412: show the current version instead, say so, and keep the user's draft to apply again. */
  const recover = async (action: string) => {
    try {
      const current = await api.get(id);
      onChange(current);
      const { title, status, version } = current.task;
      setConflict(
        `This task changed elsewhere, so your ${action} was not applied. It now shows the current version ` +
          `(version ${version}: “${title}”, ${STATUS_LABELS[status]}). Apply your change again to keep it.`,
      );
    } catch (error) {
      if (error instanceof ApiError && error.status === 404)
        onRemoved(`“${task.title}” was deleted elsewhere.`);
      else onError(error);
    }
  };
  const write = async (action: string, run: () => Promise<void>) => {
    try {
      await run();
      setConflict(undefined);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) await recover(action);
      else onError(error);
    }
  };
  const save = (patch: TaskPatch, action: string) =>
    write(action, async () => {
      onChange(await api.update(id, patch, item.etag));
      if (action === 'edit') setDraft(undefined);
    });
  const remove = () => {
    if (!confirm(`Delete “${task.title}”?`)) return;
    void write('delete', async () => {
      await api.remove(id, item.etag);
      onRemoved();
    });
  };

  return (
    <li class={`task status-${task.status.toLowerCase()}`} aria-labelledby={`title-${id}`}>
      <h3 id={`title-${id}`}>{task.title}</h3>
      {task.description && <p class="description">{task.description}</p>}
      <p class="meta">
        <span>Priority {task.priority.toLowerCase()}</span>
        {task.dueDate && <span>Due {task.dueDate.slice(0, 10)}</span>}
        {task.tags.map((tag) => (
          <span key={tag} class="tag">
            #{tag}
          </span>
        ))}
      </p>
      {conflict && (
        <p role="alert" class="conflict">
          {conflict}
        </p>
      )}
      <div class="actions">
        <label for={`status-${id}`}>Status</label>
        <select
          id={`status-${id}`}
          value={task.status}
          onChange={(e) => save({ status: e.currentTarget.value as Task['status'] }, 'status change')}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <button
          type="button"
          aria-expanded={draft !== undefined}
          onClick={() => setDraft(draft ? undefined : draftOf(task))}
        >
          Edit
        </button>
        <button type="button" class="danger" onClick={remove}>
          Delete
        </button>
      </div>
      {draft && (
        <form
          class="edit"
          aria-label={`Edit “${task.title}”`}
          onSubmit={(event) => {
            event.preventDefault();
            void save(patchOf(draft, task), 'edit');
          }}
        >
          <TaskFields idPrefix={`edit-${id}`} draft={draft} onChange={setDraft} />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setDraft(undefined)}>
            Cancel
          </button>
        </form>
      )}
    </li>
  );
}
