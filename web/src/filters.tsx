import { useEffect, useRef, useState } from 'preact/hooks';
import { type Filters, listedSortOf, ORDER_LABELS, SORT_LABELS, type Sort, tagOf } from './list-view.js';
import { Options } from './task-fields.js';
import { STATUS_LABELS } from './task-form.js';

interface Props {
  readonly filters: Filters;
  readonly onChange: (filters: Filters) => void;
}

/** Typing in the tag filter applies it once the typing pauses, so each key press does not list again. */
const TAG_TYPING_PAUSE_MS = 300;

/** What the closed filter panel says is in force. */
function summaryOf(filters: Filters): string {
  const tag = tagOf(filters.tag);
  const order = ORDER_LABELS[listedSortOf(filters)].find(([o]) => o === filters.order)?.[1];
  const what = tag ? `#${tag}` : filters.status ? STATUS_LABELS[filters.status] : 'All';
  return `${what} · ${order ?? ''}`;
}

/** Status, tag, sort and order, in a panel that a phone keeps closed (its summary says what is in force). */
export function FilterBar({ filters, onChange }: Props) {
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  const byTag = tagOf(filters.tag) !== '';
  const sort: Sort = byTag ? 'createdAt' : filters.sort;
  const listed = listedSortOf(filters);
  // The field keeps what is typed; the filter follows once typing pauses, or at once on Enter or ×. A
  // tag set from elsewhere (a click on a task's tag) replaces what the field shows.
  const [tag, setTag] = useState(filters.tag);
  const typing = useRef<ReturnType<typeof setTimeout>>(undefined);
  const applied = useRef(filters.tag);
  const latest = useRef(set);
  latest.current = set;
  useEffect(() => {
    if (filters.tag !== applied.current) {
      applied.current = filters.tag;
      setTag(filters.tag);
    }
  }, [filters.tag]);
  const applyTag = (text: string, wait: number) => {
    clearTimeout(typing.current);
    typing.current = setTimeout(() => {
      applied.current = text;
      latest.current({ tag: text });
    }, wait);
  };
  const [open] = useState(() => matchMedia('(min-width: 48rem)').matches);

  return (
    <details class="filter-panel" open={open}>
      <summary>
        Filter and sort <span class="hint">({summaryOf(filters)})</span>
      </summary>
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
            <Options labels={STATUS_LABELS} />
          </select>
        </div>
        <div class="filter">
          <label for="filter-tag">Filter by tag</label>
          <input
            id="filter-tag"
            type="search"
            placeholder="#work"
            autocomplete="off"
            value={tag}
            onInput={(e) => {
              const text = e.currentTarget.value;
              setTag(text);
              applyTag(text, text === '' ? 0 : TAG_TYPING_PAUSE_MS);
            }}
            onKeyDown={(e) => e.key === 'Enter' && applyTag(e.currentTarget.value, 0)}
          />
        </div>
        <div class="filter">
          <label for="sort">Sort by</label>
          <select
            id="sort"
            value={sort}
            disabled={byTag}
            aria-describedby="filter-note"
            onChange={(e) => {
              const next = e.currentTarget.value as Sort;
              set({ sort: next, order: ORDER_LABELS[next][0][0] });
            }}
          >
            <Options labels={SORT_LABELS} />
          </select>
        </div>
        <div class="filter">
          <label for="order">Order</label>
          <select
            id="order"
            value={filters.order}
            onChange={(e) => set({ order: e.currentTarget.value as Filters['order'] })}
          >
            {ORDER_LABELS[listed].map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <p id="filter-note" class="hint">
          {byTag
            ? 'A tag filter lists by creation date, whatever the status.'
            : listed !== filters.sort
              ? 'The manual order shows every status: filtered by status, tasks list by creation date.'
              : ''}
        </p>
      </form>
    </details>
  );
}
