import { allows } from '../../src/local/local-iam.js';

/**
 * The synthesized role policies of a function, evaluated the way IAM does for the calls the code makes:
 * an Allow whose action and resource patterns match, and no Deny that does. ARNs built from CloudFormation
 * intrinsics are compared as text: `Fn::ImportValue` of the table's export, `Ref` of the secret, joined
 * with their literal suffixes (`/index/byTag0`).
 */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation templates are free-form JSON
type Json = any;

/** An intrinsic as text: `${import:<export>}`, `${<LogicalId>}`, `${<LogicalId>.Arn}`, joins inline. */
export function rendered(value: Json): string {
  if (typeof value === 'string') return value;
  if (value?.Ref !== undefined) return `\${${value.Ref}}`;
  if (value?.['Fn::GetAtt'] !== undefined) return `\${${value['Fn::GetAtt'].join('.')}}`;
  if (value?.['Fn::ImportValue'] !== undefined) return `\${import:${rendered(value['Fn::ImportValue'])}}`;
  if (value?.['Fn::Sub'] !== undefined) return String(value['Fn::Sub']);
  if (value?.['Fn::Join'] !== undefined) {
    const [separator, parts] = value['Fn::Join'] as [string, Json[]];
    return parts.map(rendered).join(separator);
  }
  throw new Error(`Cannot render ${JSON.stringify(value)}`);
}

const list = (value: Json): Json[] => (Array.isArray(value) ? value : [value]);

interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly resources: string[];
  readonly conditional: boolean;
}

/** Every statement of the inline and attached policies of the function whose logical id starts so. */
export function roleStatementsOf(template: Json, functionPrefix: string): Statement[] {
  const resources = Object.entries(template.Resources as Record<string, Json>);
  const fns = resources.filter(
    ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(functionPrefix),
  );
  if (fns.length !== 1) throw new Error(`expected one function ${functionPrefix}, got ${fns.length}`);
  const roleId = fns[0]?.[1].Properties.Role['Fn::GetAtt'][0] as string;
  const documents = [
    ...list(template.Resources[roleId]?.Properties?.Policies ?? []).map((p) => p.PolicyDocument),
    ...resources
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .filter(([, r]) => list(r.Properties.Roles).some((role: Json) => role.Ref === roleId))
      .map(([, r]) => r.Properties.PolicyDocument),
  ];
  // Managed policies (AWSLambdaBasicExecutionRole) are not read: they grant nothing the code calls.
  return documents.flatMap((document) =>
    list(document.Statement).map((st: Json) => {
      if (st.NotAction !== undefined || st.NotResource !== undefined)
        throw new Error('NotAction/NotResource: not evaluated here');
      return {
        effect: st.Effect,
        actions: list(st.Action),
        resources: list(st.Resource).map(rendered),
        conditional: st.Condition !== undefined,
      };
    }),
  );
}

export interface Call {
  readonly action: string;
  readonly resource: string;
}

/** The calls the statements do not allow: no unconditional Allow matches, or a Deny does. */
export function deniedCalls(statements: readonly Statement[], calls: readonly Call[]): Call[] {
  const of = (effect: Statement['effect']) =>
    statements.filter((st) => st.effect === effect && (effect === 'Deny' || !st.conditional));
  return calls.filter(
    ({ action, resource }) => !allows(of('Allow'), action, resource) || allows(of('Deny'), action, resource),
  );
}
