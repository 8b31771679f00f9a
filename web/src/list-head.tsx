import { FilterBar } from './filters.js';
import type { Filters } from './list-view.js';
import { mayWrite } from './sharing.js';
import type { ListRole } from './task-api.js';

interface Props {
  readonly title?: string;
  readonly role?: ListRole;
  readonly filters: Filters;
  readonly onFilters: (filters: Filters) => void;
  readonly arranging: boolean;
  readonly onArrange: (arranging: boolean) => void;
}

/**
 * The board's heading row: the list's title, Arrange (a phone's moves, for whoever may move tasks) and the
 * filters; a viewer is told the list is view only.
 */
export function ListHead({ title, role, filters, onFilters, arranging, onArrange }: Props) {
  return (
    <>
      <div class="list-head">
        <h2 id="tasks-heading">{title ?? 'Tasks'}</h2>
        {mayWrite(role) && (
          <button
            type="button"
            class="secondary arrange-toggle"
            aria-pressed={arranging}
            onClick={() => onArrange(!arranging)}
          >
            Arrange
          </button>
        )}
        <FilterBar filters={filters} onChange={onFilters} />
      </div>
      {role === 'viewer' && (
        <p class="hint view-only">
          View only: you can see this shared list’s tasks, but not change them. Its owner can make you an
          editor.
        </p>
      )}
    </>
  );
}
