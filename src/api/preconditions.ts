import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { WriteCondition } from '../domain/task-store.js';
import { badHeader } from './http-errors.js';
import { listHeaderOf } from './request.js';

/**
 * Conditional requests (RFC 9110 §13) over the task's `version`: the ETag is the version in quotes, so a
 * client echoes what it read and the store checks it in the same conditional write.
 */
export const etagOf = (version: number): string => `"${version}"`;

/** The rules of `If-Match` and `If-None-Match`, quoted by the OpenAPI document. */
export const ENTITY_TAG_LIMITS = Object.freeze({ maxHeaderLength: 1024, maxTags: 20 });

/** One entity tag: optional `W/`, then visible ASCII but `"` in quotes (RFC 9110 §8.8.3, no obs-text). */
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e]*)"$/;
const TAG = '(?:W/)?"[\\x21\\x23-\\x7e]*"';

/**
 * The whole header: `*`, or 1 to 20 entity tags separated by commas (empty list elements are refused).
 * The parser checks this and the OpenAPI document quotes it, so the two cannot disagree.
 */
export const ENTITY_TAG_LIST_PATTERN = new RegExp(
  `^[ \\t]*(?:\\*|${TAG}(?:[ \\t]*,[ \\t]*${TAG}){0,${ENTITY_TAG_LIMITS.maxTags - 1}})[ \\t]*$`,
);

/** `*`, or the versions an entity-tag list names. */
export type TagList =
  | { readonly any: true }
  | {
      readonly any: false;
      /** Versions named by strong tags (`"3"`), for If-Match's strong comparison. */
      readonly strong: readonly number[];
      /** Versions named by any tag, weak ones included (`W/"3"`), for If-None-Match's weak comparison. */
      readonly all: readonly number[];
    };

export interface Preconditions {
  readonly ifMatch?: TagList;
  readonly ifNoneMatch?: TagList;
}

/** Parses `*` or an entity-tag list; a malformed header is a 400, never silently ignored. */
function tagListOf(event: APIGatewayProxyEvent, name: string): TagList | undefined {
  const raw = listHeaderOf(event, name);
  if (raw === undefined) return undefined;
  const { maxHeaderLength, maxTags } = ENTITY_TAG_LIMITS;
  if (raw.length > maxHeaderLength || !ENTITY_TAG_LIST_PATTERN.test(raw))
    throw badHeader(
      name,
      `must be '*' or a list of at most ${maxTags} ETags such as "3", within ${maxHeaderLength} characters`,
    );
  const value = raw.trim();
  if (value === '*') return { any: true };
  const strong: number[] = [];
  const all: number[] = [];
  for (const part of value.split(',')) {
    const match = ENTITY_TAG.exec(part.trim());
    if (!match) continue; // cannot happen: the pattern above admits only entity tags
    // Tags that are not a version this server could have issued can match nothing; they are kept out.
    if (!/^\d{1,15}$/.test(match[2] ?? '')) continue;
    const version = Number(match[2]);
    all.push(version);
    if (!match[1]) strong.push(version);
  }
  return { any: false, strong, all };
}

/** Both conditional headers, checked for form before anything is read or written. */
export function preconditionsOf(event: APIGatewayProxyEvent): Preconditions {
  const ifMatch = tagListOf(event, 'If-Match');
  const ifNoneMatch = tagListOf(event, 'If-None-Match');
  return { ...(ifMatch && { ifMatch }), ...(ifNoneMatch && { ifNoneMatch }) };
}

/** What the preconditions say about a request: go on, 304 (reads only), or 412. */
export type Evaluation = 'proceed' | 'not-modified' | 'failed';

/**
 * RFC 9110 §13.2.2 against a current representation: If-Match first (false: 412), then If-None-Match
 * (false: 304 for a read, 412 for anything else). `version` is undefined for the task collection, which
 * always exists but has no entity tag. A missing task never gets here: its 404 comes first (§13.2.1).
 */
export function evaluate(pre: Preconditions, version: number | undefined, read: boolean): Evaluation {
  const { ifMatch, ifNoneMatch } = pre;
  if (ifMatch && !ifMatch.any && (version === undefined || !ifMatch.strong.includes(version)))
    return 'failed';
  const noneMatchFalse =
    ifNoneMatch && (ifNoneMatch.any || (version !== undefined && ifNoneMatch.all.includes(version)));
  if (noneMatchFalse) return read ? 'not-modified' : 'failed';
  return 'proceed';
}

/**
 * The store condition a write carries, so that the check and the write are one atomic step: If-Match as
 * `versionIn` (strong), If-None-Match as `versionNotIn` (weak). `If-None-Match: *` can never hold for a
 * task that exists, and a write needs one: it becomes the empty `versionIn`. Undefined: last write wins.
 */
export function writeConditionOf(pre: Preconditions): WriteCondition | undefined {
  const { ifMatch, ifNoneMatch } = pre;
  const versionIn =
    ifNoneMatch?.any === true ? [] : ifMatch && !ifMatch.any ? [...ifMatch.strong] : undefined;
  const versionNotIn =
    ifNoneMatch && !ifNoneMatch.any && ifNoneMatch.all.length > 0 ? [...ifNoneMatch.all] : undefined;
  if (versionIn === undefined && versionNotIn === undefined) return undefined;
  return { ...(versionIn && { versionIn }), ...(versionNotIn && { versionNotIn }) };
}
