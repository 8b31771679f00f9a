/**
 * The task handler without the Tracer, under the names it imports from tracing.ts: the cold-start
 * benchmark bundles it to show what the X-Ray SDK costs at import. Never deployed.
 */
import type { DocumentOps } from '../../src/store/document-ops.js';

export const makeTracer = () => undefined;
export const annotateTrace = (_tracer: undefined, _route: string, _principalId: string) => undefined;
export const tracedDocumentOps = (ops: DocumentOps, _tracer: undefined) => ops;
