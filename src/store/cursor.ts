import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../domain/errors.js';
import { LIST_LIMITS } from '../domain/list-query.js';

/**
 * Opaque list cursors. A cursor carries only the sort-key position of the last item returned, never a
 * partition key: the adapter rebuilds the partition from the caller, so a cursor cannot reach another
 * owner's data. An HMAC-SHA256 under the server's cursor key binds the position to the owner and the query,
 * so a cursor that was altered or forged (a feed horizon in the future, say), or minted for another
 * principal or another filter, is refused with a 400 instead of silently misbehaving. A new key (rotation)
 * makes every cursor minted under the old one a 400 too.
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

/** The least key material accepted: as long as the HMAC's own output. */
export const CURSOR_KEY_MIN_BYTES = 32;

/** Mints and checks cursors under one key. Async: the key may be fetched on first use (a secret). */
export interface CursorCodec {
  /** `binding` names the owner and every query parameter that shapes the result order. */
  encode(binding: string, position: CursorPosition): Promise<string>;
  /** The position, or InvalidCursorError for a cursor this key did not mint for this binding. */
  decode(binding: string, cursor: string, allowedKeys: readonly string[]): Promise<CursorPosition>;
}

function signature(key: Uint8Array, binding: string, position: CursorPosition): Buffer {
  const keys = Object.keys(position).sort();
  const canonical = JSON.stringify([binding, keys.map((name) => [name, position[name]])]);
  return createHmac('sha256', key).update('task-cursor-v2\0').update(canonical).digest();
}

function positionOf(
  cursor: string,
  allowedKeys: readonly string[],
): { position: CursorPosition; given: Buffer } {
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
  const { p: position, s: given } = payload as { p?: unknown; s?: unknown };
  if (typeof given !== 'string' || typeof position !== 'object' || position === null)
    throw new InvalidCursorError();
  const entries = Object.entries(position);
  const wellFormed =
    entries.length === allowedKeys.length &&
    entries.every(
      ([key, value]) => allowedKeys.includes(key) && typeof value === 'string' && value.length <= 256,
    );
  if (!wellFormed) throw new InvalidCursorError();
  return { position: position as CursorPosition, given: Buffer.from(given, 'base64url') };
}

/**
 * Cursors signed with `key` (at least CURSOR_KEY_MIN_BYTES of secret material), or with what `key()`
 * resolves to: read once, and again after a failed read.
 */
export function makeCursorCodec(key: Uint8Array | (() => Promise<Uint8Array>)): CursorCodec {
  let pending: Promise<Uint8Array> | undefined;
  const keyOf = async (): Promise<Uint8Array> => {
    if (typeof key !== 'function') return key;
    pending ??= key().then(checkKey, (error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
  if (typeof key !== 'function') checkKey(key);
  return {
    async encode(binding, position) {
      const s = signature(await keyOf(), binding, position).toString('base64url');
      return Buffer.from(JSON.stringify({ p: position, s })).toString('base64url');
    },
    async decode(binding, cursor, allowedKeys) {
      const { position, given } = positionOf(cursor, allowedKeys);
      const expected = signature(await keyOf(), binding, position);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new InvalidCursorError();
      return position;
    },
  };
}

function checkKey(key: Uint8Array): Uint8Array {
  if (key.byteLength < CURSOR_KEY_MIN_BYTES)
    throw new Error(`The cursor key must be at least ${CURSOR_KEY_MIN_BYTES} bytes`);
  return key;
}
