import { describe, expect, it } from 'vitest';
import { evaluatePolicy, isPolicyDocument, type PolicyDocumentShape } from './iam-policy.js';

const STAGE = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev';
const ARN = `${STAGE}/GET/tasks/0190a8a4`;

const policy = (...statements: [effect: 'Allow' | 'Deny', resource: string | string[], action?: string][]) =>
  ({
    Version: '2012-10-17',
    Statement: statements.map(([Effect, Resource, Action = 'execute-api:Invoke']) => ({
      Effect,
      Resource,
      Action,
    })),
  }) satisfies PolicyDocumentShape;

describe('evaluatePolicy', () => {
  it('allows an exact resource match', () => {
    expect(evaluatePolicy(policy(['Allow', ARN]), ARN)).toBe('allow');
  });

  it('denies implicitly when no statement matches', () => {
    expect(evaluatePolicy(policy(['Allow', `${STAGE}/POST/tasks`]), ARN)).toBe('implicit-deny');
  });

  it('lets `*` match any run of characters, across slashes', () => {
    expect(evaluatePolicy(policy(['Allow', `${STAGE}/*`]), ARN)).toBe('allow');
    expect(evaluatePolicy(policy(['Allow', `${STAGE}/*/tasks/*`]), ARN)).toBe('allow');
  });

  it('lets `?` match exactly one character', () => {
    expect(evaluatePolicy(policy(['Allow', `${STAGE}/G?T/tasks/*`]), ARN)).toBe('allow');
    expect(evaluatePolicy(policy(['Allow', `${STAGE}/G?/tasks/*`]), ARN)).toBe('implicit-deny');
  });

  it('treats regex characters in a resource literally', () => {
    expect(evaluatePolicy(policy(['Allow', `${STAGE}/GET/tasks/0190a8a.`]), ARN)).toBe('implicit-deny');
    expect(evaluatePolicy(policy(['Allow', `${STAGE}/GET/tasks/(0190a8a4)`]), ARN)).toBe('implicit-deny');
  });

  it('does not match a prefix without a wildcard', () => {
    expect(evaluatePolicy(policy(['Allow', `${STAGE}/GET/tasks`]), ARN)).toBe('implicit-deny');
  });

  it('lets an explicit Deny win over a matching Allow, whatever the order', () => {
    expect(evaluatePolicy(policy(['Allow', `${STAGE}/*`], ['Deny', ARN]), ARN)).toBe('explicit-deny');
    expect(evaluatePolicy(policy(['Deny', ARN], ['Allow', `${STAGE}/*`]), ARN)).toBe('explicit-deny');
  });

  it('ignores a Deny that does not match the request', () => {
    expect(evaluatePolicy(policy(['Deny', `${STAGE}/DELETE/*`], ['Allow', `${STAGE}/*`]), ARN)).toBe('allow');
  });

  it('matches any resource in a list', () => {
    expect(evaluatePolicy(policy(['Allow', [`${STAGE}/POST/tasks`, `${STAGE}/GET/tasks/*`]]), ARN)).toBe(
      'allow',
    );
  });

  it('ignores statements for other actions', () => {
    expect(evaluatePolicy(policy(['Allow', ARN, 's3:GetObject']), ARN)).toBe('implicit-deny');
    expect(evaluatePolicy(policy(['Allow', ARN, 'execute-api:*']), ARN)).toBe('allow');
  });

  it('does not let another stage or API through a narrower wildcard', () => {
    expect(evaluatePolicy(policy(['Allow', `${STAGE}/*/*`]), ARN.replace('/dev/', '/prod/'))).toBe(
      'implicit-deny',
    );
  });
});

describe('isPolicyDocument', () => {
  it('accepts a well-formed policy', () => {
    expect(isPolicyDocument(policy(['Allow', ARN]))).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'Allow'],
    ['no Version', { Statement: [{ Effect: 'Allow', Action: 'a', Resource: 'r' }] }],
    ['an empty Statement list', { Version: '2012-10-17', Statement: [] }],
    ['an unknown Effect', { Version: 'v', Statement: [{ Effect: 'Maybe', Action: 'a', Resource: 'r' }] }],
    ['a missing Resource', { Version: 'v', Statement: [{ Effect: 'Allow', Action: 'a' }] }],
    ['a numeric Resource', { Version: 'v', Statement: [{ Effect: 'Allow', Action: 'a', Resource: [1] }] }],
  ])('refuses %s', (_kind, value) => {
    expect(isPolicyDocument(value)).toBe(false);
  });
});
