import { type Synthesized, synthesize } from './synth.js';

/**
 * The variants every deploy-time rule is checked on: both auth modes, on the default stage and on a second
 * one (prod, which also switches on retention). Templates only, no bundling.
 */
export const VARIANTS = [
  { stage: 'dev', authMode: 'token' },
  { stage: 'dev', authMode: 'jwt' },
  { stage: 'prod', authMode: 'token' },
  { stage: 'prod', authMode: 'jwt' },
] as const;

export type Variant = (typeof VARIANTS)[number];

export const variantName = (v: Variant): string => `${v.stage}/${v.authMode}`;

/** Synthesizes every variant once (cdk-nag runs on each), with extra context where a test needs it. */
export function synthesizeVariants(extra: Record<string, unknown> = {}): [Variant, Synthesized][] {
  return VARIANTS.map((variant) => [variant, synthesize({ ...variant, ...extra }, false)]);
}
