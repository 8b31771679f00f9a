/** The schemas of the OpenAPI document: the zod schemas that validate, as JSON Schema, with examples. */
import * as z from 'zod';
import { TombstoneSchema } from '../domain/change-feed.js';
import { CreateTaskSchema, PATCHABLE_FIELDS, TaskPatchSchema, TaskSchema } from '../domain/task.js';
import {
  ListInputSchema,
  ListMemberSchema,
  ListTombstoneSchema,
  MemberInputSchema,
  MemberListSchema,
} from '../domain/task-list.js';
import { MoveTaskSchema } from '../domain/validate.js';
import { ProblemSchema } from './respond.js';

type Json = Record<string, unknown>;

/** A zod schema as an OpenAPI 3.1 (JSON Schema 2020-12) schema object, without the `$schema` marker. */
export function jsonSchemaOf(schema: z.core.$ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as Json;
  return rest;
}

/** API Gateway's own error bodies (policy denials also carry AWS's capital `Message`). */
const GatewayErrorSchema = z
  .strictObject({ message: z.string().nullable(), Message: z.string().optional() })
  .meta({
    title: 'GatewayError',
    description: 'An error API Gateway answers itself, before the task Lambda',
  });

export const EXAMPLE_TASK = {
  taskId: '019a4f7e-3c1d-7a2b-9c3e-5d6f7a8b9c0d',
  title: 'Write the quarterly report',
  description: 'Numbers from finance first',
  status: 'IN_PROGRESS',
  priority: 'HIGH',
  dueDate: '2026-12-01',
  tags: ['work', 'reports'],
  listId: '@default',
  position: 'gXm3Q0aV',
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: '2026-11-21T15:30:00.000Z',
  version: 2,
};

export const EXAMPLE_TOMBSTONE = {
  taskId: '019a4f7e-3c1d-7a2b-9c3e-5d6f7a8b9c0e',
  deleted: true,
  updatedAt: '2026-11-21T16:00:00.000Z',
};

export const SCHEMAS = {
  Task: { ...jsonSchemaOf(TaskSchema, 'output'), examples: [EXAMPLE_TASK] },
  Tombstone: { ...jsonSchemaOf(TombstoneSchema, 'output'), examples: [EXAMPLE_TOMBSTONE] },
  CreateTask: {
    ...jsonSchemaOf(CreateTaskSchema, 'input'),
    examples: [
      { title: 'Write the quarterly report', priority: 'HIGH', dueDate: '2026-12-01', tags: ['work'] },
    ],
  },
  TaskPatch: {
    ...jsonSchemaOf(TaskPatchSchema, 'input'),
    // The schema's refinement, which JSON Schema can say: at least one updatable field (others are dropped).
    not: { propertyNames: { not: { enum: PATCHABLE_FIELDS } } },
    description:
      'Send only the fields to change, at least one of them; `dueDate: null` removes the due date. ' +
      'Other fields are ignored.',
    examples: [{ status: 'DONE' }],
  },
  TaskList: {
    ...jsonSchemaOf(MemberListSchema, 'output'),
    examples: [
      {
        listId: '019a4f7e-3c1d-7a2b-9c3e-5d6f7a8b9c10',
        title: 'Groceries',
        createdAt: '2026-11-20T09:00:00.000Z',
        updatedAt: '2026-11-20T09:00:00.000Z',
        version: 1,
        role: 'owner',
        memberCount: 2,
      },
    ],
  },
  ListMember: {
    ...jsonSchemaOf(ListMemberSchema, 'output'),
    examples: [{ principalId: 'bob', role: 'editor' }],
  },
  MemberInput: { ...jsonSchemaOf(MemberInputSchema, 'input'), examples: [{ role: 'editor' }] },
  ListTombstone: {
    ...jsonSchemaOf(ListTombstoneSchema, 'output'),
    examples: [
      {
        listId: '019a4f7e-3c1d-7a2b-9c3e-5d6f7a8b9c10',
        deleted: true,
        updatedAt: '2026-11-22T10:00:00.000Z',
      },
    ],
  },
  ListInput: { ...jsonSchemaOf(ListInputSchema, 'input'), examples: [{ title: 'Groceries' }] },
  MoveTask: {
    ...jsonSchemaOf(MoveTaskSchema, 'input'),
    description:
      'Where the task goes: after `previousId` (first when null), under `parentId` (top level when null), ' +
      'and into `listId` when given (its subtasks travel with it).',
    examples: [{ previousId: '019a4f7e-3c1d-7a2b-9c3e-5d6f7a8b9c0d', parentId: null }],
  },
  Problem: {
    ...jsonSchemaOf(ProblemSchema, 'output'),
    examples: [
      {
        type: 'urn:task-service:problem:not-found',
        title: 'Not Found',
        status: 404,
        detail: 'Task not found',
        message: 'Task not found',
        requestId: 'c0a80164-1f2e-4b5a-9c3d-7e8f9a0b1c2d',
      },
    ],
  },
  GatewayError: { ...jsonSchemaOf(GatewayErrorSchema, 'output'), examples: [{ message: 'Unauthorized' }] },
};

export const schemaRef = (name: keyof typeof SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });
