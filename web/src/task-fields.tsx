import type { Task } from './api.js';

export const STATUSES = ['PENDING', 'IN_PROGRESS', 'DONE'] as const satisfies readonly Task['status'][];
export const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH'] as const satisfies readonly Task['priority'][];
export const STATUS_LABELS: Record<Task['status'], string> = {
  PENDING: 'To do',
  IN_PROGRESS: 'In progress',
  DONE: 'Done',
};
const PRIORITY_LABELS: Record<Task['priority'], string> = { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High' };

/** The editable fields as the form holds them: strings, tags comma-separated. */
export interface Draft {
  readonly title: string;
  readonly description: string;
  readonly dueDate: string;
  readonly priority: Task['priority'];
  readonly tags: string;
}

export const EMPTY_DRAFT: Draft = { title: '', description: '', dueDate: '', priority: 'MEDIUM', tags: '' };

export const draftOf = (task: Task): Draft => ({
  title: task.title,
  description: task.description,
  dueDate: task.dueDate?.slice(0, 10) ?? '',
  priority: task.priority,
  tags: task.tags.join(', '),
});

export const tagsOf = (text: string): string[] =>
  text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);

interface Props {
  /** Makes the ids unique when several forms are on the page. */
  readonly idPrefix: string;
  readonly draft: Draft;
  readonly onChange: (draft: Draft) => void;
}

/** Title, description, due date, priority and tags: the add form and the inline editor share them. */
export function TaskFields({ idPrefix, draft, onChange }: Props) {
  const id = (name: string) => `${idPrefix}-${name}`;
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  return (
    <div class="fields">
      <label for={id('title')}>Title</label>
      <input
        id={id('title')}
        required
        value={draft.title}
        onInput={(e) => set({ title: e.currentTarget.value })}
      />
      <label for={id('description')}>Description</label>
      <textarea
        id={id('description')}
        rows={2}
        value={draft.description}
        onInput={(e) => set({ description: e.currentTarget.value })}
      />
      <label for={id('due')}>Due date</label>
      <input
        id={id('due')}
        type="date"
        value={draft.dueDate}
        onInput={(e) => set({ dueDate: e.currentTarget.value })}
      />
      <label for={id('priority')}>Priority</label>
      <select
        id={id('priority')}
        value={draft.priority}
        onChange={(e) => set({ priority: e.currentTarget.value as Task['priority'] })}
      >
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {PRIORITY_LABELS[p]}
          </option>
        ))}
      </select>
      <label for={id('tags')}>Tags</label>
      <input
        id={id('tags')}
        value={draft.tags}
        aria-describedby={id('tags-hint')}
        onInput={(e) => set({ tags: e.currentTarget.value })}
      />
      <span id={id('tags-hint')} class="hint">
        Comma-separated, e.g. work, home
      </span>
    </div>
  );
}
