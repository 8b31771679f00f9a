import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type BodyRead, readBody } from './body-reader.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done));
});

/** Sends `raw` on a socket (ending it when `end`) and resolves with what `readBody` made of the request. */
async function readWith(raw: string, limit: number, timeoutMs: number, end = false): Promise<BodyRead> {
  let seen: (read: BodyRead) => void = () => {};
  const outcome = new Promise<BodyRead>((done) => {
    seen = done;
  });
  server = createServer((req: IncomingMessage, res) => {
    void readBody(req, limit, Date.now() + timeoutMs).then((read) => {
      seen(read);
      res.end();
    });
  });
  server.on('clientError', () => {}); // a truncated request is the reader's to report
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  socket.on('error', () => {});
  if (end) socket.end(raw);
  else socket.write(raw);
  return outcome;
}

const head = (length: number) => `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\n\r\n`;

describe('readBody', () => {
  it('returns the whole body once it has arrived', async () => {
    const read = await readWith(`${head(5)}hello`, 100, 1000);
    expect(read).toEqual({ kind: 'complete', body: Buffer.from('hello') });
  });

  it('stops at the size limit', async () => {
    expect(await readWith(`${head(20)}${'x'.repeat(20)}`, 10, 1000)).toEqual({ kind: 'too-large' });
  });

  it('gives up at the deadline while the body is incomplete', async () => {
    expect(await readWith(`${head(40)}{"ti`, 100, 100)).toEqual({ kind: 'timeout' });
  });

  it('reports a body cut short by the client closing its side', async () => {
    expect(await readWith(`${head(40)}{"ti`, 100, 5000, true)).toEqual({ kind: 'truncated' });
  });

  it('returns an empty body for a request that declares none', async () => {
    const read = await readWith('GET / HTTP/1.1\r\nHost: x\r\n\r\n', 100, 1000);
    expect(read).toEqual({ kind: 'complete', body: Buffer.alloc(0) });
  });

  it('reads a chunked body, which declares no length', async () => {
    const chunked = 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n';
    expect(await readWith(chunked, 100, 1000)).toEqual({ kind: 'complete', body: Buffer.from('hello') });
  });

  it('reads a complete body even when the deadline has already passed', async () => {
    const read = await readWith(`${head(2)}{}`, 100, -1);
    expect(read).toEqual({ kind: 'complete', body: Buffer.from('{}') });
  });
});
