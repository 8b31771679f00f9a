/**
 * Evaluates an authorizer's policy against a methodArn the way API Gateway does: an explicit Deny wins,
 * then any Allow, otherwise the request is implicitly denied. IAM wildcards: `*` any run, `?` one char.
 */
export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
}

export interface PolicyDocumentShape {
  readonly Version: string;
  readonly Statement: readonly PolicyStatement[];
}

const asList = (value: string | readonly string[]): readonly string[] =>
  typeof value === 'string' ? [value] : value;

/** Compiled patterns: a cached policy is evaluated on every request, and its patterns rarely change. */
const compiled = new Map<string, RegExp>();

/** IAM's wildcard match, case-sensitive (resources are; compare actions lowercased). */
export function wildcardMatch(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    if (compiled.size >= 1_000) compiled.clear();
    regex = new RegExp(`^${source}$`);
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}

function isStringList(value: unknown): value is string | string[] {
  return (
    typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'))
  );
}

/** A policy API Gateway would reject as malformed makes the authorizer's answer a 500. */
export function isPolicyDocument(value: unknown): value is PolicyDocumentShape {
  if (typeof value !== 'object' || value === null) return false;
  const { Version, Statement } = value as Record<string, unknown>;
  if (typeof Version !== 'string' || !Array.isArray(Statement) || Statement.length === 0) return false;
  return Statement.every((statement: unknown) => {
    if (typeof statement !== 'object' || statement === null) return false;
    const { Effect, Action, Resource } = statement as Record<string, unknown>;
    return (Effect === 'Allow' || Effect === 'Deny') && isStringList(Action) && isStringList(Resource);
  });
}

export function evaluatePolicy(policy: PolicyDocumentShape, methodArn: string): PolicyDecision {
  const applies = (statement: PolicyStatement) =>
    asList(statement.Action).some((action) => wildcardMatch(action, 'execute-api:Invoke')) &&
    asList(statement.Resource).some((resource) => wildcardMatch(resource, methodArn));
  const matching = policy.Statement.filter(applies);
  if (matching.some((statement) => statement.Effect === 'Deny')) return 'explicit-deny';
  return matching.some((statement) => statement.Effect === 'Allow') ? 'allow' : 'implicit-deny';
}
