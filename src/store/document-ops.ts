/**
 * The few DynamoDB operations the adapters use, in the document (plain JavaScript values) shape. The task
 * stores are written once against this interface and a client plugs in underneath (a small signed HTTP
 * client in the service, `dynamo-http-ops.ts`), so the key design, conditions and paging logic exist
 * exactly once.
 *
 * Implementations translate their own failures: a failed condition is a `ConditionFailedError`, throttling
 * a `StoreThrottledError`, anything that is not a service reply a `StoreUnavailableError`. Each call gets
 * the request's `Deadline`: an implementation sends nothing once it has passed (no attempt, no retry) and
 * rejects with `DeadlineExceededError` when it passes first.
 */
import type { Deadline } from '../domain/deadline.js';
import { StoreThrottledError, StoreUnavailableError } from '../domain/errors.js';

export type Item = Record<string, unknown>;

interface Expressions {
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Readonly<Record<string, string>>;
  readonly ExpressionAttributeValues?: Readonly<Item>;
}

export interface PutInput extends Expressions {
  readonly TableName: string;
  readonly Item: Item;
}

export interface KeyInput extends Expressions {
  readonly TableName: string;
  readonly Key: Item;
}

export interface UpdateInput extends KeyInput {
  readonly UpdateExpression: string;
}

export interface QueryInput {
  readonly TableName: string;
  readonly IndexName?: string;
  readonly KeyConditionExpression: string;
  readonly FilterExpression?: string;
  readonly ExpressionAttributeNames?: Readonly<Record<string, string>>;
  readonly ExpressionAttributeValues?: Readonly<Item>;
  readonly Limit?: number;
  readonly ScanIndexForward?: boolean;
  readonly ExclusiveStartKey?: Item;
}

/** Up to 100 keys of one table, read (eventually consistent) in one round trip where DynamoDB allows. */
export interface BatchGetInput {
  readonly TableName: string;
  readonly Keys: readonly Item[];
}

export interface QueryOutput {
  readonly items: Item[];
  readonly lastEvaluatedKey?: Item;
}

export interface DocumentOps {
  put(input: PutInput, deadline: Deadline): Promise<void>;
  /** A strongly consistent read. */
  get(input: KeyInput, deadline: Deadline): Promise<Item | undefined>;
  /** Returns the item as it is after the update. */
  update(input: UpdateInput, deadline: Deadline): Promise<Item>;
  query(input: QueryInput, deadline: Deadline): Promise<QueryOutput>;
  /** The items that exist among the keys, in no particular order; unprocessed keys are retried. */
  batchGet(input: BatchGetInput, deadline: Deadline): Promise<Item[]>;
}

/** The DynamoDB API name of each operation. */
export const OPERATION_NAMES = {
  put: 'PutItem',
  get: 'GetItem',
  update: 'UpdateItem',
  query: 'Query',
  batchGet: 'BatchGetItem',
} as const satisfies Record<keyof DocumentOps, string>;

export type OperationName = (typeof OPERATION_NAMES)[keyof DocumentOps];

/** Runs one operation on behalf of a wrapper: `call` is the wrapped operation, with its input. */
export type Around = <T>(
  name: OperationName,
  input: { readonly TableName: string },
  call: () => Promise<T>,
) => Promise<T>;

/** Wraps every operation of `ops` in `around`: how tracing (and the tests' recorder) see each call. */
export function aroundDocumentOps(ops: DocumentOps, around: Around): DocumentOps {
  return {
    put: (input, deadline) => around(OPERATION_NAMES.put, input, () => ops.put(input, deadline)),
    get: (input, deadline) => around(OPERATION_NAMES.get, input, () => ops.get(input, deadline)),
    update: (input, deadline) => around(OPERATION_NAMES.update, input, () => ops.update(input, deadline)),
    query: (input, deadline) => around(OPERATION_NAMES.query, input, () => ops.query(input, deadline)),
    batchGet: (input, deadline) =>
      around(OPERATION_NAMES.batchGet, input, () => ops.batchGet(input, deadline)),
  };
}

/** A write's condition did not hold. Store-internal: adapters turn it into a domain error. */
export class ConditionFailedError extends Error {
  override readonly name = 'ConditionFailedError';
}

/** DynamoDB's throttling error names. */
const THROTTLING_ERRORS: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/**
 * One classification for every client underneath, from DynamoDB's error name and the HTTP status of the
 * reply (`undefined` when none came): a failed condition, throttling, or a store that could not answer.
 * Anything else (a request DynamoDB refused as invalid) is returned unchanged: a bug, not a fault.
 */
export function storeFailureOf(error: unknown, httpStatus: number | undefined): unknown {
  if (!(error instanceof Error)) return error;
  if (error.name === 'ConditionalCheckFailedException')
    return new ConditionFailedError(error.message, { cause: error });
  if (THROTTLING_ERRORS.has(error.name)) return new StoreThrottledError({ cause: error });
  if (httpStatus === undefined || httpStatus >= 500) return new StoreUnavailableError({ cause: error });
  return error;
}
