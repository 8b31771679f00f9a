import { describe, expect, it } from 'vitest';
import * as domainErrors from '../domain/errors.js';
import {
  DeadlineExceededError,
  DefaultListUndeletableError,
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
  InvalidPlacementError,
  ListNotFoundError,
  PreconditionFailedError,
  ResyncRequiredError,
  StoreThrottledError,
  StoreUnavailableError,
  TaskNotFoundError,
  TaskServiceError,
  ValidationError,
} from '../domain/errors.js';
import { ERROR_CATALOGUE, entryOf } from './error-catalogue.js';
import * as httpErrors from './http-errors.js';
import { HttpError } from './http-errors.js';
import { problem } from './respond.js';

/** Errors that never reach a client: the code that throws them also catches them. */
const INTERNAL_ONLY = new Set<unknown>([domainErrors.TaskExistsError]);

const exported: unknown[] = [...Object.values(domainErrors), ...Object.values(httpErrors)];
const errorClasses = exported.filter(
  (value): value is abstract new (...args: never[]) => Error =>
    typeof value === 'function' &&
    value !== TaskServiceError &&
    value !== HttpError &&
    (value.prototype instanceof TaskServiceError || value.prototype instanceof HttpError),
);

const answer = (error: unknown) => {
  const response = problem(error, 'req-1');
  return { status: response.statusCode, headers: response.headers, body: JSON.parse(response.body) };
};

describe('the error catalogue', () => {
  it('has exactly one row per error class a client can meet', () => {
    for (const errorClass of errorClasses) {
      const rows = ERROR_CATALOGUE.filter((entry) => entry.error === errorClass);
      expect(rows.length, errorClass.name).toBe(INTERNAL_ONLY.has(errorClass) ? 0 : 1);
    }
  });

  it('gives one title per status, so each status is one documented response', () => {
    const titles = new Map<number, Set<string>>();
    for (const { status, title } of ERROR_CATALOGUE)
      titles.set(status, (titles.get(status) ?? new Set()).add(title));
    for (const [status, set] of titles) expect([...set], String(status)).toHaveLength(1);
  });

  it("is what the handler answers: each row's status, problem type and title", () => {
    const samples = [
      httpErrors.invalidJson(new SyntaxError('x')),
      httpErrors.invalidUtf8(new TypeError('bad bytes')),
      httpErrors.jsonTooDeep(20, new Error('deep')),
      httpErrors.badHeader('If-Match', 'is malformed'),
      new ValidationError("Field 'title' is required"),
      httpErrors.missingPrincipal(),
      httpErrors.credentialExpired(),
      new TaskNotFoundError(),
      new InvalidPlacementError('parentId', "Field 'parentId' must name a task in the same list"),
      new ListNotFoundError(),
      new domainErrors.ListForbiddenError('viewer', 'write'),
      new domainErrors.MemberNotFoundError(),
      new domainErrors.DefaultListPrivateError(),
      new domainErrors.OwnerMembershipError("The owner's role cannot be changed"),
      new domainErrors.LimitReachedError('tasksPerList', 'This list holds 20,000 tasks'),
      new DefaultListUndeletableError(),
      new ResyncRequiredError(30, 5),
      httpErrors.unknownAsset(),
      httpErrors.unknownRoute(),
      new IdempotencyInProgressError(),
      new PreconditionFailedError(4),
      httpErrors.payloadTooLarge(65536),
      httpErrors.unsupportedMediaType(),
      new IdempotencyKeyReusedError(),
      new StoreThrottledError(),
      new StoreUnavailableError(),
      new DeadlineExceededError(),
    ];
    expect(samples.map((error) => entryOf(error)?.error)).toEqual(ERROR_CATALOGUE.map((e) => e.error));
    for (const [i, error] of samples.entries()) {
      const entry = ERROR_CATALOGUE[i];
      expect(answer(error), error.name).toMatchObject({
        status: entry?.status,
        body: {
          type: `urn:task-service:problem:${entry?.type}`,
          title: entry?.title,
          status: entry?.status,
          message: error.message,
        },
      });
    }
  });

  it('sends the headers its rows name, with their values', () => {
    expect(answer(new IdempotencyInProgressError()).headers).toMatchObject({ 'Retry-After': '1' });
    expect(answer(new StoreThrottledError()).headers).toMatchObject({ 'Retry-After': '1' });
    expect(answer(new StoreUnavailableError()).headers).toMatchObject({ 'Retry-After': '2' });
    expect(answer(new DeadlineExceededError()).headers).toMatchObject({ 'Retry-After': '2' });
    expect(answer(new PreconditionFailedError(7)).headers).toMatchObject({ ETag: '"7"' });
    expect(answer(new TaskNotFoundError()).headers).not.toHaveProperty('Retry-After');
  });

  it("matches a subclass by its parent's row (as the store's invalid cursor is a validation failure)", () => {
    class InvalidCursorError extends ValidationError {}
    expect(entryOf(new InvalidCursorError('Invalid cursor'))?.error).toBe(ValidationError);
  });

  it('leaves an unexpected error opaque: a 500 naming only the request id', () => {
    for (const error of [new Error('secret detail'), new domainErrors.TaskExistsError(), 'thrown text']) {
      const { status, body } = answer(error);
      expect(status).toBe(500);
      expect(body).toMatchObject({
        type: 'urn:task-service:problem:internal-error',
        title: 'Internal Server Error',
        message: 'Internal server error (request id req-1)',
      });
    }
  });
});
