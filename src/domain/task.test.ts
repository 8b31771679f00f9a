import { describe, expect, it } from 'vitest';
import { applyTaskChange, newTask, planTaskChange, TaskSchema } from './task.js';
import { positionAt } from './task-order.js';

const ID = '0190a8a4-0000-7000-8000-000000000000';
const T0 = new Date('2026-01-02T03:04:05.678Z');
const T1 = new Date('2026-01-02T04:00:00.000Z');

describe('newTask', () => {
  it('stamps both times with the same instant in ISO 8601 UTC and starts at version 1', () => {
    const task = newTask({ title: 't', description: '', status: 'PENDING' }, ID, T0);
    expect(task).toEqual({
      taskId: ID,
      title: 't',
      description: '',
      status: 'PENDING',
      priority: 'MEDIUM',
      tags: [],
      listId: '@default',
      position: positionAt(T0),
      createdAt: '2026-01-02T03:04:05.678Z',
      updatedAt: '2026-01-02T03:04:05.678Z',
      version: 1,
    });
  });

  it('produces a task the public schema accepts', () => {
    const task = newTask({ title: 't', description: '', status: 'DONE' }, ID, T0);
    expect(TaskSchema.safeParse(task).success).toBe(true);
  });
});

describe('planTaskChange', () => {
  it('sets updatedAt and only the fields present in the patch', () => {
    expect(planTaskChange({ status: 'DONE' }, T1)).toEqual({
      set: { status: 'DONE', updatedAt: T1.toISOString() },
      remove: [],
      setIfAbsent: { completedAt: T1.toISOString() },
    });
  });

  it('carries every patchable field when all are given', () => {
    const change = planTaskChange({ title: 'a', description: 'b', status: 'IN_PROGRESS' }, T1);
    expect(Object.keys(change.set).sort()).toEqual(['description', 'status', 'title', 'updatedAt']);
  });
});

describe('applyTaskChange', () => {
  it('applies the change, keeps createdAt and bumps the version', () => {
    const task = newTask({ title: 't', description: 'd', status: 'PENDING' }, ID, T0);
    const next = applyTaskChange(task, planTaskChange({ status: 'DONE' }, T1));
    expect(next).toEqual({
      ...task,
      status: 'DONE',
      updatedAt: T1.toISOString(),
      completedAt: T1.toISOString(),
      version: 2,
    });
  });
});

describe('completedAt', () => {
  const done = () =>
    applyTaskChange(newTask({ title: 't', description: '', status: 'PENDING' }, ID, T0), {
      ...planTaskChange({ status: 'DONE' }, T0),
    });

  it('is set when a task is created DONE', () => {
    expect(newTask({ title: 't', description: '', status: 'DONE' }, ID, T0).completedAt).toBe(
      T0.toISOString(),
    );
  });

  it('keeps the first completion time when DONE is sent again', () => {
    const again = applyTaskChange(done(), planTaskChange({ status: 'DONE' }, T1));
    expect(again.completedAt).toBe(T0.toISOString());
  });

  it('is cleared when the task leaves DONE', () => {
    const reopened = applyTaskChange(done(), planTaskChange({ status: 'IN_PROGRESS' }, T1));
    expect(reopened).not.toHaveProperty('completedAt');
  });

  it('is untouched by a patch without a status', () => {
    const renamed = applyTaskChange(done(), planTaskChange({ title: 'x' }, T1));
    expect(renamed.completedAt).toBe(T0.toISOString());
  });
});

describe('planTaskChange for the new fields', () => {
  it('removes the due date when the patch sends null', () => {
    expect(planTaskChange({ dueDate: null }, T1).remove).toEqual(['dueDate']);
  });

  it('sets priority, due date and tags', () => {
    const change = planTaskChange({ priority: 'HIGH', dueDate: '2026-02-01', tags: ['a'] }, T1);
    expect(change.set).toMatchObject({ priority: 'HIGH', dueDate: '2026-02-01', tags: ['a'] });
  });
});
