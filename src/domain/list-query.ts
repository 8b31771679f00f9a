import * as z from 'zod/mini';
import { ValidationError } from './errors.js';
import { DueDateSchema, dueInstant, TagSchema, type TaskStatus, TaskStatusSchema } from './task.js';

/** Listing limits a client can rely on. */
export const LIST_LIMITS = Object.freeze({ defaultLimit: 20, maxLimit: 100, maxCursorLength: 1024 });

export const LIST_SORTS = ['createdAt', 'dueDate', 'updatedAt', 'position'] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export type ListOrder = 'asc' | 'desc';

/** What the store is asked for. Due bounds are UTC instants (see `dueInstant`). */
export interface ListQuery {
  readonly limit: number;
  readonly status?: TaskStatus;
  readonly tag?: string;
  /** Only this task's subtasks (in manual order). */
  readonly parentId?: string;
  /** Due strictly before this instant. */
  readonly dueBefore?: string;
  /** Due at or after this instant. */
  readonly dueAfter?: string;
  /** Default `createdAt` (`position` with `parentId`). */
  readonly sort?: ListSort;
  /** Default `asc`. */
  readonly order?: ListOrder;
  /** Opaque cursor from a previous page; the store validates it against owner and query. */
  readonly cursor?: string;
  /** The change feed (a UTC instant): changes and tombstones since then, instead of a listing. */
  readonly updatedSince?: string;
}

const limitMessage = `Query parameter 'limit' must be an integer from 1 to ${LIST_LIMITS.maxLimit}`;

/**
 * The list endpoint's query parameters. Each arrives as a string; `limit` is decimal digits read as an
 * integer. The OpenAPI document is built from this schema's output side, so it shows `limit` as the integer
 * it is, with its range and default.
 */
export const ListQueryParamsSchema = z.object({
  limit: z
    ._default(
      z.pipe(
        z.pipe(
          z.string().check(z.regex(/^\d{1,4}$/, limitMessage)),
          z.transform((text: string) => Number(text)),
        ),
        z.int().check(z.minimum(1, limitMessage), z.maximum(LIST_LIMITS.maxLimit, limitMessage)),
      ),
      LIST_LIMITS.defaultLimit,
    )
    .check(z.meta({ description: `Page size, at most ${LIST_LIMITS.maxLimit}.` })),
  status: z.optional(TaskStatusSchema).check(z.meta({ description: 'Only tasks with this status.' })),
  tag: z
    .optional(TagSchema)
    .check(z.meta({ description: 'Only tasks carrying this tag (normalised like tags).' })),
  parentId: z
    .optional(z.uuid({ error: "Query parameter 'parentId' must be a task id" }))
    .check(z.meta({ description: "Only this task's subtasks, in manual order." })),
  dueBefore: z
    .optional(DueDateSchema)
    .check(z.meta({ description: 'Only tasks due strictly before this date.' })),
  dueAfter: z.optional(DueDateSchema).check(z.meta({ description: 'Only tasks due at or after this date.' })),
  sort: z
    .optional(z.enum(LIST_SORTS, { error: `Query parameter 'sort' must be one of ${LIST_SORTS.join(', ')}` }))
    .check(
      z.meta({
        description:
          'Sort field: createdAt (default), dueDate (the default with a due filter), updatedAt, or position: ' +
          'the manual order as an outline, each task followed by its subtasks (the default with parentId).',
      }),
    ),
  order: z
    .optional(z.enum(['asc', 'desc'], { error: "Query parameter 'order' must be asc or desc" }))
    .check(z.meta({ description: 'Sort order, default asc.' })),
  cursor: z
    .optional(
      z
        .string()
        .check(
          z.regex(
            new RegExp(`^[A-Za-z0-9_-]{1,${LIST_LIMITS.maxCursorLength}}$`),
            'Invalid cursor: leave `cursor` out for the first page, and take later ones from the `Link` header',
          ),
        ),
    )
    .check(
      z.meta({
        description: 'Opaque; take it from the `Link` header. Leave it out (never empty) for the first page.',
        // A value of the right form is still refused unless this API issued it for this caller and query.
        'x-server-issued': true,
      }),
    ),
  updatedSince: z
    .optional(
      z.iso.datetime({ offset: true, error: "Query parameter 'updatedSince' must be an RFC 3339 date-time" }),
    )
    .check(
      z.meta({
        description:
          'The change feed: the tasks changed at or after this instant, oldest change first, with a tombstone ' +
          '`{"taskId","deleted":true,"updatedAt"}` for each task deleted since. Combines only with `limit` and ' +
          '`cursor`. Pass back the greatest `updatedAt` received to sync again.',
      }),
    ),
});

/** A parameter given more than once is refused, never "last wins": which one a client meant is unknowable. */
function singleValued(
  params: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string | undefined> {
  const single: Record<string, string | undefined> = {};
  for (const name of Object.keys(ListQueryParamsSchema.shape)) {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (typeof value === 'string' || value === undefined) single[name] = value;
    else if (value.length > 1) {
      const message = `Query parameter '${name}' must be given at most once`;
      throw new ValidationError(message, [{ field: name, message }]);
    } else single[name] = value[0];
  }
  return single;
}

type FilterName =
  | 'status'
  | 'tag'
  | 'parentId'
  | 'dueBefore'
  | 'dueAfter'
  | 'updatedSince'
  | 'sort'
  | 'order';

/**
 * Which parameter combinations no index serves, as data: `unservableReason` applies these rules and the
 * OpenAPI document publishes them (`x-parameter-rules`), since a JSON schema per parameter cannot say them.
 * `sortIn` applies to the effective sort: `sort`, or its default (dueDate with a due filter, else createdAt).
 */
export const LIST_PARAMETER_RULES = Object.freeze([
  {
    rule: 'excludes',
    parameter: 'updatedSince',
    others: ['status', 'tag', 'parentId', 'dueBefore', 'dueAfter', 'sort', 'order'],
    message:
      "'updatedSince' combines only with 'limit' and 'cursor': the change feed has one order and no filter",
  },
  {
    rule: 'excludes',
    parameter: 'tag',
    others: ['status', 'dueBefore', 'dueAfter'],
    message:
      "'tag' cannot be combined with 'status', 'dueBefore' or 'dueAfter': no index serves that combination",
  },
  {
    rule: 'excludes',
    parameter: 'parentId',
    others: ['status', 'tag', 'dueBefore', 'dueAfter'],
    message: "'parentId' combines with no other filter: it lists one task's subtasks in manual order",
  },
  {
    rule: 'sortIn',
    parameters: ['parentId'],
    sort: ['position'],
    message: "'parentId' can only be listed with sort=position: subtasks are indexed in manual order",
  },
  {
    rule: 'sortIn',
    parameters: ['status'],
    sort: ['createdAt', 'dueDate', 'updatedAt'],
    message:
      "'status' cannot be combined with sort=position: the manual order spans every status, so filter the page instead",
  },
  {
    rule: 'sortIn',
    parameters: ['tag'],
    sort: ['createdAt'],
    message: "'tag' can only be listed with sort=createdAt: the tag indexes are ordered by creation",
  },
  {
    rule: 'sortIn',
    parameters: ['dueBefore', 'dueAfter'],
    sort: ['dueDate'],
    message: "'dueBefore' and 'dueAfter' need sort=dueDate: only the due-date indexes can answer a due range",
  },
  {
    rule: 'lessThan',
    lower: 'dueAfter',
    upper: 'dueBefore',
    message: "'dueAfter' must be earlier than 'dueBefore'",
  },
] as const satisfies readonly (
  | { rule: 'excludes'; parameter: FilterName; others: readonly FilterName[]; message: string }
  | { rule: 'sortIn'; parameters: readonly FilterName[]; sort: readonly ListSort[]; message: string }
  | { rule: 'lessThan'; lower: FilterName; upper: FilterName; message: string }
)[]);

/**
 * Why no index can serve this query, or undefined when one can. Each combination maps onto exactly one
 * index Query (or, for a tag, one Query per tag slot), so none of them reads more than a page per index.
 */
export function unservableReason(query: ListQuery): string | undefined {
  const sort = query.sort ?? 'createdAt';
  const has = (name: FilterName) => query[name] !== undefined;
  for (const rule of LIST_PARAMETER_RULES) {
    const broken =
      rule.rule === 'excludes'
        ? has(rule.parameter) && rule.others.some(has)
        : rule.rule === 'sortIn'
          ? rule.parameters.some(has) && !(rule.sort as readonly ListSort[]).includes(sort)
          : has(rule.lower) && has(rule.upper) && (query[rule.lower] ?? '') >= (query[rule.upper] ?? '');
    if (broken) return rule.message;
  }
  return undefined;
}

/** Takes single values, or the lists of an API Gateway `multiValueQueryStringParameters` map. */
export function parseListQuery(
  params: Readonly<Record<string, string | readonly string[] | undefined>>,
): ListQuery {
  const result = ListQueryParamsSchema.safeParse(singleValued(params));
  if (!result.success) {
    const errors = result.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || '(query)',
      message: issue.message,
    }));
    throw new ValidationError(errors[0]?.message ?? 'Invalid query', errors, { cause: result.error });
  }
  const { limit, dueBefore, dueAfter, sort, updatedSince, ...rest } = result.data;
  if (updatedSince !== undefined) {
    // The feed's rule reads the parameters as given: no default sort is filled in.
    const reason = unservableReason({ ...result.data, limit } as ListQuery);
    if (reason) throw new ValidationError(reason, [{ field: 'updatedSince', message: reason }]);
    return {
      limit,
      updatedSince: new Date(updatedSince).toISOString(),
      ...(rest.cursor !== undefined && { cursor: rest.cursor }),
    };
  }
  const dueRange = dueBefore !== undefined || dueAfter !== undefined;
  const query: ListQuery = {
    ...rest,
    limit,
    ...(dueBefore !== undefined && { dueBefore: dueInstant(dueBefore) }),
    ...(dueAfter !== undefined && { dueAfter: dueInstant(dueAfter) }),
    sort: sort ?? (dueRange ? 'dueDate' : rest.parentId !== undefined ? 'position' : 'createdAt'),
  };
  const reason = unservableReason(query);
  if (reason) throw new ValidationError(reason, [{ field: '(query)', message: reason }]);
  return query;
}
