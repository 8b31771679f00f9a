import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { corsHeaders } from '../api/cors.js';

/**
 * Node answers requests it cannot parse (headers over `maxHeaderSize`, 16 KiB by default, or malformed
 * HTTP) with a bare status line. This `clientError` handler answers them as the rest of the API does:
 * JSON with a `message`, CORS headers, and the connection closed.
 */
export function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Duplex,
  corsOrigins: readonly string[],
): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify({
    message: tooLarge ? 'Request header fields too large (at most 16 KiB in all)' : 'Malformed HTTP request',
  });
  const headers = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
    ...corsHeaders(corsOrigins, undefined),
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n${body}`);
}
