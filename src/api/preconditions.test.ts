import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { evaluate, preconditionsOf, writeConditionOf } from './preconditions.js';

const eventWith = (multiValueHeaders: Record<string, string[]>) =>
  ({
    headers: Object.fromEntries(Object.entries(multiValueHeaders).map(([k, v]) => [k, v.at(-1)])),
    multiValueHeaders,
  }) as unknown as APIGatewayProxyEvent;
const parse = (headers: Record<string, string>) =>
  preconditionsOf(eventWith(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]))));

describe('preconditionsOf', () => {
  it('reads `*`, strong and weak tags, and drops tags that name no version', () => {
    expect(parse({ 'if-match': '"3", W/"4", "abc"', 'If-None-Match': '*' })).toEqual({
      ifMatch: { any: false, strong: [3], all: [3, 4] },
      ifNoneMatch: { any: true },
    });
  });

  it('joins a repeated header into one list, as RFC 9110 §5.3 says', () => {
    const pre = preconditionsOf(eventWith({ 'If-Match': ['"1"', '"2"'] }));
    expect(pre.ifMatch).toEqual({ any: false, strong: [1, 2], all: [1, 2] });
  });

  it.each(['', '3', '"1",,"2"', '*, "1"', '"é"', `"${'1'.repeat(1025)}"`])('refuses %j', (value) => {
    expect(() => parse({ 'If-None-Match': value })).toThrow("Header 'If-None-Match'");
  });
});

describe('evaluate (RFC 9110 §13.2.2)', () => {
  it('puts If-Match before If-None-Match: a failed If-Match is a 412 even on a read', () => {
    expect(evaluate(parse({ 'If-Match': '"2"', 'If-None-Match': '"1"' }), 1, true)).toBe('failed');
  });

  it('answers a matching If-None-Match with 304 on a read and 412 on a write', () => {
    const pre = parse({ 'If-None-Match': 'W/"1"' });
    expect([evaluate(pre, 1, true), evaluate(pre, 1, false), evaluate(pre, 2, false)]).toEqual([
      'not-modified',
      'failed',
      'proceed',
    ]);
  });

  it('compares If-Match strongly', () => {
    expect(evaluate(parse({ 'If-Match': 'W/"1"' }), 1, true)).toBe('failed');
  });

  it('treats the collection as existing without an ETag', () => {
    expect(evaluate(parse({ 'If-Match': '*' }), undefined, false)).toBe('proceed');
    expect(evaluate(parse({ 'If-Match': '"1"' }), undefined, false)).toBe('failed');
    expect(evaluate(parse({ 'If-None-Match': '*' }), undefined, false)).toBe('failed');
    expect(evaluate(parse({ 'If-None-Match': '"1"' }), undefined, true)).toBe('proceed');
  });
});

describe('writeConditionOf', () => {
  it('is undefined without conditions, and for If-Match: * alone (a write needs the task anyway)', () => {
    expect([writeConditionOf(parse({})), writeConditionOf(parse({ 'If-Match': '*' }))]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('turns If-Match into versionIn and If-None-Match into versionNotIn', () => {
    expect(writeConditionOf(parse({ 'If-Match': '"2", W/"3"', 'If-None-Match': 'W/"4"' }))).toEqual({
      versionIn: [2],
      versionNotIn: [4],
    });
  });

  it('makes If-None-Match: * a condition no existing task meets', () => {
    expect(writeConditionOf(parse({ 'If-None-Match': '*' }))).toEqual({ versionIn: [] });
  });
});
