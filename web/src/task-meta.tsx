import { dueStateOf } from './list-view.js';
import type { Task } from './task-api.js';
import { PRIORITY_LABELS } from './task-form.js';

/** What a task carries, on one line: its due mark and date, a priority other than medium, its tags. */
export function TaskMeta({ task, onTag }: { readonly task: Task; readonly onTag: (tag: string) => void }) {
  const due = dueStateOf(task, new Date());
  return (
    <p class="meta">
      {due && <span class={`due-mark due-mark-${due}`}>{due === 'overdue' ? 'Overdue' : 'Due today'}</span>}
      {task.dueDate && <span>Due {task.dueDate.slice(0, 10)}</span>}
      {task.priority !== 'MEDIUM' && <span>{PRIORITY_LABELS[task.priority]} priority</span>}
      {task.tags.map((tag) => (
        <button
          key={tag}
          type="button"
          class="tag"
          title={`Show the tasks tagged #${tag}`}
          onClick={() => onTag(tag)}
        >
          #{tag}
        </button>
      ))}
    </p>
  );
}
