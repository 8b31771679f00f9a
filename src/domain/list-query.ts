import * as z from 'zod/mini';
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
}

const limitMessage = `Query parameter 'limit' must be an integer from 1 to ${LIST_LIMITS.maxLimit}`;

/** The list endpoint's query parameters, as strings on the wire. The OpenAPI document is built from this. */
export const ListQueryParamsSchema = z.object({
  limit: z
    .optional(
      z
        .pipe(z.string().check(z.regex(/^\d{1,4}$/, limitMessage)), z.transform(Number))
        .check(z.refine((n) => n >= 1 && n <= LIST_LIMITS.maxLimit, limitMessage)),
    )
    .check(
      z.meta({ description: `Page size, 1–${LIST_LIMITS.maxLimit} (default ${LIST_LIMITS.defaultLimit}).` }),
    ),
  status: z.optional(TaskStatusSchema).check(z.meta({ description: 'Only tasks with this status.' })),
  tag: z
    .optional(TagSchema)
    .check(z.meta({ description: 'Only tasks carrying this tag (normalised like tags).' })),
  dueBefore: z
    .optional(DueDateSchema)
    .check(z.meta({ description: 'Only tasks due strictly before this date.' })),
  dueAfter: z.optional(DueDateSchema).check(z.meta({ description: 'Only tasks due at or after this date.' })),
  sort: z
    .optional(z.enum(LIST_SORTS, { error: `Query parameter 'sort' must be one of ${LIST_SORTS.join(', ')}` }))
    .check(
      z.meta({ description: 'Sort field: createdAt (default), or dueDate when a due filter is given.' }),
    ),
  order: z
    .optional(z.enum(['asc', 'desc'], { error: "Query parameter 'order' must be asc or desc" }))
    .check(z.meta({ description: 'Sort order, default asc.' })),
  cursor: z.optional(z.string()).check(z.meta({ description: 'Opaque; take it from the `Link` header.' })),
});

/**
 * Why no index can serve this query, or undefined when one can. Each combination maps onto exactly one
 * index Query (or, for a tag, one Query per tag slot), so none of them reads more than a page per index.
 */
export function unservableReason(query: ListQuery): string | undefined {
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
  const result = ListQueryParamsSchema.safeParse(params);
  if (!result.success) {
    const errors = result.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || '(query)',
      message: issue.message,
    }));
    throw new ValidationError(errors[0]?.message ?? 'Invalid query', errors, { cause: result.error });
  }
  const { limit, dueBefore, dueAfter, sort, ...rest } = result.data;
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
