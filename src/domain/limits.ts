/**
 * The stored amounts one principal may reach (issue 25, OWASP API4): the one place they are set. The
 * OpenAPI description and docs/api.md quote them from here (through the error catalogue).
 *
 * Google Tasks publishes 2,000 lists per user and 20,000 tasks per list; subtasks per task is 2,000 there
 * too. Members per list is ours: a list's member page is read whole when the list is deleted, and every
 * member is a reader of each change, so 100 keeps a delete to a few pages and a shared list to a team.
 */
export const LIMITS: Limits = Object.freeze({
  /** Named lists a principal owns (the default list not counted). */
  listsOwned: 2_000,
  /** Named lists a principal is a member of, owned ones included. */
  memberships: 2_000,
  /** Members of one list, its owner included. */
  membersPerList: 100,
  /** Tasks in one list, subtasks included. */
  tasksPerList: 20_000,
  /** Subtasks under one task. */
  subtasksPerTask: 2_000,
});

export type LimitName = 'listsOwned' | 'memberships' | 'membersPerList' | 'tasksPerList' | 'subtasksPerTask';

/** Caps by name: `LIMITS`, or smaller ones a test passes to a store. */
export type Limits = { readonly [K in LimitName]: number };

/** How each limit reads in a message: "This list holds 20,000 tasks, the most a list may hold". */
const SENTENCES: Record<LimitName, (amount: string) => string> = {
  listsOwned: (n) => `You own ${n} lists, the most a principal may own`,
  memberships: (n) => `You are a member of ${n} lists, the most a principal may be a member of`,
  membersPerList: (n) => `This list has ${n} members, the most a list may have`,
  tasksPerList: (n) => `This list holds ${n} tasks, the most a list may hold`,
  subtasksPerTask: (n) => `This task has ${n} subtasks, the most a task may have`,
};

/** The message of a limit reached, naming it and the amount (at least the cap: an estimate may read more). */
export function limitMessage(limit: LimitName, amount: number, cap: number = LIMITS[limit]): string {
  return `${SENTENCES[limit](Math.max(amount, cap).toLocaleString('en-US'))}; nothing was stored.`;
}
