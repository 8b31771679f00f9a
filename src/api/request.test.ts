import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { HttpError } from './http-errors.js';
import { isBinaryMediaType, jsonBodyOf } from './request.js';
import { problem } from './respond.js';

/** A title with the bytes 0xff 0xfe inside, which no UTF-8 text contains. */
const BAD_BYTES = Buffer.concat([Buffer.from('{"title":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('b"}')]);

const eventWith = (body: string | null, isBase64Encoded: boolean, contentType?: string) =>
  ({
    headers: contentType === undefined ? {} : { 'Content-Type': contentType },
    body,
    isBase64Encoded,
  }) as unknown as APIGatewayProxyEvent;

/** The answer the handler gives for the body's error: its status and message. */
const errorOf = (event: APIGatewayProxyEvent): { status: number; message: string } | undefined => {
  try {
    jsonBodyOf(event);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    const answer = problem(error, 'r1');
    return { status: answer.statusCode, message: JSON.parse(answer.body).message };
  }
  return undefined;
};

describe('the JSON body of a binary (base64) request', () => {
  it('is decoded as UTF-8', () => {
    const body = Buffer.from('{"title":"tâche ✓"}').toString('base64');
    expect(jsonBodyOf(eventWith(body, true, 'application/json'))).toEqual({ title: 'tâche ✓' });
  });

  it('is refused with a 400 that says so when its bytes are not UTF-8, never stored with U+FFFD', () => {
    const error = errorOf(eventWith(BAD_BYTES.toString('base64'), true, 'application/json; charset=utf-8'));
    expect([error?.status, error?.message]).toEqual([400, 'Request body is not valid UTF-8']);
  });

  it('is measured in bytes against the size limit before decoding', () => {
    const body = Buffer.alloc(64 * 1024 + 1, 0x20).toString('base64');
    expect(errorOf(eventWith(body, true, 'application/json'))?.status).toBe(413);
  });

  it('of another media type is a 415, whatever its bytes', () => {
    expect(
      errorOf(eventWith(BAD_BYTES.toString('base64'), true, 'application/x-www-form-urlencoded'))?.status,
    ).toBe(415);
  });
});

describe('a text body (no binary media type)', () => {
  it('is taken as API Gateway passed it', () => {
    expect(jsonBodyOf(eventWith('{"title":"x"}', false))).toEqual({ title: 'x' });
  });
});

describe('the binary media types', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    ['application/merge-patch+json', true],
    ['text/plain', false],
    [undefined, false],
  ])('%s is binary: %s', (contentType, binary) => {
    expect(isBinaryMediaType(contentType)).toBe(binary);
  });
});
