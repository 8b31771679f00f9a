/**
 * The CDK app: `npx cdk synth` / `deploy` run this file (cdk.json). Two stacks per stage, checked by cdk-nag
 * as a validation plugin on every synth.
 */
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack } from './api-stack.js';
import { readConfig } from './config.js';
import { TableStack } from './table-stack.js';

export interface TaskServiceApp {
  readonly app: App;
  readonly table: TableStack;
  readonly api: ApiStack;
}

export function buildApp(props: AppProps = {}): TaskServiceApp {
  // Stated, not defaulted: the API stack references the table strongly, which protects the stateful stack.
  const app = new App({
    ...props,
    context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong', ...props.context },
  });
  const config = readConfig(app.node);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const prefix = `TaskService-${config.stage}`;
  const table = new TableStack(app, `${prefix}-Table`, {
    env,
    retainData: config.retainData,
    description: `Task service (${config.stage}): the table, kept apart from compute`,
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    env,
    config,
    table: table.table,
    description: `Task service (${config.stage}): functions, REST API, alarms`,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, table, api };
}

if (import.meta.url === `file://${process.argv[1]}`) buildApp().app.synth();
