/**
 * AWS's own DynamoDB emulator, DynamoDB Local (a Java jar shipped in the `amplify-dynamodb-simulator`
 * package), started beside dynalite so the store runs against both. dynalite is a reimplementation;
 * where the two differ, DynamoDB Local is the closer witness of AWS.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export interface DynamoDbLocal {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** The emulator's folder inside the npm package: the jar, and its native SQLite libraries per platform. */
export function dynamoDbLocalHome(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

/** Whether `java` runs; when it does not, the caller says loudly what it skips (and fails in CI). */
export function javaAvailable(): boolean {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/** A port free on loopback right now. The jar takes a port number only, so a race is retried below. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done, fail) => server.once('error', fail).listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Ready once it answers an API call (it accepts any credentials; it does not check signatures). */
async function answers(endpoint: string): Promise<boolean> {
  try {
    const reply = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'DynamoDB_20120810.ListTables',
        Authorization:
          'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
      signal: AbortSignal.timeout(1000),
    });
    return reply.ok;
  } catch {
    return false;
  }
}

async function launch(port: number, timeoutMs: number): Promise<DynamoDbLocal> {
  const home = dynamoDbLocalHome();
  // `-disableTelemetry`: the jar would otherwise report usage to AWS. The JIT flags trade peak speed for a
  // start about twice as fast, which is what a test run of a few thousand requests wants.
  const args = [
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(home, 'DynamoDBLocal.jar'),
    '-inMemory',
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(port),
  ];
  const child: ChildProcess = spawn('java', args, { cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const close = async () => {
    if (!gone) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (!gone && Date.now() < deadline) {
    if (await answers(endpoint)) return { endpoint, close };
    await new Promise((wake) => setTimeout(wake, 100));
  }
  await close();
  throw new Error(`DynamoDB Local did not start on port ${port} within ${timeoutMs} ms:\n${output}`);
}

/** Starts an in-memory DynamoDB Local on a free port and waits until it answers. */
export async function startDynamoDbLocal({ timeoutMs = 60_000 } = {}): Promise<DynamoDbLocal> {
  let failure: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(await freePort(), timeoutMs);
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}
