import type { PolicyDocument, Statement } from 'aws-lambda';
import { ROUTES, type Route } from '../api/routes.js';
import type { Principal } from './principal.js';

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}` → `…:{apiId}/{stage}`. */
export function stageArnOf(methodArn: string): string {
  const [apiArn, stage] = methodArn.split('/');
  if (!apiArn?.startsWith('arn:') || apiArn.split(':').length !== 6 || !stage)
    throw new Error('Malformed methodArn');
  return `${apiArn}/${stage}`;
}

function routeArn(stageArn: string, route: Route): string {
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
  routes: readonly Route[] = ROUTES,
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
