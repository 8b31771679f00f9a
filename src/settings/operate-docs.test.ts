import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS } from '../../infra/stage-settings.js';
import { type Env, readsOf } from '../../test/support/env-reads.js';
import { readLocalSettings } from '../local/settings.js';
import { loadAuthorizerConfig, loadPurgeConfig, loadTaskFunctionConfig } from './function-env.js';
import { API_GATEWAY_LIMITS, AUTH_MODES } from './platform.js';
import { VARIABLES } from './variables.js';

/** docs/operate.md's configuration tables, against the settings contract they describe. */
const OPERATE = readFileSync(join(import.meta.dirname, '../../docs/operate.md'), 'utf8');

/** The rows of the first table under a heading: the code spans of each cell. */
function tableUnder(heading: string): { names: string[]; defaults: string[]; text: string }[] {
  const section = OPERATE.split(`\n### ${heading}\n`)[1]?.split('\n#')[0] ?? '';
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  expect(rows.length, `a table under "${heading}"`).toBeGreaterThan(0);
  const spans = (cell = '') => [...cell.matchAll(/`([^`]*)`/g)].map((match) => match[1] ?? '');
  return rows.map((row) => {
    const cells = row.split(' | ');
    return { names: spans(cells[0]), defaults: spans(cells.at(-2)), text: row };
  });
}

/** Every variable a loader reads, whichever way its environment sends it. */
const variablesRead = (load: (env: Env) => unknown, envs: Env[]) =>
  new Set(envs.flatMap((env) => [...readsOf(load, env).names]));

/** The functions' variables by name (npm start's own TABLE_NAME, with its default, apart). */
const { localTableName, ...functionVariables } = VARIABLES;
const byName = new Map(Object.values(functionVariables).map((v) => [v.name, v]));
const localDefault = (name: string) =>
  name === localTableName.name ? localTableName.default : byName.get(name)?.default;

describe("docs/operate.md's configuration tables", () => {
  it('list every variable npm start reads, each with its default', () => {
    const rows = tableUnder('Local: environment variables of `npm start`');
    const read = variablesRead(readLocalSettings, [{}]);
    expect(rows.flatMap((row) => row.names).sort()).toEqual([...read].sort());
    for (const row of rows) {
      const expected = row.names.map(localDefault).filter((d) => d !== undefined);
      // A variable without a default shows a dash or a sentence, never a value in code.
      expect(row.defaults, row.text).toEqual(expected);
    }
  });

  it('list every variable the functions read, each with its default', () => {
    const rows = tableUnder("AWS: the functions' environment");
    const read = new Set([
      ...variablesRead(loadTaskFunctionConfig, [{}]),
      ...variablesRead(loadPurgeConfig, [{}]),
      ...variablesRead(
        loadAuthorizerConfig,
        AUTH_MODES.map((mode) => ({ AUTH_MODE: mode })),
      ),
    ]);
    expect(rows.flatMap((row) => row.names).sort()).toEqual([...read].sort());
    for (const row of rows)
      expect(row.defaults, row.text).toEqual(row.names.flatMap((name) => byName.get(name)?.default ?? []));
  });

  it('give the stage settings the defaults infra/stage-settings.ts applies', () => {
    const rows = tableUnder('AWS: per-stage settings in `cdk.json`');
    for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) {
      const row = rows.find((r) => r.names.includes(key));
      expect(row, key).toBeDefined();
      if (value === '') expect(row?.text, key).toMatch(/\| — (\([^|]*\) )?\|/);
      else expect(row?.text, key).toContain(`\`${String(value)}\``);
    }
  });

  it("quote API Gateway's authorizer cache range wherever they give it", () => {
    const { min, max } = API_GATEWAY_LIMITS.authorizerCacheSeconds;
    const ranges = [...OPERATE.matchAll(/\((\d+)–(\d+)[;)]/g)].map((m) => `${m[1]}–${m[2]}`);
    expect(ranges.length).toBeGreaterThan(0);
    expect(new Set(ranges)).toEqual(new Set([`${min}–${max}`]));
  });
});
