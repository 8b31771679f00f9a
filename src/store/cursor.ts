import { createHash, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../domain/errors.js';
import { LIST_LIMITS } from '../domain/list-query.js';

/**
 * Opaque list cursors. A cursor carries only the sort-key position of the last item returned, never a
 * partition key: the adapter rebuilds the partition from the caller, so a cursor cannot reach another
 * owner's data. A digest binds the position to the owner and the query, so a cursor that was altered, or
 * minted for another principal or another filter, is refused with a 400 instead of silently misbehaving.
 */
export type CursorPosition = Readonly<Record<string, string>>;

export class InvalidCursorError extends ValidationError {
  override readonly name = 'InvalidCursorError';

  constructor(options?: ErrorOptions) {
    super(
      'Invalid cursor',
      [{ field: 'cursor', message: 'The cursor is malformed, altered or belongs to another query' }],
      options,
    );
  }
}

const MAX_CURSOR_LENGTH = LIST_LIMITS.maxCursorLength;

function digest(binding: string, position: CursorPosition): Buffer {
  const keys = Object.keys(position).sort();
  const canonical = JSON.stringify([binding, keys.map((key) => [key, position[key]])]);
  return createHash('sha256').update('task-cursor-v1\0').update(canonical).digest().subarray(0, 16);
}

/** `binding` names the owner and every query parameter that shapes the result order. */
export function encodeCursor(binding: string, position: CursorPosition): string {
  const payload = { p: position, d: digest(binding, position).toString('base64url') };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function decodeCursor(
  binding: string,
  cursor: string,
  allowedKeys: readonly string[],
): CursorPosition {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw new InvalidCursorError();
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new InvalidCursorError({ cause });
  }
  if (typeof payload !== 'object' || payload === null) throw new InvalidCursorError();
  const { p: position, d: given } = payload as { p?: unknown; d?: unknown };
  if (typeof given !== 'string' || typeof position !== 'object' || position === null)
    throw new InvalidCursorError();
  const entries = Object.entries(position);
  const wellFormed =
    entries.length === allowedKeys.length &&
    entries.every(
      ([key, value]) => allowedKeys.includes(key) && typeof value === 'string' && value.length <= 256,
    );
  if (!wellFormed) throw new InvalidCursorError();
  const expected = digest(binding, position as CursorPosition);
  const actual = Buffer.from(given, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new InvalidCursorError();
  return position as CursorPosition;
}
