import { assertConforms } from './openapi-conformance.js';

/** Small fetch helpers shared by the e2e suites. Every response is checked against the OpenAPI document. */
export interface CallOptions {
  readonly token?: string | undefined;
  readonly body?: unknown;
  /** Sent as-is, without JSON encoding. */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

export interface Reply {
  readonly status: number;
  /** The status line's reason phrase. */
  readonly statusText: string;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body of any shape, asserted by each test
  readonly json: any;
}

/** A request to the real service: the response must conform to the OpenAPI document. */
export async function call(url: string, method: string, options: CallOptions = {}): Promise<Reply> {
  const reply = await rawCall(url, method, options);
  assertConforms(method, url, reply);
  return reply;
}

/** A request whose response is not checked: for gateway tests behind a stand-in handler. */
export async function rawCall(url: string, method: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.Authorization = options.token;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, statusText: response.statusText, headers: response.headers, text, json };
}

/** The `rel="next"` target of an RFC 8288 Link header, if any. */
export function nextLink(headers: Headers): string | undefined {
  return /<([^>]+)>;\s*rel="next"/.exec(headers.get('link') ?? '')?.[1];
}
