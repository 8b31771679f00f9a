import { type CfnElement, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import type { ServiceFunction } from '../../infra/functions.js';
import { makeTelemetry } from '../../src/lambda/telemetry.js';
import {
  loadAuthorizerConfig,
  loadPurgeConfig,
  loadTaskFunctionConfig,
} from '../../src/settings/function-env.js';
import { AUTH_MODES } from '../../src/settings/platform.js';
import { type Env, readsOf } from '../support/env-reads.js';
import { synthesize } from './synth.js';
import { contextOf } from './variants.js';

/** The environment a function is deployed with; a CloudFormation value (a Ref, a Join) reads as a URL. */
function deployedEnvironment(fn: ServiceFunction, template: Record<string, unknown>): Env {
  const logicalId = Stack.of(fn).getLogicalId(fn.fn.node.defaultChild as CfnElement);
  const resources = template.Resources as Record<
    string,
    { Properties: { Environment?: { Variables?: Env } } }
  >;
  const variables = resources[logicalId]?.Properties.Environment?.Variables ?? {};
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : 'https://resolved.example/at-deploy',
    ]),
  );
}

/** What an entry file reads at init: its configuration, and its telemetry (log level, the stage). */
const entryReads =
  (name: string, load: (env: Env) => unknown) =>
  (env: Env): void => {
    load(env);
    makeTelemetry(name, env);
  };

/**
 * The stack writes each function's environment, the entry file reads it: the two must name the same
 * variables. Each function of each auth mode is loaded from the environment the template gives it: a
 * variable it needs and the stack does not set fails its load, and a variable the stack sets that it never
 * reads is a mistake (a typo, or a setting that went nowhere).
 */
describe.each(AUTH_MODES)('the functions deployed in %s mode', (authMode) => {
  const synthesized = synthesize(contextOf('dev', { authMode }), false);
  const template = synthesized.api.toJSON();
  const { api } = synthesized.service;

  it.each([
    ['task function', () => api.tasks, entryReads('tasks', loadTaskFunctionConfig)],
    ['authorizer', () => api.authorizer, entryReads('authorizer', loadAuthorizerConfig)],
    ['purge function', () => api.purge.function, entryReads('purge', loadPurgeConfig)],
  ] as const)(
    'the %s reads every variable the stack sets, and the stack sets every one it requires',
    (_, fn, load) => {
      const env = deployedEnvironment(fn(), template);
      const { names, error } = readsOf(load, env);
      expect(error).toBeUndefined();
      expect(Object.keys(env).filter((name) => !names.has(name))).toEqual([]);
      expect(Object.keys(env).length).toBeGreaterThan(0);
    },
  );
});
