import type { PolicyDocument, Statement } from 'aws-lambda';
import type { Principal, Scope } from './principal.js';

/**
 * What a policy needs to know of a route. The route table itself (`api/routes.ts`) is passed in by the
 * composition root, so auth depends on no HTTP layer above it.
 */
export interface GrantableRoute {
  readonly method: string;
  /** An API Gateway resource path, with `{name}` path parameters. */
  readonly resource: string;
  readonly scope: Scope;
  /** Public routes skip the authorizer and are never named in a policy. */
  readonly public?: boolean;
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}` → `…:{apiId}/{stage}`. */
export function stageArnOf(methodArn: string): string {
  const [apiArn, stage] = methodArn.split('/');
  if (!apiArn?.startsWith('arn:') || apiArn.split(':').length !== 6 || !stage)
    throw new Error('Malformed methodArn');
  return `${apiArn}/${stage}`;
}

function routeArn(stageArn: string, route: GrantableRoute): string {
  return `${stageArn}/${route.method}${route.resource.replace(/\{\w+\}/g, '*')}`;
}

/**
 * The policy names every route the principal may call, not just the one being called: API Gateway caches
 * the policy per token and evaluates it against each later request's methodArn. A principal with every
 * scope gets the whole stage; a partial scope set gets exactly its routes; no scope is an explicit Deny.
 */
export function policyFor(
  principal: Principal,
  methodArn: string,
  routes: readonly GrantableRoute[],
): PolicyDocument {
  const stageArn = stageArnOf(methodArn);
  const guarded = routes.filter((route) => !route.public);
  const allowed = guarded.filter((route) => principal.scopes.includes(route.scope));
  const everything = allowed.length === guarded.length;
  const statement: Statement =
    allowed.length === 0
      ? { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${stageArn}/*/*`] }
      : {
          Action: 'execute-api:Invoke',
          Effect: 'Allow',
          Resource: everything
            ? [`${stageArn}/*/*`]
            : [...new Set(allowed.map((r) => routeArn(stageArn, r)))],
        };
  return { Version: '2012-10-17', Statement: [statement] };
}
