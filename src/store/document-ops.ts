/**
 * The few DynamoDB operations the adapters use, in the document (plain JavaScript values) shape. The task
 * store is written once against this interface; a client library plugs in underneath (the AWS SDK v3
 * document client here, a lighter client where cold start matters), so the key design, conditions and
 * paging logic exist exactly once.
 *
 * Implementations translate their own failures: a failed condition is a `ConditionFailedError`, throttling
 * a `StoreThrottledError`, anything that is not a service reply a `StoreUnavailableError`.
 */
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

export interface QueryOutput {
  readonly items: Item[];
  readonly lastEvaluatedKey?: Item;
}

export interface DocumentOps {
  put(input: PutInput): Promise<void>;
  /** A strongly consistent read. */
  get(input: KeyInput): Promise<Item | undefined>;
  /** Returns the item as it is after the update. */
  update(input: UpdateInput): Promise<Item>;
  /** Returns the item as it was before the delete, if it existed. */
  delete(input: KeyInput): Promise<Item | undefined>;
  query(input: QueryInput): Promise<QueryOutput>;
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
