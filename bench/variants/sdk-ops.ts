/**
 * The AWS SDK v3 alternative, under the names the task entry imports from aws-lite-ops.ts: the cold-start
 * benchmark bundles the same handler with this file substituted, to weigh the two clients in full.
 */
import type { DocumentOps } from '../../src/store/document-ops.js';
import { type ClientOptions, makeDocumentClient, sdkDocumentOps } from '../../src/store/dynamo-client.js';

export const makeAwsLiteDynamo = (options: ClientOptions) => makeDocumentClient(options);

export const awsLiteDocumentOps = (client: ReturnType<typeof makeDocumentClient>): DocumentOps =>
  sdkDocumentOps(client);
