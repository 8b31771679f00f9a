import { describe, expect, it } from 'vitest';
import { dropTargetOf, stepTargetOf } from './outline.js';
import { type Task, versionedOf } from './task-api.js';

/** An outline: A (with A1, A2), B, C; ids are the titles, enough for the moves' arithmetic. */
const taskOf = (taskId: string, parentId?: string): Task => ({
  taskId,
  listId: '@default',
  position: 'a0',
  title: taskId,
  description: '',
  status: 'PENDING',
  priority: 'MEDIUM',
  tags: [],
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
  version: 1,
  ...(parentId && { parentId }),
});
const items = [taskOf('A'), taskOf('A1', 'A'), taskOf('A2', 'A'), taskOf('B'), taskOf('C')].map(versionedOf);

describe('moving a task one step with the keyboard', () => {
  it('moves a top-level task up past its previous sibling, over that sibling’s subtasks', () => {
    expect(stepTargetOf(items, 'B', 'up')).toEqual({ previousId: null, parentId: null });
    expect(stepTargetOf(items, 'C', 'up')).toEqual({ previousId: 'A', parentId: null });
  });

  it('moves a top-level task down after its next sibling', () => {
    expect(stepTargetOf(items, 'A', 'down')).toEqual({ previousId: 'B', parentId: null });
  });

  it('moves a subtask within its parent only', () => {
    expect(stepTargetOf(items, 'A2', 'up')).toEqual({ previousId: null, parentId: 'A' });
    expect(stepTargetOf(items, 'A1', 'down')).toEqual({ previousId: 'A2', parentId: 'A' });
    expect(stepTargetOf(items, 'A1', 'up')).toBeUndefined();
    expect(stepTargetOf(items, 'A2', 'down')).toBeUndefined();
  });

  it('offers no move past either end', () => {
    expect(stepTargetOf(items, 'A', 'up')).toBeUndefined();
    expect(stepTargetOf(items, 'C', 'down')).toBeUndefined();
    expect(stepTargetOf(items, 'gone', 'up')).toBeUndefined();
  });
});

describe('moving a task by dropping it on another', () => {
  it('places it before or after a sibling', () => {
    expect(dropTargetOf(items, 'C', 'A', 'before')).toEqual({ previousId: null, parentId: null });
    expect(dropTargetOf(items, 'C', 'A', 'after')).toEqual({ previousId: 'A', parentId: null });
    expect(dropTargetOf(items, 'A', 'C', 'after')).toEqual({ previousId: 'C', parentId: null });
    expect(dropTargetOf(items, 'A2', 'A1', 'before')).toEqual({ previousId: null, parentId: 'A' });
  });

  it('asks for nothing when the drop leaves the order as it is, or lands outside the siblings', () => {
    expect(dropTargetOf(items, 'B', 'A', 'after')).toBeUndefined();
    expect(dropTargetOf(items, 'B', 'C', 'before')).toBeUndefined();
    expect(dropTargetOf(items, 'B', 'B', 'after')).toBeUndefined();
    expect(dropTargetOf(items, 'A1', 'B', 'after')).toBeUndefined();
    expect(dropTargetOf(items, 'B', 'A1', 'after')).toBeUndefined();
  });
});
