import { describe, expect, it } from 'vitest';
import { SCOPES } from './principal.js';
import { makeStaticTokenVerifier, parseTokenTable, stripBearer, tokenTableFrom } from './tokens.js';

const TOKEN = 'k3y-Abc_0123456789xyz';
const single = makeStaticTokenVerifier(() => new Map([['default', TOKEN]]));

describe('the static token verifier', () => {
  it('accepts the exact token sent raw, as the original clients send it', async () => {
    expect(await single.verify(TOKEN)).toEqual({ principalId: 'default', scopes: SCOPES, authMode: 'token' });
  });

  it.each([['Bearer '], ['bearer '], ['BEARER '], ['Bearer   ']])(
    'accepts the token after %j',
    async (prefix) => {
      expect((await single.verify(`${prefix}${TOKEN}`))?.principalId).toBe('default');
    },
  );

  it('accepts the token with surrounding whitespace', async () => {
    expect((await single.verify(`  ${TOKEN}  `))?.principalId).toBe('default');
  });

  const nearMisses: [string, string][] = [
    ['the last character changed', `${TOKEN.slice(0, -1)}Z`],
    ['the first character changed', `X${TOKEN.slice(1)}`],
    ['a prefix of it', TOKEN.slice(0, -1)],
    ['it with an extra suffix', `${TOKEN}a`],
    ['it with an extra prefix', `a${TOKEN}`],
    ['it in upper case', TOKEN.toUpperCase()],
    ['it in lower case', TOKEN.toLowerCase()],
    ['a much shorter value', 'k'],
    ['a much longer value', TOKEN.repeat(10)],
    ['the empty string', ''],
    ['Bearer alone', 'Bearer '],
    ['Bearer without a space', `Bearer${TOKEN}`],
    ['Basic scheme', `Basic ${TOKEN}`],
    ['the token twice', `Bearer ${TOKEN} ${TOKEN}`],
  ];

  it.each(nearMisses)('refuses %s, raw', async (_kind, credential) => {
    expect(await single.verify(credential)).toBeUndefined();
  });

  it.each(nearMisses.filter(([kind]) => !kind.includes('Bearer') && !kind.includes('Basic')))(
    'refuses %s, in the Bearer form',
    async (_kind, credential) => {
      expect(await single.verify(`Bearer ${credential}`)).toBeUndefined();
    },
  );

  it('names the principal whose token matches when there are several', async () => {
    const verifier = makeStaticTokenVerifier(() =>
      tokenTableFrom(undefined, '{"alice":"a-token","bob":"b-token"}'),
    );
    expect((await verifier.verify('b-token'))?.principalId).toBe('bob');
    expect((await verifier.verify('Bearer a-token'))?.principalId).toBe('alice');
    expect(await verifier.verify('c-token')).toBeUndefined();
  });

  it('reads the token table on every call, so a rotated table takes effect', async () => {
    let table = new Map([['alice', 'old']]);
    const verifier = makeStaticTokenVerifier(() => table);
    table = new Map([['alice', 'new']]);
    expect(await verifier.verify('old')).toBeUndefined();
    expect((await verifier.verify('new'))?.principalId).toBe('alice');
  });

  it('accepts an asynchronous table loader', async () => {
    const verifier = makeStaticTokenVerifier(async () => new Map([['svc', 's']]));
    expect((await verifier.verify('s'))?.principalId).toBe('svc');
  });
});

describe('stripBearer', () => {
  it('removes the scheme case-insensitively and leaves a raw token alone', () => {
    expect([stripBearer('Bearer x'), stripBearer('bEaReR x'), stripBearer('x')]).toEqual(['x', 'x', 'x']);
  });
});

describe('tokenTableFrom', () => {
  it('maps API_TOKEN to the principal `default`', () => {
    expect([...tokenTableFrom('t', undefined)]).toEqual([['default', 't']]);
  });

  it('prefers API_TOKENS over API_TOKEN', () => {
    expect([...tokenTableFrom('t', '{"alice":"a"}')]).toEqual([['alice', 'a']]);
  });

  it('fails with a message naming both variables when neither is set', () => {
    expect(() => tokenTableFrom(undefined, undefined)).toThrow(/API_TOKEN.*API_TOKENS/);
    expect(() => tokenTableFrom('', '  ')).toThrow(/API_TOKEN/);
  });
});

describe('parseTokenTable', () => {
  it.each([
    ['invalid JSON', '{alice:', 'must be a JSON object'],
    ['an array', '["a"]', 'must be a JSON object'],
    ['a string', '"a"', 'must be a JSON object'],
    ['null', 'null', 'must be a JSON object'],
    ['an empty object', '{}', 'names no principal'],
    ['an empty token', '{"alice":""}', "the token of 'alice' must be a non-empty string"],
    ['a numeric token', '{"alice":5}', "the token of 'alice' must be a non-empty string"],
    ['a principal id with #', '{"a#b":"t"}', "'a#b' is not a valid principal id"],
    ['a principal id with a space', '{"a b":"t"}', "'a b' is not a valid principal id"],
  ])('refuses %s with a clear message', (_kind, text, message) => {
    expect(() => parseTokenTable(text, 'API_TOKENS')).toThrow(message);
  });

  it('never echoes a token in its error messages', () => {
    expect(() => parseTokenTable('{"a b":"s3cret-token"}', 'API_TOKENS')).not.toThrow(/s3cret/);
  });
});
