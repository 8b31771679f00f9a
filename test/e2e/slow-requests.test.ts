import { connect, type Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http.js';
import { accessLogEntry } from '../support/local-server.js';
import { useLocalServer } from '../support/use-local-server.js';

/**
 * Slow and truncated requests on `npm start`, over raw sockets (fetch cannot stall mid-request). With
 * REQUEST_TIMEOUT_SECONDS=1 each phase (headers, then body) has a second; Node's defaults would keep the
 * connection for 300 s and answer a bare 400 while the log recorded a 502.
 */
const server = useLocalServer({ env: { REQUEST_TIMEOUT_SECONDS: '1' } });
let host: string;
let port: number;

beforeAll(() => {
  const url = new URL(server.baseUrl);
  host = url.hostname;
  port = Number(url.port);
});

interface RawExchange {
  /** Everything the server sent until it closed the connection. */
  readonly received: string;
  readonly closed: boolean;
}

/** Opens a connection, lets `act` write to it, and collects what comes back until close or `waitMs`. */
function exchange(act: (socket: Socket) => void, waitMs = 8000): Promise<RawExchange> {
  return new Promise((done, fail) => {
    const socket = connect(port, host);
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      done({ received, closed: false });
    }, waitMs);
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', fail);
    socket.on('close', () => {
      clearTimeout(timer);
      done({ received, closed: true });
    });
    socket.on('connect', () => act(socket));
  });
}

function parse(raw: string) {
  const at = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, at);
  const rest = raw.slice(at + 4);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = new Map(
    lines.map((line) => {
      const at = line.indexOf(':');
      return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()] as const;
    }),
  );
  // The gateway streams its answers chunked; the server's own are sent with a length.
  const body = headers.get('transfer-encoding') === 'chunked' ? dechunk(rest) : rest;
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body,
    statusLines: raw.match(/HTTP\/1\.1 \d{3}/g),
  };
}

function dechunk(raw: string): string {
  let body = '';
  for (let at = 0; ; ) {
    const lineEnd = raw.indexOf('\r\n', at);
    const size = Number.parseInt(raw.slice(at, lineEnd), 16);
    if (!(size > 0)) return body;
    body += raw.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

const postHead = (token: string, length: number) =>
  `POST /dev/tasks HTTP/1.1\r\nHost: ${host}:${port}\r\nAuthorization: ${token}\r\n` +
  `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

async function storedTitles(): Promise<string[]> {
  const list = await call(`${server.baseUrl}/tasks`, 'GET', { token: server.token });
  return (list.json as { title: string }[]).map((task) => task.title);
}

describe('a request that stalls', () => {
  it('answers headers that stop half-way with a JSON 408, closes, and logs the 408', async () => {
    const reply = await exchange((socket) => socket.write(`GET /dev/tasks HTTP/1.1\r\nHost: ${host}\r\n`));
    const answer = parse(reply.received);
    expect(reply.closed).toBe(true);
    expect(answer.status).toBe(408);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(answer.body).message).toMatch(/^Request timeout/);
    const logged = await accessLogEntry(server, answer.headers.get('x-amzn-requestid') ?? null);
    expect(logged).toMatchObject({ status: 408 });
  });

  it('answers a body that declares 40 bytes and sends 4 with a 408, logs the 408, and stores nothing', async () => {
    const reply = await exchange((socket) => socket.write(`${postHead(server.token, 40)}{"ti`));
    const answer = parse(reply.received);
    expect(reply.closed).toBe(true);
    expect(answer.status).toBe(408);
    expect(answer.headers.get('connection')).toBe('close');
    expect(JSON.parse(answer.body).message).toMatch(/^Request timeout/);
    const logged = await accessLogEntry(server, answer.headers.get('x-amzn-requestid') ?? null);
    expect(logged).toMatchObject({ status: 408, method: 'POST', path: '/dev/tasks' });
    expect(await storedTitles()).not.toContain('slow');
  });

  it('times the whole body, not the gap between bytes: a trickle that never pauses long still gets a 408', async () => {
    const body = JSON.stringify({ title: 'slow', description: 'x'.repeat(20) });
    const reply = await exchange((socket) => {
      socket.write(postHead(server.token, Buffer.byteLength(body)));
      let sent = 0;
      const drip = setInterval(() => {
        if (socket.destroyed || sent >= body.length) clearInterval(drip);
        else socket.write(body[sent++] ?? '');
      }, 100);
    });
    expect(parse(reply.received).status).toBe(408);
    expect(await storedTitles()).not.toContain('slow');
  });

  it('answers a body cut short by a half-close with a 400 at once, and logs the 400', async () => {
    const reply = await exchange((socket) => socket.end(`${postHead(server.token, 40)}{"ti`), 900);
    const answer = parse(reply.received);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).message).toMatch(/Content-Length/);
    const logged = await accessLogEntry(server, answer.headers.get('x-amzn-requestid') ?? null);
    expect(logged).toMatchObject({ status: 400, method: 'POST' });
  });

  it('answers once when it refused the request before its body arrived, then drops the connection', async () => {
    const reply = await exchange((socket) => socket.write(`${postHead('wrong-token', 40)}{"ti`));
    const answer = parse(reply.received);
    expect(answer.status).toBe(401);
    expect(answer.statusLines).toHaveLength(1);
    expect(reply.closed).toBe(true);
  });
});

describe('a request that does not stall', () => {
  it('keeps an idle keep-alive connection open past the timeout, for the next request', async () => {
    const get = `GET /dev/tasks HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${server.token}\r\n\r\n`;
    const reply = await exchange((socket) => {
      socket.write(get);
      setTimeout(() => socket.write(get), 2500);
    }, 4000);
    expect(parse(reply.received).statusLines).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
  });

  it('accepts a body sent in pieces within the timeout', async () => {
    const body = JSON.stringify({ title: 'in pieces' });
    const reply = await exchange((socket) => {
      socket.write(`${postHead(server.token, Buffer.byteLength(body))}${body.slice(0, 5)}`);
      setTimeout(() => socket.write(body.slice(5)), 300);
    }, 1500);
    expect(parse(reply.received).status).toBe(201);
    expect(await storedTitles()).toContain('in pieces');
  });
});
