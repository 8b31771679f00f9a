import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/local-server.js';
import { sourcesUnder } from '../support/sources.js';

/**
 * Every error class names itself with a literal. The deployed bundles are minified, which renames classes,
 * so a name read off the class (`new.target.name`, `this.constructor.name`) would reach the logs as `be`.
 * The classes are read off the source files, so one written tomorrow is checked too. Left out: `src/local/`,
 * which runs from source and is never bundled, and AwsServiceError, whose name is DynamoDB's error type.
 */
const SRC = join(REPO_ROOT, 'src');
const NAMED_BY_ITS_CALLER = new Set(['AwsServiceError']);
/** `export class X … extends`: abstract bases (`export abstract class`) are never thrown themselves. */
const SUBCLASS = /^export class (\w+)\b[^{]*\bextends\b/gm;

type ErrorClass = new (...args: unknown[]) => Error;

const declared = sourcesUnder(SRC)
  .filter((file) => !file.path.startsWith('local/'))
  .flatMap((file) => [...file.text.matchAll(SUBCLASS)].map(([, name]) => ({ file: file.path, name })))
  .filter(({ name }) => name !== undefined && !NAMED_BY_ITS_CALLER.has(name));

const errorClasses = (
  await Promise.all(
    declared.map(async ({ file, name = '' }) => {
      const module = await import(pathToFileURL(join(SRC, file)).href);
      return { name, errorClass: module[name] as ErrorClass };
    }),
  )
).filter(({ errorClass }) => errorClass.prototype instanceof Error);

/** An instance made while the class is renamed the way a minifier renames it. */
function constructMinified(errorClass: ErrorClass): Error {
  const original = Object.getOwnPropertyDescriptor(errorClass, 'name') as PropertyDescriptor;
  Object.defineProperty(errorClass, 'name', { value: 'be' });
  try {
    return new errorClass();
  } finally {
    Object.defineProperty(errorClass, 'name', original);
  }
}

describe('error names', () => {
  it('are checked on the domain, HTTP, store and auth errors alike', () => {
    expect(errorClasses.map(({ name }) => name)).toEqual(
      expect.arrayContaining([
        'TaskNotFoundError',
        'ValidationError',
        'InvalidJsonError',
        'InvalidCursorError',
        'ConditionFailedError',
        'AuthorizerUnavailableError',
      ]),
    );
  });

  it.each(errorClasses)('$name keeps its name when minifying renames its class', ({ name, errorClass }) => {
    expect(constructMinified(errorClass).name).toBe(name);
  });
});
