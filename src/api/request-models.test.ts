import { describe, expect, it } from 'vitest';
import { nonDraft4Keywords, requestModelOf } from './request-models.js';

describe('the draft-04 keyword check', () => {
  it.each([
    ['examples', { type: 'string', examples: ['2026-12-01'] }, '/: examples'],
    ['const inside a property', { properties: { a: { const: 1 } } }, '/properties/a: const'],
    ['$id', { $id: 'x', type: 'object' }, '/: $id'],
    [
      'a keyword inside anyOf',
      { anyOf: [{ type: 'string' }, { type: 'null', example: null }] },
      '/anyOf/1: example',
    ],
  ])('finds %s', (_what, schema, where) => {
    expect(nonDraft4Keywords(schema)).toEqual([where]);
  });

  it('reads property names and enum values as names, not keywords', () => {
    const schema = { type: 'object', properties: { examples: { type: 'string', enum: ['const'] } } };
    expect(nonDraft4Keywords(schema)).toEqual([]);
  });
});

describe('the request models', () => {
  it.each(['createTask', 'updateTask'] as const)('of %s use draft-04 keywords only', (operationId) => {
    const model = requestModelOf(operationId);
    expect(model).toBeDefined();
    expect(nonDraft4Keywords(model?.schema)).toEqual([]);
    expect(JSON.stringify(model?.schema)).toContain('"dueDate"');
  });
});
