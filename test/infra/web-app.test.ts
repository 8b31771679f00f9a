import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../infra/stage-settings.js';
import { SCOPES } from '../../src/auth/principal.js';
import { type AppConfig, HSTS_SECONDS, REFERRER_POLICY } from '../../src/web-app/app-config.js';
import { nagViolations, only, type Resource, resourcesOf, type Synthesized, synthesize } from './synth.js';
import { contextOf } from './variants.js';

/** Both auth modes, templates only (no bundling): the web app's hosting is the same but for Cognito. */
const modes: Record<'token' | 'jwt', Synthesized> = {} as never;
beforeAll(() => {
  modes.token = synthesize(contextOf('dev', { authMode: 'token' }), false);
  modes.jwt = synthesize(contextOf('dev', { authMode: 'jwt' }), false);
}, 120_000);

/** A CloudFormation value as text: `Fn::Join` joined, `Ref` → `<Id>`, `Fn::GetAtt` → `<Id.Attr>`. */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation intrinsics are free-form JSON
function render(value: any): string {
  if (typeof value === 'string') return value;
  if (value?.Ref) return `<${value.Ref}>`;
  if (value?.['Fn::GetAtt']) return `<${value['Fn::GetAtt'].join('.')}>`;
  if (value?.['Fn::Join']) return value['Fn::Join'][1].map(render).join(value['Fn::Join'][0]);
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

const one = (s: Synthesized, type: string): [string, Resource] => only(resourcesOf(s.api, type));
const distributionOrigin = (s: Synthesized) =>
  `https://<${one(s, 'AWS::CloudFront::Distribution')[0]}.DomainName>`;
const restApiId = (s: Synthesized) => one(s, 'AWS::ApiGateway::RestApi')[0];

/** The config.json the deployment uploads, with CDK's deploy-time markers put back as `<Id>`. */
function deployedConfig(s: Synthesized): AppConfig {
  const deployment = one(s, 'Custom::CDKBucketDeployment')[1].Properties;
  const index = deployment.SourceMarkers.findIndex((markers: object) => Object.keys(markers).length > 0);
  const key = (deployment.SourceObjectKeys[index] as string).replace(/\.zip$/, '');
  const dir = readdirSync(s.outdir).find((name) => name === `asset.${key}`) ?? '';
  let text = readFileSync(join(s.outdir, dir, 'config.json'), 'utf8');
  for (const [marker, value] of Object.entries(deployment.SourceMarkers[index]))
    text = text.replaceAll(marker, render(value));
  return JSON.parse(text) as AppConfig;
}

describe.each(['token', 'jwt'] as const)('the web app hosting in %s mode', (mode) => {
  it('passes cdk-nag with no unacknowledged finding', () => {
    expect(nagViolations(modes[mode].outdir)).toEqual([]);
  });

  it('keeps the bucket private: public access blocked, TLS only, readable by this distribution alone', () => {
    const [bucketId, bucket] = one(modes[mode], 'AWS::S3::Bucket');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const statements = one(modes[mode], 'AWS::S3::BucketPolicy')[1].Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const reader: Resource['Properties'] = only(
      statements.filter((s: Resource['Properties']) => s.Principal?.Service),
    );
    expect(reader.Principal.Service).toBe('cloudfront.amazonaws.com');
    expect(reader.Action).toBe('s3:GetObject');
    expect(render(reader.Resource)).toBe(`<${bucketId}.Arn>/*`);
    expect(render(reader.Condition.StringEquals['AWS:SourceArn'])).toMatch(
      new RegExp(`:distribution/<${one(modes[mode], 'AWS::CloudFront::Distribution')[0]}>$`),
    );
  });

  it('serves it through CloudFront with origin access control (no legacy OAI), HTTPS only', () => {
    const config = one(modes[mode], 'AWS::CloudFront::Distribution')[1].Properties.DistributionConfig;
    const origin = only(config.Origins as Resource['Properties'][]);
    expect(render(origin.OriginAccessControlId)).toBe(
      `<${one(modes[mode], 'AWS::CloudFront::OriginAccessControl')[0]}.Id>`,
    );
    expect(origin.S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultRootObject).toBe('index.html');
  });

  it('sends a CSP that lets the app call only itself, the API and (jwt mode) the Cognito domain', () => {
    const headers = one(modes[mode], 'AWS::CloudFront::ResponseHeadersPolicy')[1].Properties
      .ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = render(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    const connect = /connect-src ([^;]+)/.exec(csp)?.[1]?.split(' ');
    const api = `https://<${restApiId(modes[mode])}>.execute-api.<AWS::Region>.<AWS::URLSuffix>`;
    const cognito = `https://<${one(modes.jwt, 'AWS::Cognito::UserPoolDomain')[0]}>.auth.<AWS::Region>.amazoncognito.com`;
    expect(connect).toEqual(mode === 'jwt' ? ["'self'", api, cognito] : ["'self'", api]);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: HSTS_SECONDS,
      Override: true,
    });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.ReferrerPolicy.ReferrerPolicy).toBe(REFERRER_POLICY);
  });

  it('deploys config.json built from the stack: the API stage URL and, in jwt mode, the hosted login', () => {
    const api = `https://<${restApiId(modes[mode])}>.execute-api.<AWS::Region>.<AWS::URLSuffix>/dev`;
    const config = deployedConfig(modes[mode]);
    if (mode === 'token') expect(config).toEqual({ apiUrl: api, authMode: 'token' });
    else {
      const client = only(
        resourcesOf(modes.jwt.api, 'AWS::Cognito::UserPoolClient').filter(([id]) =>
          id.includes('UserClient'),
        ),
      )[0];
      expect(config).toEqual({
        apiUrl: api,
        authMode: 'jwt',
        login: {
          issuer: `<${one(modes.jwt, 'AWS::Cognito::UserPool')[0]}.ProviderURL>`,
          domain: `https://<${one(modes.jwt, 'AWS::Cognito::UserPoolDomain')[0]}>.auth.<AWS::Region>.amazoncognito.com`,
          clientId: `<${client}>`,
          scopes: ['openid', ...SCOPES].join(' '),
        },
      });
    }
    const deployment = one(modes[mode], 'Custom::CDKBucketDeployment')[1].Properties;
    expect(deployment.DistributionPaths).toEqual(['/*']);
  });

  it('allows the distribution’s origin, not *, in CORS by default', () => {
    const tasks = resourcesOf(modes[mode].api, 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith('TasksFunction'),
    );
    expect(render(tasks?.[1].Properties.Environment.Variables.CORS_ALLOWED_ORIGINS)).toBe(
      distributionOrigin(modes[mode]),
    );
    for (const [, method] of resourcesOf(modes[mode].api, 'AWS::ApiGateway::Method').filter(
      ([, m]) => m.Properties.HttpMethod === 'OPTIONS',
    ))
      expect(
        render(
          method.Properties.Integration.IntegrationResponses[0].ResponseParameters[
            'method.response.header.Access-Control-Allow-Origin'
          ],
        ),
      ).toBe(`'${distributionOrigin(modes[mode])}'`);
  });

  it('outputs the app URL', () => {
    expect(render(modes[mode].api.toJSON().Outputs.AppUrl.Value)).toBe(`${distributionOrigin(modes[mode])}/`);
  });
});

describe('the web app and Cognito', () => {
  it('registers the distribution’s /callback with the PKCE user client', () => {
    const [, client] = only(
      resourcesOf(modes.jwt.api, 'AWS::Cognito::UserPoolClient').filter(([id]) => id.includes('UserClient')),
    );
    expect(client.Properties.CallbackURLs.map(render)).toContain(`${distributionOrigin(modes.jwt)}/callback`);
    expect(client.Properties.GenerateSecret).toBe(false);
    expect(client.Properties.AllowedOAuthFlows).toEqual(['code']);
  });
});

describe('the web app and Cognito, signing out', () => {
  it("registers each app callback's signed-out page, where Cognito's logout may return", () => {
    const [, client] = only(
      resourcesOf(modes.jwt.api, 'AWS::Cognito::UserPoolClient').filter(([id]) => id.includes('UserClient')),
    );
    const callbacks: string[] = client.Properties.CallbackURLs.map(render);
    const signedOut: string[] = client.Properties.LogoutURLs.map(render);
    expect(signedOut).toContain(`${distributionOrigin(modes.jwt)}/`);
    expect(signedOut).toHaveLength(callbacks.filter((url) => url.endsWith('/callback')).length);
    for (const url of signedOut) expect(callbacks).toContain(`${url.replace(/\/$/, '')}/callback`);
  });
});

describe('without the web app (context webApp=false)', () => {
  it('deploys no bucket or distribution, and CORS falls back to *', () => {
    const s = synthesize(contextOf('dev', { authMode: 'token', webApp: false }), false);
    expect(resourcesOf(s.api, 'AWS::CloudFront::Distribution')).toEqual([]);
    expect(resourcesOf(s.api, 'AWS::S3::Bucket')).toEqual([]);
    const tasks = resourcesOf(s.api, 'AWS::Lambda::Function').find(([id]) => id.startsWith('TasksFunction'));
    expect(tasks?.[1].Properties.Environment.Variables.CORS_ALLOWED_ORIGINS).toBe('*');
  }, 60_000);

  it('refuses corsOrigins=app, which would name no origin', () => {
    const app = new App({ context: contextOf('dev', { webApp: false, corsOrigins: 'app' }) });
    expect(() => readConfig(app.node)).toThrow(/'app', but webApp is false/);
  });
});
