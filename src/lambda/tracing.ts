/**
 * Tracing for the task function: a Powertools Tracer with route and principal annotations, and one X-Ray
 * subsegment per DynamoDB call. aws-lite is not an AWS SDK client that `captureAWSv3Client` could patch,
 * so each store operation is wrapped here instead.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { aroundDocumentOps, type DocumentOps } from '../store/document-ops.js';
import { SERVICE_NAME } from './telemetry.js';

export function makeTracer(): Tracer {
  return new Tracer({ serviceName: SERVICE_NAME, captureHTTPsRequests: false });
}

/** Annotations are indexed by X-Ray, so traces can be searched by route or caller. */
export function annotateTrace(tracer: Tracer, route: string, principalId: string): void {
  if (!tracer.isTracingEnabled()) return;
  tracer.putAnnotation('route', route);
  tracer.putAnnotation('principalId', principalId);
}

/**
 * Wraps every DynamoDB call in an X-Ray subsegment (`DynamoDB.GetItem`, …), as the SDK's captured client
 * would, so a trace shows each call and its failure. Outside an active trace it returns `ops` unchanged.
 */
export function tracedDocumentOps(ops: DocumentOps, tracer: Tracer): DocumentOps {
  if (!tracer.isTracingEnabled()) return ops;
  return aroundDocumentOps(ops, async (operation, input, call) => {
    const parent = tracer.getSegment();
    if (!parent) return call();
    const subsegment = parent.addNewSubsegment(`DynamoDB.${operation}`);
    subsegment.addAnnotation('table', input.TableName);
    tracer.setSegment(subsegment);
    try {
      return await call();
    } catch (error) {
      subsegment.addError(error as Error);
      throw error;
    } finally {
      subsegment.close();
      tracer.setSegment(parent);
    }
  });
}
