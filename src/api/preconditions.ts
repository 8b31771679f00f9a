import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Task } from '../domain/task.js';
import type { WriteCondition } from '../domain/task-store.js';
import { badHeader } from './http-errors.js';
import { headerOf } from './request.js';

/**
 * Conditional requests (RFC 9110 §13) over the task's `version`: the ETag is the version in quotes, so a
 * client echoes what it read and the store checks it in the same conditional write.
 */
export const etagOf = (version: number): string => `"${version}"`;

const MAX_HEADER_LENGTH = 1024;
const MAX_ETAGS = 20;
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e]*)"$/;

interface EntityTags {
  readonly any: boolean;
  /** Versions named by strong tags (`"3"`). */
  readonly strong: number[];
  /** Versions named by any tag, weak ones included (`W/"3"`), for If-None-Match's weak comparison. */
  readonly all: number[];
}

/** Parses `*` or a comma-separated entity-tag list; malformed headers are a 400, not silently ignored. */
function entityTagsOf(event: APIGatewayProxyEvent, name: string): EntityTags | undefined {
  const value = headerOf(event, name)?.trim();
  if (value === undefined) return undefined;
  if (value === '*') return { any: true, strong: [], all: [] };
  const rule = `must be '*' or a list of at most ${MAX_ETAGS} ETags such as "3"`;
  const parts = value.split(',').map((part) => part.trim());
  if (value.length > MAX_HEADER_LENGTH || parts.length > MAX_ETAGS) throw badHeader(name, rule);
  const tags = { any: false, strong: [] as number[], all: [] as number[] };
  for (const part of parts) {
    const match = ENTITY_TAG.exec(part);
    if (!match) throw badHeader(name, rule);
    // Tags that are not a version this server could have issued can match nothing; they are kept out.
    if (!/^\d{1,15}$/.test(match[2] ?? '')) continue;
    const version = Number(match[2]);
    tags.all.push(version);
    if (!match[1]) tags.strong.push(version);
  }
  return tags;
}

/** The store condition for `If-Match` (strong comparison); undefined means last write wins. */
export function ifMatchOf(event: APIGatewayProxyEvent): WriteCondition | undefined {
  const tags = entityTagsOf(event, 'If-Match');
  if (!tags || tags.any) return undefined; // `*`: any current task, which every write already requires
  return { versionIn: tags.strong };
}

/** True when `If-None-Match` matches the task (weak comparison), so a GET answers 304. */
export function ifNoneMatchHolds(event: APIGatewayProxyEvent, task: Task): boolean {
  const tags = entityTagsOf(event, 'If-None-Match');
  return tags !== undefined && (tags.any || tags.all.includes(task.version));
}
