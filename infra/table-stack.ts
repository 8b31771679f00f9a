import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '../src/store/table-schema.js';

export interface TableStackProps extends StackProps {
  /** prod keeps its data: RETAIN and deletion protection; dev goes away with `cdk destroy`. */
  readonly retainData: boolean;
}

const stringKey = (name: string) => ({ name, type: AttributeType.STRING });

/**
 * The stateful half, apart so the API stack can be destroyed and redeployed freely. Keys and indexes come
 * from the adapter's own schema, so the table is exactly what the adapter queries.
 */
export class TableStack extends Stack {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: TableStackProps) {
    super(scope, id, props);
    this.table = new TableV2(this, 'Tasks', {
      partitionKey: stringKey(TABLE_KEYS.partitionKey),
      sortKey: stringKey(TABLE_KEYS.sortKey),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // The purge of deleted lists reads it (infra/list-purge.ts). Its filter and code read only the item as
      // written, so the new image is enough: KEYS_ONLY lacks `deleted`, and the old image would double each
      // record for nothing.
      dynamoStream: StreamViewType.NEW_IMAGE,
      globalSecondaryIndexes: Object.values(INDEXES).map((index) => ({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        projectionType: ProjectionType[index.projection],
      })),
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      deletionProtection: props.retainData,
    });
  }
}
