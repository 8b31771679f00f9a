/**
 * Manual order. A task's `position` is a fractional-indexing key (base 62, `0-9A-Za-z`), which sorts the same
 * byte-wise in JavaScript and in DynamoDB; it orders a task among its siblings (the top-level tasks of a
 * list, or one task's subtasks). A move writes the moved task (and its subtasks' outline keys), never the
 * list, except for the bounded respacing below.
 *
 * The outline key orders a whole list as an outline, each parent followed by its subtasks:
 * `<position>#<taskId>` for a top-level task and `<parent position>#<parentId>/<position>#<taskId>` for a
 * subtask. `#` and `/` sort below every base-62 digit, so a key sorts before any longer position sharing its
 * prefix, and a parent's subtasks sit between it and the next top-level task. Equal positions (two clients
 * moving into one gap at once) are ordered by taskId, so the order is always total and stable.
 */
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

export const ORDER_LIMITS = Object.freeze({
  /**
   * A position longer than this is never stored: the move that would make it respaces the siblings before
   * the gap instead (`respaced`). Repeated inserts into one gap lengthen keys by about one character per
   * six inserts; docs/api.md has the measured figures.
   */
  maxPositionLength: 24,
});

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A new task's position, read off the clock so that creating a task needs no read: `g` and seven base-62
 * digits of the epoch millisecond, an integer key in fractional-indexing's format (head `g` means seven
 * digits; valid until the year 2081). New tasks therefore come last, in creation order, and a list nobody
 * reordered is in the same order by `position` as by `createdAt`.
 */
export function positionAt(now: Date): string {
  let ms = Math.max(0, Math.floor(now.getTime()));
  let digits = '';
  for (let i = 0; i < 7; i++) {
    digits = (DIGITS[ms % 62] ?? '0') + digits;
    ms = Math.floor(ms / 62);
  }
  return `g${digits}`;
}

/**
 * A position between two siblings' (`undefined`: the start or the end). Equal neighbours (a tie from two
 * concurrent moves) leave no key between them: the task then goes just after both.
 */
export function positionBetween(before: string | undefined, after: string | undefined): string {
  if (before !== undefined && after !== undefined && before >= after) return generateKeyBetween(before, null);
  return generateKeyBetween(before ?? null, after ?? null);
}

/** `count` evenly spread positions between two (either may be open), short whatever the gap held before. */
export const positionsBetween = (before: string | undefined, after: string | undefined, count: number) =>
  generateNKeysBetween(before ?? null, after ?? null, count);

export interface Placed {
  readonly taskId: string;
  readonly position: string;
}

/** The key a list is ordered by in `sort=position`: the outline (see the module comment). */
export const outlineKeyOf = (task: Placed, parent?: Placed): string =>
  parent === undefined
    ? `${task.position}#${task.taskId}`
    : `${outlineKeyOf(parent)}/${task.position}#${task.taskId}`;

/** The task and position an outline key ends with (its own, not its parent's). */
export function placedOf(outlineKey: string): Placed {
  const own = outlineKey.slice(outlineKey.lastIndexOf('/') + 1);
  const hash = own.indexOf('#');
  return { position: own.slice(0, hash), taskId: own.slice(hash + 1) };
}

/** The top-level task an outline key belongs to: itself, or a subtask's parent. */
export const topLevelOf = (outlineKey: string): Placed => placedOf(outlineKey.split('/')[0] ?? outlineKey);
