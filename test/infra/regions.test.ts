import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountWideNamesOf } from '../../infra/stage-settings.js';
import { type Resource, resourcesOf, type Synthesized, synthesize } from './synth.js';
import { contextOf } from './variants.js';

/**
 * One stage in two regions of one account: every name a service keeps unique across the account's regions
 * must differ, or the second deployment fails with AlreadyExists (issue 20: the response headers policy and
 * the origin access control once did). The app reads its environment as `cdk deploy` sets it.
 */
const ACCOUNT = '123456789012';
const REGIONS = ['eu-west-1', 'us-east-1'] as const;

/** Resource types whose names are unique per account, not per region, and where each keeps its name. */
const ACCOUNT_WIDE_NAMES: Readonly<Record<string, (properties: Resource['Properties']) => unknown>> = {
  'AWS::CloudFront::ResponseHeadersPolicy': (p) => p.ResponseHeadersPolicyConfig?.Name,
  'AWS::CloudFront::OriginAccessControl': (p) => p.OriginAccessControlConfig?.Name,
  'AWS::CloudFront::CachePolicy': (p) => p.CachePolicyConfig?.Name,
  'AWS::CloudFront::OriginRequestPolicy': (p) => p.OriginRequestPolicyConfig?.Name,
  'AWS::CloudFront::Function': (p) => p.Name,
  'AWS::CloudFront::KeyValueStore': (p) => p.Name,
  'AWS::CloudWatch::Dashboard': (p) => p.DashboardName,
  'AWS::IAM::Role': (p) => p.RoleName,
  'AWS::IAM::ManagedPolicy': (p) => p.ManagedPolicyName,
  'AWS::S3::Bucket': (p) => p.BucketName,
};

const synthesized = new Map<string, Synthesized>();
const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
beforeAll(() => {
  for (const region of REGIONS) {
    process.env.CDK_DEFAULT_ACCOUNT = ACCOUNT;
    process.env.CDK_DEFAULT_REGION = region;
    synthesized.set(region, synthesize(contextOf('dev', { authMode: 'token' }), false));
  }
}, 180_000);
afterAll(() => {
  for (const [key, value] of [
    ['CDK_DEFAULT_ACCOUNT', saved.account],
    ['CDK_DEFAULT_REGION', saved.region],
  ] as const)
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
});

/** `type logicalId` → the explicit account-wide name, for every such resource that sets one. */
function accountWideNames(s: Synthesized): Map<string, unknown> {
  const names = new Map<string, unknown>();
  for (const stack of [s.table, s.api])
    for (const [type, nameOf] of Object.entries(ACCOUNT_WIDE_NAMES))
      for (const [id, resource] of resourcesOf(stack, type)) {
        const name = nameOf(resource.Properties ?? {});
        if (name !== undefined) names.set(`${type} ${id}`, name);
      }
  return names;
}

describe('one stage deployed in two regions of an account', () => {
  it('names the CloudFront policies and the dashboard, each with its region', () => {
    for (const region of REGIONS) {
      const names = [...accountWideNames(synthesized.get(region) as Synthesized).values()];
      expect(names.sort()).toEqual(Object.values(accountWideNamesOf('dev', region)).sort());
    }
  });

  it('gives every account-wide name a different value in each region', () => {
    const [first, second] = REGIONS.map((region) => accountWideNames(synthesized.get(region) as Synthesized));
    expect([...(first?.keys() ?? [])].sort()).toEqual([...(second?.keys() ?? [])].sort());
    expect(first?.size).toBeGreaterThan(0);
    for (const [key, name] of first ?? []) {
      expect(typeof name, key).toBe('string'); // resolved, so the comparison means something
      expect(second?.get(key), key).not.toBe(name);
    }
  });
});
