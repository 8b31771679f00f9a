import { describe, expect, it } from 'vitest';
import { newTask, TASK_LIMITS, TaskSchema } from '../domain/task.js';
import { INDEXES, KEY_ATTRIBUTES, MAX_TAG_SLOTS, TAG_INDEXES } from './table-schema.js';
import { toItem } from './task-item.js';

/** DynamoDB's limit on global secondary indexes per table. */
const MAX_GSIS = 20;
const ID = '0190a8a4-0000-7000-8000-000000000001';
const AT = new Date('2026-01-01T00:00:00.000Z');

describe('the table schema', () => {
  it('has one tag slot and one tag index per tag a task may carry', () => {
    expect(MAX_TAG_SLOTS).toBe(TASK_LIMITS.maxTags);
    expect(TAG_INDEXES.map((index) => index.indexName)).toEqual(
      Array.from({ length: TASK_LIMITS.maxTags }, (_, slot) => `byTag${slot}`),
    );
    expect(TAG_INDEXES.every((index) => INDEXES[index.indexName as keyof typeof INDEXES] === index)).toBe(
      true,
    );
  });

  it('writes an index key for every tag of a task that carries the most tags allowed', () => {
    const tags = Array.from({ length: TASK_LIMITS.maxTags }, (_, i) => `t${i}`);
    const task = TaskSchema.parse({
      ...newTask({ title: 't', description: '', status: 'PENDING' }, ID, AT),
      tags,
    });
    const item = toItem('T#alice', task);
    for (const index of TAG_INDEXES) expect(item[index.partitionKey]).toMatch(/^T#alice#t\d$/);
    expect(new Set(TAG_INDEXES.map((index) => item[index.partitionKey])).size).toBe(tags.length);
    expect(item).not.toHaveProperty(KEY_ATTRIBUTES.tag(TASK_LIMITS.maxTags));
  });

  it('stays within the global secondary indexes DynamoDB allows a table', () => {
    expect(Object.keys(INDEXES).length).toBeLessThanOrEqual(MAX_GSIS);
  });
});
