/**
 * The CDK app: `npx cdk synth` / `deploy` run this file (cdk.json). Two stacks per stage, checked by cdk-nag
 * as a validation plugin on every synth.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack } from './api-stack.js';
import { readConfig, stackNamesOf } from './stage-settings.js';
import { TableStack } from './table-stack.js';

export interface TaskServiceApp {
  readonly app: App;
  readonly table: TableStack;
  readonly api: ApiStack;
}

/**
 * cdk.json's context: the feature flags and the per-stage settings. The CLI passes it to the app; reading it
 * here too gives tests (which build the app in-process) exactly what `cdk synth` and `cdk deploy` see.
 */
export function committedContext(): Record<string, unknown> {
  const file = join(import.meta.dirname, '..', 'cdk.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { context: Record<string, unknown> }).context;
}

export function buildApp(props: AppProps = {}): TaskServiceApp {
  const app = new App({ ...props, context: { ...committedContext(), ...props.context } });
  const config = readConfig(app.node);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const names = stackNamesOf(config.stage);
  // A stage that keeps its data cannot be deleted by one command: CloudFormation refuses until the
  // protection is turned off (docs/operate.md, "Remove it").
  const terminationProtection = config.retainData;
  const table = new TableStack(app, names.table, {
    env,
    terminationProtection,
    retainData: config.retainData,
    description: `Task service (${config.stage}): the table, kept apart from compute`,
  });
  const api = new ApiStack(app, names.api, {
    env,
    terminationProtection,
    config,
    table: table.table,
    description: `Task service (${config.stage}): functions, REST API, alarms`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, table, api };
}

// Run as a program (cdk.json's `app`), not imported by a test. Paths, not URLs, are compared: a URL escapes
// spaces and non-ASCII characters, and Windows paths have drive letters and backslashes.
const entry = process.argv[1];
if (entry && realpathSync(fileURLToPath(import.meta.url)) === realpathSync(resolve(entry)))
  buildApp().app.synth();
