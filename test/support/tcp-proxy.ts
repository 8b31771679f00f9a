import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a store, for fault tests: `stall()` accepts connections and forwards
 * nothing (a hung database), `throttle()` answers every request with DynamoDB's ThrottlingException,
 * `stop()` refuses connections (a database that is down), `resume()` heals.
 */
export interface TcpProxy {
  readonly endpoint: string;
  stall(): void;
  throttle(): void;
  stop(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

const THROTTLED_BODY = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
  message: 'Rate of requests exceeds the allowed throughput.',
});
const THROTTLED = [
  'HTTP/1.1 400 Bad Request',
  'Content-Type: application/x-amz-json-1.0',
  `Content-Length: ${Buffer.byteLength(THROTTLED_BODY)}`,
  'Connection: close',
  '',
  THROTTLED_BODY,
].join('\r\n');

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'open' | 'stalled' | 'throttling' = 'open';
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const onConnection = (client: Socket) => {
    track(client);
    if (mode === 'stalled') return; // held open, never answered
    if (mode === 'throttling') {
      client.once('data', () => client.end(THROTTLED));
      return;
    }
    const upstream = connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };
  let server: Server = createServer(onConnection);
  const listen = (port: number) =>
    new Promise<number>((done, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        done(typeof address === 'object' && address ? address.port : port);
      });
    });
  const port = await listen(0);
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  const stop = () =>
    new Promise<void>((done) => {
      dropAll();
      server.close(() => done());
    });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stall() {
      mode = 'stalled';
      dropAll(); // pooled keep-alive connections would otherwise still reach the store
    },
    throttle() {
      mode = 'throttling';
      dropAll();
    },
    stop,
    async resume() {
      mode = 'open';
      dropAll();
      if (!server.listening) {
        server = createServer(onConnection);
        await listen(port);
      }
    },
    close: stop,
  };
}
