import { useState } from 'preact/hooks';
import type { ListTasksQuery, Task } from './api.js';
import { STATUS_LABELS, STATUSES } from './task-fields.js';

export interface Filters {
  readonly status: Task['status'] | '';
  readonly tag: string;
  readonly sort: NonNullable<ListTasksQuery['sort']>;
  readonly order: NonNullable<ListTasksQuery['order']>;
}

export const NO_FILTERS: Filters = { status: '', tag: '', sort: 'createdAt', order: 'desc' };
const SORT_LABELS: Record<Filters['sort'], string> = {
  createdAt: 'Created',
  updatedAt: 'Last updated',
  dueDate: 'Due date',
};
export const PAGE_SIZE = 20;

/** The list query. The tag indexes list by creation only and serve no status, so a tag overrides both. */
export function queryOf(filters: Filters): ListTasksQuery {
  const base = { limit: PAGE_SIZE, order: filters.order };
  const tag = filters.tag.trim();
  if (tag) return { ...base, tag };
  return { ...base, sort: filters.sort, ...(filters.status && { status: filters.status }) };
}

interface Props {
  readonly filters: Filters;
  readonly onChange: (filters: Filters) => void;
}

export function FilterBar({ filters, onChange }: Props) {
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  const byTag = filters.tag.trim() !== '';
  // What is typed stays while a list request answers; Enter or leaving the field applies it.
  const [tag, setTag] = useState(filters.tag);
  return (
    <form class="filters" aria-label="Filter and sort" onSubmit={(e) => e.preventDefault()}>
      <div class="filter">
        <label for="filter-status">Filter by status</label>
        <select
          id="filter-status"
          value={filters.status}
          disabled={byTag}
          aria-describedby="filter-note"
          onChange={(e) => set({ status: e.currentTarget.value as Filters['status'] })}
        >
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div class="filter">
        <label for="filter-tag">Filter by tag</label>
        <input
          id="filter-tag"
          type="search"
          value={tag}
          onInput={(e) => setTag(e.currentTarget.value)}
          onChange={(e) => set({ tag: e.currentTarget.value })}
        />
      </div>
      <div class="filter">
        <label for="sort">Sort by</label>
        <select
          id="sort"
          value={byTag ? 'createdAt' : filters.sort}
          disabled={byTag}
          aria-describedby="filter-note"
          onChange={(e) => set({ sort: e.currentTarget.value as Filters['sort'] })}
        >
          {Object.entries(SORT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div class="filter">
        <label for="order">Order</label>
        <select
          id="order"
          value={filters.order}
          onChange={(e) => set({ order: e.currentTarget.value as Filters['order'] })}
        >
          <option value="desc">Newest first</option>
          <option value="asc">Oldest first</option>
        </select>
      </div>
      <p id="filter-note" class="hint">
        {byTag ? 'A tag filter lists by creation date, whatever the status.' : ''}
      </p>
    </form>
  );
}
