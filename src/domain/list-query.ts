import * as z from 'zod';
import { ValidationError } from './errors.js';
import { DueDateSchema, dueInstant, TagSchema, type TaskStatus, TaskStatusSchema } from './task.js';

/** Listing limits a client can rely on. */
export const LIST_LIMITS = Object.freeze({ defaultLimit: 20, maxLimit: 100 });

export const LIST_SORTS = ['createdAt', 'dueDate', 'updatedAt'] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export type ListOrder = 'asc' | 'desc';

/** What the store is asked for. Due bounds are UTC instants (see `dueInstant`). */
export interface ListQuery {
  readonly limit: number;
  readonly status?: TaskStatus;
  readonly tag?: string;
  /** Due strictly before this instant. */
  readonly dueBefore?: string;
  /** Due at or after this instant. */
  readonly dueAfter?: string;
  /** Default `createdAt`. */
  readonly sort?: ListSort;
  /** Default `asc`. */
  readonly order?: ListOrder;
  /** Opaque cursor from a previous page; the store validates it against owner and query. */
  readonly cursor?: string;
  /** The change feed (a UTC instant): changes and tombstones since then, instead of a listing. */
  readonly updatedSince?: string;
}

const limitMessage = `Query parameter 'limit' must be an integer from 1 to ${LIST_LIMITS.maxLimit}`;

/** The list endpoint's query parameters, as strings on the wire. The OpenAPI document is built from this. */
export const ListQueryParamsSchema = z.object({
  limit: z
    .string()
    .regex(/^\d{1,4}$/, limitMessage)
    .transform(Number)
    .refine((n) => n >= 1 && n <= LIST_LIMITS.maxLimit, limitMessage)
    .optional()
    .meta({ description: `Page size, 1–${LIST_LIMITS.maxLimit} (default ${LIST_LIMITS.defaultLimit}).` }),
  status: TaskStatusSchema.optional().meta({ description: 'Only tasks with this status.' }),
  tag: TagSchema.optional().meta({ description: 'Only tasks carrying this tag (normalised like tags).' }),
  dueBefore: DueDateSchema.optional().meta({ description: 'Only tasks due strictly before this date.' }),
  dueAfter: DueDateSchema.optional().meta({ description: 'Only tasks due at or after this date.' }),
  sort: z
    .enum(LIST_SORTS, { error: `Query parameter 'sort' must be one of ${LIST_SORTS.join(', ')}` })
    .optional()
    .meta({ description: 'Sort field: createdAt (default), or dueDate when a due filter is given.' }),
  order: z
    .enum(['asc', 'desc'], { error: "Query parameter 'order' must be asc or desc" })
    .optional()
    .meta({ description: 'Sort order, default asc.' }),
  cursor: z.string().optional().meta({ description: 'Opaque; take it from the `Link` header.' }),
  updatedSince: z.iso
    .datetime({ offset: true, error: "Query parameter 'updatedSince' must be an RFC 3339 date-time" })
    .optional()
    .meta({
      description:
        'The change feed: the tasks changed at or after this instant, oldest change first, with a tombstone ' +
        '`{"taskId","deleted":true,"updatedAt"}` for each task deleted since. Combines only with `limit` and ' +
        '`cursor`. Pass back the greatest `updatedAt` received to sync again.',
    }),
});

/** The parameters that may accompany `updatedSince`: the feed has one order and no filter. */
const FEED_PARAMETERS: ReadonlySet<string> = new Set(['updatedSince', 'limit', 'cursor']);

/**
 * Why no index can serve this query, or undefined when one can. Each combination maps onto exactly one
 * index Query (or, for a tag, one Query per tag slot), so none of them reads more than a page per index.
 */
export function unservableReason(query: ListQuery): string | undefined {
  if (query.updatedSince !== undefined) return undefined;
  const sort = query.sort ?? 'createdAt';
  const dueRange = query.dueBefore !== undefined || query.dueAfter !== undefined;
  if (query.tag !== undefined && (query.status !== undefined || dueRange))
    return "'tag' cannot be combined with 'status', 'dueBefore' or 'dueAfter': no index serves that combination";
  if (query.tag !== undefined && sort !== 'createdAt')
    return "'tag' can only be listed with sort=createdAt: the tag indexes are ordered by creation";
  if (dueRange && sort !== 'dueDate')
    return "'dueBefore' and 'dueAfter' need sort=dueDate: only the due-date indexes can answer a due range";
  if (query.dueBefore !== undefined && query.dueAfter !== undefined && query.dueAfter >= query.dueBefore)
    return "'dueAfter' must be earlier than 'dueBefore'";
  return undefined;
}

export function parseListQuery(params: Readonly<Record<string, string | undefined>>): ListQuery {
  const extra = Object.keys(params).filter(
    (name) => params[name] !== undefined && !FEED_PARAMETERS.has(name),
  );
  if (params.updatedSince !== undefined && extra.length > 0) {
    const others = extra.map((name) => `'${name}'`).join(', ');
    const reason = `'updatedSince' combines only with 'limit' and 'cursor', not with ${others}`;
    throw new ValidationError(reason, [{ field: 'updatedSince', message: reason }]);
  }
  const result = ListQueryParamsSchema.safeParse(params);
  if (!result.success) {
    const errors = result.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || '(query)',
      message: issue.message,
    }));
    throw new ValidationError(errors[0]?.message ?? 'Invalid query', errors, { cause: result.error });
  }
  const { limit, dueBefore, dueAfter, sort, updatedSince, ...rest } = result.data;
  if (updatedSince !== undefined)
    return {
      limit: limit ?? LIST_LIMITS.defaultLimit,
      updatedSince: new Date(updatedSince).toISOString(),
      ...(rest.cursor !== undefined && { cursor: rest.cursor }),
    };
  const dueRange = dueBefore !== undefined || dueAfter !== undefined;
  const query: ListQuery = {
    ...rest,
    limit: limit ?? LIST_LIMITS.defaultLimit,
    ...(dueBefore !== undefined && { dueBefore: dueInstant(dueBefore) }),
    ...(dueAfter !== undefined && { dueAfter: dueInstant(dueAfter) }),
    sort: sort ?? (dueRange ? 'dueDate' : 'createdAt'),
  };
  const reason = unservableReason(query);
  if (reason) throw new ValidationError(reason, [{ field: '(query)', message: reason }]);
  return query;
}
