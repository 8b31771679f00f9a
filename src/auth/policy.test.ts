import { describe, expect, it } from 'vitest';
import { ROUTES } from '../api/routes.js';
import { evaluatePolicy as evaluateShape, isPolicyDocument } from '../local/iam-policy.js';
import { policyFor, stageArnOf } from './policy.js';
import type { Principal, Scope } from './principal.js';

/** Evaluates as API Gateway does, after checking the policy is one API Gateway would accept. */
function evaluatePolicy(policy: unknown, methodArn: string) {
  if (!isPolicyDocument(policy)) throw new Error('API Gateway would reject this policy');
  return evaluateShape(policy, methodArn);
}

const STAGE = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/dev';
const ID = '0190a8a4-0000-7000-8000-000000000000';
const arnOf = (method: string, resource: string) => `${STAGE}/${method}${resource.replace('{taskId}', ID)}`;
const principal = (scopes: Scope[]): Principal => ({ principalId: 'alice', scopes, authMode: 'jwt' });

function decisions(scopes: Scope[], calledArn = arnOf('GET', '/tasks')) {
  const policy = policyFor(principal(scopes), calledArn, ROUTES);
  return ROUTES.map((route) => [
    route.method,
    route.resource,
    evaluatePolicy(policy, arnOf(route.method, route.resource)),
  ]);
}

describe('policyFor', () => {
  it('allows every route to a principal with both scopes', () => {
    expect(decisions(['tasks/read', 'tasks/write']).every(([, , d]) => d === 'allow')).toBe(true);
  });

  it('allows a read-only principal exactly the GET routes', () => {
    const allowed = decisions(['tasks/read'])
      .filter(([, , d]) => d === 'allow')
      .map(([m, r]) => `${m} ${r}`);
    expect(allowed).toEqual(
      ROUTES.filter((r) => !r.public && r.method === 'GET').map((r) => `GET ${r.resource}`),
    );
    expect(allowed).toContain('GET /lists/{listId}/tasks/{taskId}');
  });

  it('allows a write-only principal exactly the write routes', () => {
    const allowed = decisions(['tasks/write'])
      .filter(([, , d]) => d === 'allow')
      .map(([m]) => m);
    expect(new Set(allowed)).toEqual(new Set(['POST', 'PUT', 'PATCH', 'DELETE']));
    expect(allowed).toHaveLength(ROUTES.filter((r) => r.method !== 'GET').length);
  });

  it('denies a principal without scopes explicitly, on every route', () => {
    expect(decisions([]).every(([, , d]) => d === 'explicit-deny')).toBe(true);
  });

  it('gives the same policy whichever route triggered the authorizer, so a cached answer fits every route', () => {
    const fromGet = policyFor(principal(['tasks/read']), arnOf('GET', '/tasks'), ROUTES);
    const fromDelete = policyFor(principal(['tasks/read']), arnOf('DELETE', '/tasks/{taskId}'), ROUTES);
    expect(fromDelete).toEqual(fromGet);
  });

  it('a cached Allow obtained on one route allows the other routes', () => {
    const policy = policyFor(principal(['tasks/read', 'tasks/write']), arnOf('GET', '/tasks'), ROUTES);
    expect(evaluatePolicy(policy, arnOf('DELETE', '/tasks/{taskId}'))).toBe('allow');
    expect(evaluatePolicy(policy, arnOf('POST', '/tasks'))).toBe('allow');
  });

  it('never allows another stage or another API', () => {
    const policy = policyFor(principal(['tasks/read', 'tasks/write']), arnOf('GET', '/tasks'), ROUTES);
    expect(evaluatePolicy(policy, `${STAGE.replace('/dev', '/prod')}/GET/tasks`)).toBe('implicit-deny');
    expect(evaluatePolicy(policy, `${STAGE.replace('abc123', 'other')}/GET/tasks`)).toBe('implicit-deny');
  });

  it('does not let a read-only policy reach a deeper path', () => {
    const policy = policyFor(principal(['tasks/read']), arnOf('GET', '/tasks'), ROUTES);
    expect(evaluatePolicy(policy, `${STAGE}/POST/tasks`)).toBe('implicit-deny');
  });
});

describe('stageArnOf', () => {
  it('cuts a methodArn down to its stage', () => {
    expect(stageArnOf(`${STAGE}/GET/tasks/${ID}`)).toBe(STAGE);
  });

  it.each([
    ['not-an-arn'],
    ['arn:aws:execute-api:eu-west-1:abc123/dev/GET/tasks'],
    [`${STAGE.split('/')[0]}`],
  ])('refuses the malformed methodArn %j', (arn) => {
    expect(() => stageArnOf(arn)).toThrow('Malformed methodArn');
  });
});
