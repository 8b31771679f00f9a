/**
 * The AWS calls each function makes, and on what: the one list the CDK stack grants from
 * (infra/api-stack.ts, infra/auth.ts) and the local store enforces (src/local/local-iam.ts), so a call
 * that is not here fails `npm start` and the test suites the way AccessDenied fails it on AWS.
 * test/infra/iam-guard.test.ts holds the calls recorded while the store's contracts run against the
 * synthesized role policies, resource by resource.
 */
import { type DocumentOps, OPERATION_NAMES } from '../store/document-ops.js';
import { INDEXES, type IndexDefinition } from '../store/table-schema.js';

/**
 * What a grant is on: the table itself, each of its indexes, the token secret (token mode only), or the
 * key list cursors are signed with.
 */
export type ResourceKind = 'table' | 'index' | 'tokensSecret' | 'cursorKeySecret';

export interface Grant {
  /** IAM action names: `dynamodb:GetItem`. */
  readonly actions: readonly string[];
  readonly on: ResourceKind;
  /** With `on: 'index'`: these indexes only; absent, every index of the table. */
  readonly indexes?: readonly IndexDefinition[];
}

/**
 * Where each document operation goes. Every task listing queries an index (src/store/dynamo-list.ts), and
 * a list's members are queried on the table (its grant below); the rest address the table's own keys (a delete is an update to a tombstone; DynamoDB's TTL removes items itself).
 * Typed over every operation, so a new one does not compile until it says.
 */
const TARGET_OF = {
  put: 'table',
  get: 'table',
  update: 'table',
  batchGet: 'table',
  query: 'index',
} as const satisfies Record<keyof DocumentOps, ResourceKind>;

const dynamoActionsOn = (kind: ResourceKind): string[] =>
  (Object.keys(TARGET_OF) as (keyof DocumentOps)[])
    .filter((op) => TARGET_OF[op] === kind)
    .map((op) => `dynamodb:${OPERATION_NAMES[op]}`);

export const FUNCTION_GRANTS = Object.freeze({
  tasks: Object.freeze<Grant[]>([
    { actions: dynamoActionsOn('table'), on: 'table' },
    { actions: dynamoActionsOn('index'), on: 'index' },
    /**
     * src/store/dynamo-list-store.ts reads a list's memberships from its own partition (the members page,
     * and every membership when the list is deleted): the one Query on the table itself.
     */
    { actions: [`dynamodb:${OPERATION_NAMES.query}`], on: 'table' },
    /** src/lambda/tasks.ts reads the cursor key on the first listing that needs it. */
    { actions: ['secretsmanager:GetSecretValue'], on: 'cursorKeySecret' },
  ]),
  /** src/auth/secret-tokens.ts reads the token table; jwt mode has no secret and calls nothing. */
  authorizer: Object.freeze<Grant[]>([{ actions: ['secretsmanager:GetSecretValue'], on: 'tokensSecret' }]),
  /**
   * src/store/list-purge.ts: a deleted list's tasks, found on one index, each turned into a tombstone. It
   * neither reads, creates nor batch-reads items, nor queries another index. Reading the table's stream is
   * the event source mapping's own grant (infra/list-purge.ts), not a call the code makes.
   */
  purge: Object.freeze<Grant[]>([
    // A task already gone is a failed condition, skipped: no read needed to tell why.
    { actions: [`dynamodb:${OPERATION_NAMES.update}`], on: 'table' },
    { actions: [`dynamodb:${OPERATION_NAMES.query}`], on: 'index', indexes: [INDEXES.byPosition] },
  ]),
});

export type FunctionName = keyof typeof FUNCTION_GRANTS;

/** The ARNs a deployment (CDK tokens) or the local store (plain strings) knows; absent means none. */
export interface ResourceArns {
  readonly tableArn?: string;
  readonly tokensSecretArn?: string;
  readonly cursorKeySecretArn?: string;
}

/** The ARNs a grant on `kind` covers: each index by name, never `index/*`. */
export function arnsOf(
  kind: ResourceKind,
  arns: ResourceArns,
  indexes: readonly IndexDefinition[] = Object.values(INDEXES),
): string[] {
  switch (kind) {
    case 'table':
      return arns.tableArn === undefined ? [] : [arns.tableArn];
    case 'index':
      return arns.tableArn === undefined
        ? []
        : indexes.map((index) => `${arns.tableArn}/index/${index.indexName}`);
    case 'tokensSecret':
      return arns.tokensSecretArn === undefined ? [] : [arns.tokensSecretArn];
    case 'cursorKeySecret':
      return arns.cursorKeySecretArn === undefined ? [] : [arns.cursorKeySecretArn];
  }
}

export interface AllowStatement {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/** The Allow statements of a function's role, one per grant whose resource exists. */
export function statementsOf(fn: FunctionName, arns: ResourceArns): AllowStatement[] {
  return FUNCTION_GRANTS[fn]
    .map((grant) => ({ actions: grant.actions, resources: arnsOf(grant.on, arns, grant.indexes) }))
    .filter((statement) => statement.resources.length > 0);
}
