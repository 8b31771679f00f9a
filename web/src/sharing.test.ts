import { describe, expect, it } from 'vitest';
import { PRINCIPAL_ID_PATTERN } from '../../src/domain/principal-id.js';
import {
  ID_SYMBOLS,
  isShared,
  mayManage,
  mayRename,
  mayWrite,
  membersInOrder,
  principalIdProblem,
  sharingSummary,
} from './sharing.js';
import type { TaskList } from './task-api.js';

const list = (role: TaskList['role'], memberCount: number): TaskList => ({
  listId: '019a4f7e-3c1d-7a2b-9c3e-5d6f7a8b9c10',
  title: 'Trip',
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
  version: 1,
  role,
  memberCount,
});

describe('what each role may do on a board', () => {
  it('lets the owner and an editor write and rename, a viewer neither, and only the owner manage', () => {
    expect([mayWrite('owner'), mayWrite('editor'), mayWrite('viewer'), mayWrite(undefined)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect([mayRename('editor'), mayRename('viewer')]).toEqual([true, false]);
    expect([mayManage('owner'), mayManage('editor'), mayManage('viewer')]).toEqual([true, false, false]);
  });
});

describe('a shared list in the panel', () => {
  it('says nothing of a list its owner keeps alone', () => {
    expect(isShared(list('owner', 1))).toBe(false);
    expect(sharingSummary(list('owner', 1))).toBeUndefined();
  });

  it("names the caller's role and the member count", () => {
    expect(sharingSummary(list('owner', 3))).toBe('Shared · Owner · 3 members');
    expect(sharingSummary(list('viewer', 2))).toBe('Shared · Viewer · 2 members');
  });
});

describe('the members, as listed', () => {
  it('come owner first, then the caller, then the others by id', () => {
    const members = [
      { principalId: 'carol', role: 'viewer' as const },
      { principalId: 'bob', role: 'editor' as const },
      { principalId: 'zed', role: 'viewer' as const },
      { principalId: 'alice', role: 'owner' as const },
    ];
    expect(membersInOrder(members, 'zed').map((m) => m.principalId)).toEqual([
      'alice',
      'zed',
      'bob',
      'carol',
    ]);
  });
});

describe('an id to share with', () => {
  it("is checked against the API's pattern, and is not the caller's own", () => {
    expect(principalIdProblem('bob', 'alice')).toBeUndefined();
    expect(principalIdProblem('', 'alice')).toContain('Enter the id');
    expect(principalIdProblem('two words', 'alice')).toContain('1 to 128');
    expect(principalIdProblem('x'.repeat(129), 'alice')).toContain('1 to 128');
    expect(principalIdProblem('alice', 'alice')).toContain('your own id');
  });

  it("names exactly the symbols the API's pattern allows", () => {
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    const symbols = printable.filter((c) => !/[A-Za-z0-9]/.test(c) && PRINCIPAL_ID_PATTERN.test(`a${c}b`));
    expect(symbols.sort()).toEqual([...ID_SYMBOLS].sort());
  });
});
