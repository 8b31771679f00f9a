/**
 * The id every route knows the caller's default list by, as Google Tasks names it; `/tasks` is that list.
 * A module of its own so that `task.ts` (whose new tasks go there unless told otherwise) and `task-list.ts`
 * (which builds on `task.ts`) both read it without importing each other.
 */
export const DEFAULT_LIST_ID = '@default';
