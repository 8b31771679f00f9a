import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildApp, type TaskServiceApp } from '../../infra/app.js';

export interface Synthesized {
  readonly service: TaskServiceApp;
  readonly outdir: string;
  readonly table: Template;
  readonly api: Template;
}

/**
 * Synthesizes the whole app once per test file (cdk-nag runs as a validation plugin during synth, so a
 * finding fails this call). `bundle: false` skips esbuild for suites that only read templates.
 */
export function synthesize(
  context: Record<string, unknown> = {},
  bundle = true,
  /** Edits the built app before synth: what a test checks the template reacts to. */
  edit: (service: TaskServiceApp) => void = () => {},
): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'task-service-cdk-'));
  const service = buildApp({
    outdir,
    context: { ...context, ...(!bundle && { 'aws:cdk:bundling-stacks': [] }) },
  });
  edit(service);
  service.app.synth();
  return {
    service,
    outdir,
    table: Template.fromStack(service.table),
    api: Template.fromStack(service.api),
  };
}

/** Every violation cdk-nag reported (the validation report lists unacknowledged findings only). */
export function nagViolations(outdir: string): unknown[] {
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations?: unknown[] }[];
  };
  return report.pluginReports.flatMap((plugin) => plugin.violations ?? []);
}

/** Every `Validations.acknowledge` in the tree: rule id → reason. */
export function acknowledgements(root: IConstruct): { path: string; rule: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([rule, reason]) => ({
          path: construct.node.path,
          rule,
          reason,
        })),
      ),
  );
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation resources are free-form JSON
export type Resource = { Type: string; Properties?: any; DeletionPolicy?: string; DependsOn?: unknown };

export function resourcesOf(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type)) as [string, Resource][];
}

export function only<T>(items: readonly T[]): T {
  if (items.length !== 1) throw new Error(`expected exactly one, got ${items.length}`);
  return items[0] as T;
}
