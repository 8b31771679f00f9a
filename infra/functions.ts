import { join } from 'node:path';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { OPENAPI_FILE } from '../src/api/openapi-file.js';
import { STAGE_VARIABLE } from '../src/lambda/telemetry.js';
import { BUNDLE_SETTINGS, LAMBDA_ENTRIES } from './bundling.js';

/** The newest Node.js runtime aws-cdk-lib knows; BUNDLE_SETTINGS.target names the same major. */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

export const REPO_ROOT = join(import.meta.dirname, '..');

/** The docs route serves Swagger UI's two assets from beside the bundle (see the tasks entry). */
export const SWAGGER_UI_ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js'] as const;

function bundling(extraFiles: (inputDir: string, outputDir: string) => string[]): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: BUNDLE_SETTINGS.target,
    minify: BUNDLE_SETTINGS.minify,
    sourceMap: BUNDLE_SETTINGS.sourcemap,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    banner: BUNDLE_SETTINGS.banner,
    externalModules: [...BUNDLE_SETTINGS.external],
    bundleAwsSDK: true,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: extraFiles,
    },
  };
}

/**
 * Commands that run the same in every shell: node, a script beside this file, quoted paths. The task
 * function ships Swagger UI's assets and the OpenAPI document as files beside its bundle, read on the
 * first request that serves them: bundled, the document alone would add ~110 KB to every cold start.
 */
const copyServedFiles = (inputDir: string, outputDir: string): string[] => {
  const quoted = (path: string) => `"${path}"`;
  const script = join(inputDir, 'infra', 'copy-files.mjs');
  const copy = (from: string, to: string, files: readonly string[]) =>
    ['node', ...[script, from, to].map(quoted), ...files].join(' ');
  return [
    copy(join(inputDir, 'node_modules', 'swagger-ui-dist'), join(outputDir, 'swagger-ui'), SWAGGER_UI_ASSETS),
    copy(join(inputDir, 'openapi'), outputDir, [OPENAPI_FILE]),
  ];
};

export interface ServiceFunctionProps {
  readonly entry: keyof typeof LAMBDA_ENTRIES;
  /** The stage its metrics are dimensioned by (STAGE_VARIABLE). */
  readonly stage: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly logRetentionDays: number;
  readonly removeLogs: boolean;
}

/**
 * One of the entry files of LAMBDA_ENTRIES, bundled by esbuild exactly as BUNDLE_SETTINGS says,
 * with its own log group (explicit retention, no log-retention custom resource).
 */
export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const retention = props.logRetentionDays as RetentionDays;
    if (!Object.values(RetentionDays).includes(retention))
      throw new Error(`logRetentionDays ${props.logRetentionDays} is not a CloudWatch Logs retention`);
    const logGroup = new LogGroup(this, 'Logs', {
      retention,
      removalPolicy: props.removeLogs ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, LAMBDA_ENTRIES[props.entry]),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      logGroup,
      // The service name and metrics namespace are constants of src/lambda/telemetry.ts; the stage is not.
      environment: { ...props.environment, [STAGE_VARIABLE]: props.stage },
      bundling: bundling(props.entry === 'tasks' ? copyServedFiles : () => []),
    });
  }
}
