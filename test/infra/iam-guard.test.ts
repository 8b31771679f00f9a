// Long on purpose (~330 lines): every function's calls are recorded into one map and checked against one
// synthesized template, since the checks compare the functions with each other (what one may, another may not).

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSecretsManagerFetch, makeSecretTokenLoader } from '../../src/auth/secret-tokens.js';
import { deadlineIn } from '../../src/domain/deadline.js';
import { FUNCTION_GRANTS, type FunctionName, statementsOf } from '../../src/lambda/permissions.js';
import { ensureTable } from '../../src/local/dynamo-local.js';
import {
  type AwsCall,
  guardDynalite,
  guardRequests,
  LOCAL_ACCOUNT,
  LOCAL_DEPLOYER_CREDENTIALS,
} from '../../src/local/local-iam.js';
import { makeCursorCodec } from '../../src/store/cursor.js';
import { dynamoHttpDocumentOps, makeDynamoHttpClient } from '../../src/store/dynamo-http-ops.js';
import { DynamoIdempotencyStore } from '../../src/store/dynamo-idempotency-store.js';
import { DynamoListStore } from '../../src/store/dynamo-list-store.js';
import { DynamoTaskStore } from '../../src/store/dynamo-task-store.js';
import { purgeList } from '../../src/store/list-purge.js';
import { describeChangeFeedContract } from '../contract/change-feed-contract.js';
import { describeIdempotencyStoreContract } from '../contract/idempotency-store-contract.js';
import { describeListStoreContract } from '../contract/list-store-contract.js';
import { describeOutlineContract } from '../contract/outline-contract.js';
import { describeTaskStoreContract } from '../contract/task-store-contract.js';
import { type Call, deniedCalls, rendered, roleStatementsOf } from './role-policies.js';
import { only, type Resource, resourcesOf, type Synthesized, synthesize } from './synth.js';

/**
 * The guard issue 20 asked for: every AWS call the code makes, recorded while the store's contracts run on
 * dynalite and the authorizer reads its secret from a stand-in, must be allowed by the synthesized role
 * policy of the function that makes it, resource by resource. Locally the same role is enforced
 * (src/local/local-iam.ts), so a new call without a grant fails the suites that make it; here it also
 * fails against what CloudFormation will deploy.
 */
const TABLE = `tasks-iam-${randomUUID().slice(0, 8)}`;
const REGION = 'us-east-1';
const LOCAL_TABLE_ARN = `arn:aws:dynamodb:${REGION}:${LOCAL_ACCOUNT}:table/${TABLE}`;
const LOCAL_SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${LOCAL_ACCOUNT}:secret:AuthTokens-abc123`;
const LOCAL_CURSOR_KEY_ARN = `arn:aws:secretsmanager:${REGION}:${LOCAL_ACCOUNT}:secret:CursorsSecret-abc123`;
const LOCAL_ARNS = {
  tableArn: LOCAL_TABLE_ARN,
  tokensSecretArn: LOCAL_SECRET_ARN,
  cursorKeySecretArn: LOCAL_CURSOR_KEY_ARN,
};
const CURSORS = makeCursorCodec(randomBytes(32));
const deadline = deadlineIn(30 * 60_000);

const recorded = new Map<string, { fn: FunctionName; call: AwsCall; allowed: boolean }>();
const recorder =
  (fn: FunctionName) =>
  (call: AwsCall, allowed: boolean): void => {
    for (const resource of call.resources)
      recorded.set(`${fn} ${call.action} ${resource}`, {
        fn,
        call: { ...call, resources: [resource] },
        allowed,
      });
  };

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

let dynamo: Server;
let endpoint: string;
/** A second store, the same table, held to the purge function's role. */
let purgeDynamo: Server;
let purgeEndpoint: string;
let s: Synthesized;
beforeAll(async () => {
  dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  guardDynalite(dynamo, recorder('tasks'));
  endpoint = await listen(dynamo);
  await ensureTable(endpoint, TABLE);
  purgeDynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  guardDynalite(purgeDynamo, recorder('purge'), 'purge');
  purgeEndpoint = await listen(purgeDynamo);
  await ensureTable(purgeEndpoint, TABLE);
  s = synthesize({}, false);
}, 120_000);
afterAll(async () => {
  await new Promise((done) => dynamo?.close(done));
  await new Promise((done) => purgeDynamo?.close(done));
});

const ops = () => dynamoHttpDocumentOps(makeDynamoHttpClient({ region: REGION, endpoint }));
describeTaskStoreContract(
  'the task store, recorded',
  () => new DynamoTaskStore(ops(), TABLE, deadline, CURSORS),
);
describeChangeFeedContract(
  'the change feed, recorded',
  () => new DynamoTaskStore(ops(), TABLE, deadline, CURSORS),
);
describeOutlineContract('the outline, recorded', () => new DynamoTaskStore(ops(), TABLE, deadline, CURSORS));
describeListStoreContract(
  'the list store, recorded',
  () => new DynamoListStore(ops(), TABLE, deadline, CURSORS),
);
describeIdempotencyStoreContract(
  'the idempotency store, recorded',
  () => new DynamoIdempotencyStore(ops(), TABLE, deadline),
);

/** A Secrets Manager stand-in that answers `secretString`, its calls held to `fn`'s role and recorded. */
async function withSecrets(fn: FunctionName, secretString: string, use: (endpoint: string) => Promise<void>) {
  const secrets = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ SecretString: secretString }));
  });
  guardRequests(secrets, { role: fn, policyFor: () => statementsOf(fn, LOCAL_ARNS), onCall: recorder(fn) });
  const endpoint = await listen(secrets);
  try {
    await use(endpoint);
  } finally {
    await new Promise((done) => secrets.close(done));
  }
}

describe('the purge function, recorded', () => {
  it('purges a deleted list’s tasks', async () => {
    const listId = randomUUID();
    const seed = new DynamoDBClient({
      endpoint: purgeEndpoint,
      region: REGION,
      credentials: { ...LOCAL_DEPLOYER_CREDENTIALS },
    });
    const put = (sk: string, more: Record<string, { S: string } | { BOOL: boolean }>) =>
      seed.send(
        new PutItemCommand({ TableName: TABLE, Item: { pk: { S: `L#${listId}` }, sk: { S: sk }, ...more } }),
      );
    await put('#list', { title: { S: 'Groceries' }, deleted: { BOOL: true } });
    for (const position of ['a0', 'a1', 'a2']) await put(randomUUID(), { positionKey: { S: position } });
    seed.destroy();
    const db = dynamoHttpDocumentOps(makeDynamoHttpClient({ region: REGION, endpoint: purgeEndpoint }));
    expect(await purgeList({ db, tableName: TABLE, deadline }, listId)).toEqual({ purged: 3 });
  });
});

describe('the authorizer, recorded', () => {
  it('reads the token table from its secret', async () => {
    await withSecrets('authorizer', '{"default":"a-token"}', async (secretsEndpoint) => {
      const fetchSecret = makeSecretsManagerFetch({ endpoint: secretsEndpoint, region: REGION });
      const load = makeSecretTokenLoader({ secretId: LOCAL_SECRET_ARN, ttlSeconds: 60, fetchSecret });
      expect((await load()).get('default')).toBe('a-token');
    });
  });
});

describe('the task function’s cursor key, recorded', () => {
  it('is read from its secret on the first cursor', async () => {
    await withSecrets('tasks', 'k'.repeat(64), async (secretsEndpoint) => {
      const fetchSecret = makeSecretsManagerFetch({ endpoint: secretsEndpoint, region: REGION });
      const codec = makeCursorCodec(async () => Buffer.from(await fetchSecret(LOCAL_CURSOR_KEY_ARN)));
      const cursor = await codec.encode('owner', { sk: 'a' });
      expect(await codec.decode('owner', cursor, ['sk'])).toEqual({ sk: 'a' });
    });
  });
});

/** The deployed ARN a local one stands for: the table's export, the secret's Ref. */
function deployedArnOf(localArn: string): string {
  const [, exported] = only(
    Object.entries(s.table.toJSON().Outputs as Record<string, { Value: unknown; Export: { Name: string } }>)
      .filter(([, output]) => JSON.stringify(output.Value).endsWith('"Arn"]}'))
      .map(([, output]) => [output, output.Export.Name] as const),
  );
  const secretIds = resourcesOf(s.api, 'AWS::SecretsManager::Secret').map(([id]) => id);
  const secretRef = (prefix: string) =>
    rendered({ Ref: only(secretIds.filter((id) => id.startsWith(prefix))) });
  return localArn
    .replace(LOCAL_TABLE_ARN, `\${import:${exported}}`)
    .replace(LOCAL_SECRET_ARN, secretRef('AuthTokens'))
    .replace(LOCAL_CURSOR_KEY_ARN, secretRef('Cursors'));
}

const PREFIX: Record<FunctionName, string> = {
  tasks: 'TasksFunction',
  authorizer: 'AuthorizerFunction',
  purge: 'PurgeFunction',
};

/** Every recorded call of `fn` as the deployed function makes it. */
const deployedCallsOf = (fn: FunctionName): Call[] =>
  [...recorded.values()]
    .filter((entry) => entry.fn === fn)
    .map(({ call }) => ({ action: call.action, resource: deployedArnOf(call.resources[0] ?? '') }));

describe('the recorded calls against the synthesized roles', () => {
  it('were all allowed by the local role', () => {
    expect([...recorded.values()].filter((entry) => !entry.allowed).map(({ call }) => call)).toEqual([]);
  });

  it('are exactly the declared grants: every one is used, on every index', () => {
    const declared = (Object.keys(FUNCTION_GRANTS) as FunctionName[]).flatMap((fn) =>
      statementsOf(fn, LOCAL_ARNS).flatMap((st) =>
        st.actions.flatMap((action) => st.resources.map((resource) => `${fn} ${action} ${resource}`)),
      ),
    );
    expect([...recorded.keys()].sort()).toEqual(declared.sort());
  });

  it.each(Object.keys(PREFIX) as FunctionName[])(
    'are each allowed by the %s function’s synthesized policy, resource by resource',
    (fn) => {
      const calls = deployedCallsOf(fn);
      expect(calls.length).toBeGreaterThan(0);
      expect(deniedCalls(roleStatementsOf(s.api.toJSON(), PREFIX[fn]), calls)).toEqual([]);
    },
  );

  it('are not allowed to the other function', () => {
    const tasksCalls = deployedCallsOf('tasks');
    expect(deniedCalls(roleStatementsOf(s.api.toJSON(), PREFIX.authorizer), tasksCalls)).toEqual(tasksCalls);
  });

  it('leave the purge function no read, create, batch read, secret, or index but byPosition', () => {
    const denied = deniedCalls(roleStatementsOf(s.api.toJSON(), PREFIX.purge), deployedCallsOf('tasks'));
    const actions = new Set(denied.map((call) => call.action));
    expect(actions).toEqual(
      new Set([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'secretsmanager:GetSecretValue',
      ]),
    );
    for (const call of denied.filter((c) => c.action === 'dynamodb:Query'))
      expect(call.resource).not.toMatch(/\/index\/byPosition$/);
  });
});

describe('the check itself', () => {
  interface EditableStatement {
    Effect?: string;
    Action: unknown;
    Resource: unknown;
  }
  /** A copy of the API template, and the statements of `fn`'s policies in it, to edit. */
  const copyWithPolicyOf = (fn: FunctionName) => {
    const template = structuredClone(s.api.toJSON());
    const policy = only(
      Object.values(template.Resources as Record<string, Resource>).filter(
        (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(PREFIX[fn]),
      ),
    );
    return { template, statements: policy.Properties.PolicyDocument.Statement as EditableStatement[] };
  };
  const deniedAfter = (fn: FunctionName, edit: (statements: EditableStatement[]) => void) => {
    const { template, statements } = copyWithPolicyOf(fn);
    edit(statements);
    return deniedCalls(roleStatementsOf(template, PREFIX[fn]), deployedCallsOf(fn));
  };

  it('fails when the task function’s policy lacks BatchGetItem, naming that call', () => {
    const denied = deniedAfter('tasks', (statements) => {
      for (const st of statements)
        st.Action = [st.Action].flat().filter((a) => a !== 'dynamodb:BatchGetItem');
    });
    expect(denied.map((call) => call.action)).toEqual(['dynamodb:BatchGetItem']);
    expect(denied[0]?.resource).toMatch(/^\$\{import:TaskService-dev-Table:.*\}$/);
  });

  it('fails when Query is granted on the table but not on its indexes', () => {
    const denied = deniedAfter('tasks', (statements) => {
      for (const st of statements)
        if (JSON.stringify(st.Resource).includes('/index/')) st.Resource = 'arn:aws:dynamodb:::table/other';
    });
    expect(denied.length).toBeGreaterThan(1);
    for (const call of denied) {
      expect(call.action).toBe('dynamodb:Query');
      expect(call.resource).toMatch(/\/index\/\w+$/);
    }
  });

  it('fails when the authorizer may read another secret only', () => {
    const denied = deniedAfter('authorizer', (statements) => {
      for (const st of statements)
        if (JSON.stringify(st.Action).includes('secretsmanager'))
          st.Resource = 'arn:aws:secretsmanager:*:*:secret:Other*';
    });
    expect(denied.map((call) => call.action)).toEqual(['secretsmanager:GetSecretValue']);
  });

  it('honours an explicit Deny', () => {
    const denied = deniedAfter('tasks', (statements) => {
      statements.push({ Effect: 'Deny', Action: 'dynamodb:Put*', Resource: '*' });
    });
    expect(denied.map((call) => call.action)).toEqual(['dynamodb:PutItem']);
  });
});
