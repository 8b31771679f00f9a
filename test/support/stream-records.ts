/**
 * DynamoDB stream records as the table's stream (view type NEW_IMAGE) delivers them to Lambda, for the
 * purge function's unit tests and the test of its event source mapping's filter: one that says a list
 * was deleted, and the writes around it that must purge nothing.
 */
import type { DynamoDBRecord } from 'aws-lambda';

let sequence = 100;

type Image = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;

/** A record of `eventName` on the item with these keys and (unless REMOVE) this new image. */
export function streamRecord(
  eventName: NonNullable<DynamoDBRecord['eventName']>,
  keys: { pk: string; sk: string },
  image: Image = {},
): DynamoDBRecord {
  const Keys = { pk: { S: keys.pk }, sk: { S: keys.sk } };
  sequence += 1;
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: 1_765_000_000,
      Keys,
      ...(eventName !== 'REMOVE' && { NewImage: { ...Keys, ...image } }),
      SequenceNumber: `${sequence}000000000000000000000`,
      SizeBytes: 120,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/tasks/stream/2026-12-07T00:00:00.000',
  };
}

const DELETED_META: Image = {
  title: { S: 'Groceries' },
  deleted: { BOOL: true },
  updatedAt: { S: '2026-12-07T15:00:00.000Z' },
  expiresAt: { N: '1767600000' },
};

/** The delete of list `listId`: an UpdateItem that marks its meta item. */
export const listDeleted = (listId: string): DynamoDBRecord =>
  streamRecord('MODIFY', { pk: `L#${listId}`, sk: '#list' }, DELETED_META);

/** Records that must not start a purge, each with why. */
export const NOT_A_DELETED_LIST: readonly (readonly [string, DynamoDBRecord])[] = [
  ['a list created', streamRecord('INSERT', { pk: 'L#l1', sk: '#list' }, { title: { S: 'Groceries' } })],
  [
    'a list renamed',
    streamRecord('MODIFY', { pk: 'L#l1', sk: '#list' }, { title: { S: 'Food' }, deleted: { BOOL: false } }),
  ],
  ['a deleted list removed by TTL', streamRecord('REMOVE', { pk: 'L#l1', sk: '#list' })],
  [
    'a task deleted (its tombstone)',
    streamRecord(
      'MODIFY',
      { pk: 'L#l1', sk: '0193a0c0-0000-7000-8000-000000000001' },
      { deleted: { BOOL: true } },
    ),
  ],
  [
    'a deleted mark that is a string, not a BOOL',
    streamRecord('MODIFY', { pk: 'L#l1', sk: '#list' }, { deleted: { S: 'true' } }),
  ],
  [
    'a deleted item outside the lists’ partitions, with the same sort key',
    streamRecord('MODIFY', { pk: 'T#alice', sk: '#list' }, { deleted: { BOOL: true } }),
  ],
];
