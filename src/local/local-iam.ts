/**
 * IAM for the local stand-ins of AWS services (the embedded dynalite, a test's Secrets Manager): a call the
 * functions sign (LOCAL_FUNCTION_CREDENTIALS) is held to the function's role as declared in
 * src/lambda/permissions.ts, which is also what the CDK stack grants. A call the role does not allow gets
 * IAM's own answer (400 AccessDeniedException), so the service answers 500 locally exactly where it would
 * on AWS. Calls signed with any other key (the table set-up, a test's own client) pass unchecked.
 *
 * One call site per server: `guardRequests(server, …)` wraps the listener the service installed.
 */
import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { LOCAL_FUNCTION_CREDENTIALS } from '../aws/aws-json-client.js';
import { type AllowStatement, type FunctionName, statementsOf } from '../lambda/permissions.js';
import { wildcardMatch } from './iam-policy.js';

/** The account every local ARN names. */
export const LOCAL_ACCOUNT = '000000000000';

/**
 * What the table set-up signs with: the deployer, like CloudFormation, not a function. Letters only:
 * DynamoDB Local refuses an access key id with anything else.
 */
export const LOCAL_DEPLOYER_CREDENTIALS = Object.freeze({
  accessKeyId: 'localdeployer',
  secretAccessKey: 'local',
});

/** One API call as IAM sees it: who signed, the action, and every resource it is authorized on. */
export interface AwsCall {
  readonly accessKeyId: string;
  readonly region: string;
  /** `dynamodb:BatchGetItem`. */
  readonly action: string;
  readonly resources: readonly string[];
}

/** `X-Amz-Target` prefix → IAM service prefix. */
const SERVICES: Readonly<Record<string, string>> = {
  DynamoDB_20120810: 'dynamodb',
  secretsmanager: 'secretsmanager',
};

type Body = Record<string, unknown>;

/** The resources IAM authorizes a call on: each table (or index) it names, or the secret. */
function resourcesOf(service: string, operation: string, body: Body, region: string): string[] {
  const arn = (rest: string) => `arn:aws:${service}:${region}:${LOCAL_ACCOUNT}:${rest}`;
  if (service === 'secretsmanager') {
    const id = String(body.SecretId ?? '');
    return [id.startsWith('arn:') ? id : arn(`secret:${id}`)];
  }
  // Batch operations name their tables as the keys of RequestItems, and IAM checks each.
  const tables =
    typeof body.RequestItems === 'object' && body.RequestItems !== null
      ? Object.keys(body.RequestItems)
      : typeof body.TableName === 'string'
        ? [body.TableName]
        : [];
  if (tables.length === 0) return [operation === 'ListTables' ? '*' : arn('table/')];
  const index = typeof body.IndexName === 'string' ? `/index/${body.IndexName}` : '';
  return tables.map((table) => arn(`table/${table}${index}`));
}

/** The call a request makes, from its signature, `X-Amz-Target` and body; undefined when it is not one. */
export function awsCallOf(headers: IncomingHttpHeaders, body: string): AwsCall | undefined {
  const credential = /Credential=([^/\s,]+)\/\d{8}\/([^/\s,]+)\//.exec(headers.authorization ?? '');
  const [prefix, operation] = String(headers['x-amz-target'] ?? '').split('.');
  const service = SERVICES[prefix ?? ''];
  if (!credential || !service || !operation) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body || '{}');
  } catch {
    return undefined; // the service itself answers a body that is not JSON
  }
  const region = credential[2] ?? '';
  const fields = typeof parsed === 'object' && parsed !== null ? (parsed as Body) : {};
  return {
    accessKeyId: credential[1] ?? '',
    region,
    action: `${service}:${operation}`,
    resources: resourcesOf(service, operation, fields, region),
  };
}

/** Whether an Allow statement covers the action on the resource (actions match case-insensitively). */
export function allows(statements: readonly AllowStatement[], action: string, resource: string): boolean {
  return statements.some(
    (statement) =>
      statement.actions.some((pattern) => wildcardMatch(pattern.toLowerCase(), action.toLowerCase())) &&
      statement.resources.some((pattern) => wildcardMatch(pattern, resource)),
  );
}

export interface GuardOptions {
  /** The role a function's calls are held to (its name shows in the denial). */
  readonly role: FunctionName;
  /** The role's statements for the resource at hand (the ARNs it knows for that call). */
  readonly policyFor: (resource: string) => readonly AllowStatement[];
  /** Told of every call a function signed, allowed or not: what the IAM guard test records. */
  readonly onCall?: (call: AwsCall, allowed: boolean) => void;
}

function deny(res: ServerResponse, call: AwsCall, resource: string, role: string): void {
  const body = JSON.stringify({
    __type: 'com.amazon.coral.service#AccessDeniedException',
    Message:
      `User: arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${role}/local is not authorized to perform: ` +
      `${call.action} on resource: ${resource} because no identity-based policy allows the ${call.action} action`,
  });
  res.writeHead(400, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Puts the role check in front of the server's request listeners: the body is read, checked, and handed
 * on unchanged to the service when the call is allowed.
 */
export function guardRequests(server: Server, options: GuardOptions): void {
  const listeners = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('error', () => res.destroy()); // a client gone mid-request: nothing to answer
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const call = awsCallOf(req.headers, body.toString('utf8'));
      if (call && call.accessKeyId === LOCAL_FUNCTION_CREDENTIALS.accessKeyId) {
        const denied = call.resources.find(
          (resource) => !allows(options.policyFor(resource), call.action, resource),
        );
        options.onCall?.(call, denied === undefined);
        if (denied !== undefined) return deny(res, call, denied, options.role);
      }
      // The request as the service reads it (its headers, `data` then `end`), replayed from the bytes read:
      // a plain emitter, since a stream would cost a few ticks per call.
      const replay = Object.assign(new EventEmitter(), {
        headers: req.headers,
        method: req.method,
        url: req.url,
      }) as unknown as IncomingMessage;
      for (const listener of listeners) listener(replay, res);
      if (body.length > 0) replay.emit('data', body);
      replay.emit('end');
    });
  });
}

/** `arn:…:table/<name>` of any ARN under a table (the table, or one of its indexes). */
const tableArnOf = (resource: string): string | undefined =>
  /^(arn:[^:]*:[^:]*:[^:]*:[^:]*:table\/[^/]+)/.exec(resource)?.[1];

/**
 * dynalite as a function (the task function unless told) sees DynamoDB on AWS: its calls held to its role.
 * Any table counts as "the table" (the local server and each test file name their own), so what is checked
 * is the action against the table or the index, as the stack grants them.
 */
export function guardDynalite(
  server: Server,
  onCall?: GuardOptions['onCall'],
  role: FunctionName = 'tasks',
): void {
  guardRequests(server, {
    role,
    policyFor: (resource) => {
      const tableArn = tableArnOf(resource);
      return tableArn === undefined ? [] : statementsOf(role, { tableArn });
    },
    ...(onCall && { onCall }),
  });
}
