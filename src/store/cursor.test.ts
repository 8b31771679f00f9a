import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidCursorError, makeCursorCodec } from './cursor.js';

const KEY = randomBytes(32);
const BINDING = JSON.stringify(['alice', 'changes', '2026-01-01T00:00:00.000Z']);
const POSITION = { updatedKey: '2026-01-02T00:00:00.000Z#a', until: '2026-01-03T00:00:00.000Z' };
const KEYS = ['updatedKey', 'until'];

const payloadOf = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
const cursorOf = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');

describe('list cursors', () => {
  it('give back the position they were minted with, for the same binding', async () => {
    const codec = makeCursorCodec(KEY);
    const cursor = await codec.encode(BINDING, POSITION);
    expect(await codec.decode(BINDING, cursor, KEYS)).toEqual(POSITION);
  });

  it('refuse a cursor whose position was changed after signing', async () => {
    const codec = makeCursorCodec(KEY);
    const { p, s } = payloadOf(await codec.encode(BINDING, POSITION));
    const altered = cursorOf({ p: { ...p, until: '9999-01-01T00:00:00.000Z' }, s });
    await expect(codec.decode(BINDING, altered, KEYS)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('refuse a cursor signed under another key, as after a rotation', async () => {
    const minted = await makeCursorCodec(randomBytes(32)).encode(BINDING, POSITION);
    await expect(makeCursorCodec(KEY).decode(BINDING, minted, KEYS)).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it('refuse a cursor minted for another binding (another owner or query)', async () => {
    const codec = makeCursorCodec(KEY);
    const cursor = await codec.encode(BINDING, POSITION);
    await expect(codec.decode(`${BINDING}x`, cursor, KEYS)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('refuse a truncated signature rather than compare a prefix', async () => {
    const codec = makeCursorCodec(KEY);
    const { p, s } = payloadOf(await codec.encode(BINDING, POSITION));
    const short = cursorOf({ p, s: s.slice(0, 22) });
    await expect(codec.decode(BINDING, short, KEYS)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('refuse a key shorter than 32 bytes', () => {
    expect(() => makeCursorCodec(randomBytes(16))).toThrow(/at least 32 bytes/);
  });

  it('read a fetched key once, and again after a failed read', async () => {
    let reads = 0;
    const codec = makeCursorCodec(async () => {
      reads += 1;
      if (reads === 1) throw new Error('Secrets Manager unreachable');
      return KEY;
    });
    await expect(codec.encode(BINDING, POSITION)).rejects.toThrow(/unreachable/);
    const cursor = await codec.encode(BINDING, POSITION);
    expect(await codec.decode(BINDING, cursor, KEYS)).toEqual(POSITION);
    expect(reads).toBe(2);
    expect(await makeCursorCodec(KEY).decode(BINDING, cursor, KEYS)).toEqual(POSITION);
  });
});
