import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { corsHeaders } from '../api/cors.js';
import { reasonPhrase } from '../api/error-catalogue.js';
import { API_RESPONSE_HEADERS } from '../api/response-headers.js';
import type { AccessLogEntry } from './gateway.js';

/** The local server's own answers, for requests it cannot hand to the gateway as they are. */
export const LOCAL_ANSWERS = Object.freeze({
  headerOverflow: { status: 431, message: 'Request header fields too large (at most 16 KiB in all)' },
  malformed: { status: 400, message: 'Malformed HTTP request' },
  truncated: { status: 400, message: 'Request body ended before the length its Content-Length declared' },
  timeout: (seconds: number) => ({
    status: 408,
    message: `Request timeout: the headers, then the body, must each arrive within ${seconds} s`,
  }),
});

/**
 * Node's timers for slow requests. `headersTimeout` answers slow headers (408 through `clientError`); the
 * gateway times the body itself (its `bodyTimeoutMs`) so that it can answer and log the 408. Node's own
 * `requestTimeout` is only a backstop for a body still trickling in after the gateway answered early.
 */
export function requestTimeoutOptions(timeoutMs: number): ServerOptions {
  return {
    headersTimeout: timeoutMs,
    requestTimeout: 2 * timeoutMs + 1000,
    // Node checks its timers on this period (30 s by default), which would make the bound that much looser.
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(timeoutMs / 4))),
  };
}

export interface ClientErrorOptions {
  readonly corsOrigins: readonly string[];
  readonly timeoutMs: number;
  readonly accessLog?: ((entry: AccessLogEntry) => void) | undefined;
}

/**
 * Node answers requests it cannot parse (headers over `maxHeaderSize`, 16 KiB by default, malformed HTTP,
 * headers slower than `headersTimeout`) with a bare status line. These hooks answer them as the rest of the
 * API does (JSON with a `message`, CORS headers, a request id, the connection closed) and log what the
 * client got. A request the gateway already holds is left to the gateway, which answers it once.
 */
export function makeClientErrorHandler(options: ClientErrorOptions) {
  /** The response in progress, or last sent, on each connection. */
  const current = new WeakMap<Duplex, ServerResponse>();
  /** When the request now arriving on each connection started, as near as can be told. */
  const since = new WeakMap<Duplex, number>();

  function onConnection(socket: Duplex): void {
    since.set(socket, performance.now());
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    current.set(req.socket, res);
    res.once('finish', () => since.set(req.socket, performance.now()));
  }

  function onClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
    const inFlight = current.get(socket);
    if (inFlight && !inFlight.req.complete) {
      // The gateway holds this request: its body reader answers a stall or a truncation. Once it has
      // answered, whatever the client still sends is dropped with the connection.
      if (inFlight.headersSent) socket.destroy();
      return;
    }
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const answer =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? LOCAL_ANSWERS.headerOverflow
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? LOCAL_ANSWERS.timeout(options.timeoutMs / 1000)
          : LOCAL_ANSWERS.malformed;
    const requestId = randomUUID();
    const body = JSON.stringify({ message: answer.message });
    const headers = {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      Connection: 'close',
      'x-amzn-RequestId': requestId,
      ...API_RESPONSE_HEADERS,
      ...corsHeaders(options.corsOrigins, undefined),
    };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.end(`HTTP/1.1 ${answer.status} ${reasonPhrase(answer.status)}\r\n${head.join('')}\r\n${body}`);
    const started = since.get(socket) ?? performance.now();
    const requestLine = /^([A-Z]+) (\S+) HTTP\//.exec(
      (error as { rawPacket?: Buffer }).rawPacket?.toString('latin1') ?? '',
    );
    options.accessLog?.({
      requestId,
      method: requestLine?.[1] ?? '',
      path: requestLine?.[2] ?? '',
      status: answer.status,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
    });
  }

  return { onConnection, onRequest, onClientError };
}
