import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { THROTTLED_BODY_KEY } from '../../infra/rate-limit.js';
import { readConfig } from '../../infra/stage-settings.js';
import { GATEWAY_RESPONSES } from '../../src/api/gateway-responses.js';
import { RATE_WINDOW_SECONDS } from '../../src/api/rate-limit.js';
import {
  acknowledgements,
  nagViolations,
  only,
  type Resource,
  resourcesOf,
  type Synthesized,
  synthesize,
} from './synth.js';
import { contextOf } from './variants.js';

/**
 * Each principal's request rate on AWS: the stage's WAF web ACL (infra/rate-limit.ts), synthesized once
 * with limits of its own from the stage's committed settings, and a single CORS origin.
 */
const APP_ORIGIN = 'https://app.example';
let s: Synthesized;
beforeAll(() => {
  s = synthesize(
    contextOf('dev', {
      principalRateLimit: 2,
      principalBurstLimit: 5,
      webApp: false,
      corsOrigins: APP_ORIGIN,
    }),
    false,
  );
}, 120_000);

const webAcl = (): Resource => only(resourcesOf(s.api, 'AWS::WAFv2::WebACL'))[1];
const rule = () => only(webAcl().Properties.Rules as Resource['Properties'][]);
const headersOf = (r: Resource['Properties']) =>
  Object.fromEntries(
    (r.Action.Block.CustomResponse.ResponseHeaders as { Name: string; Value: string }[]).map((h) => [
      h.Name,
      h.Value,
    ]),
  );

describe("the stage's WAF web ACL", () => {
  it('is regional, allows by default and is associated with the API stage', () => {
    expect(webAcl().Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    const association = only(resourcesOf(s.api, 'AWS::WAFv2::WebACLAssociation'))[1];
    const [stageId] = only(resourcesOf(s.api, 'AWS::ApiGateway::Stage'));
    expect(JSON.stringify(association.Properties.ResourceArn)).toContain(stageId);
    expect(association.Properties.WebACLArn).toEqual({
      'Fn::GetAtt': [only(resourcesOf(s.api, 'AWS::WAFv2::WebACL'))[0], 'Arn'],
    });
  });

  it("counts each Authorization value over WAF's shortest window, up to burst + rate × window", () => {
    const statement = rule().Statement.RateBasedStatement;
    expect(statement.EvaluationWindowSec).toBe(RATE_WINDOW_SECONDS);
    expect(statement.Limit).toBe(5 + 2 * RATE_WINDOW_SECONDS);
    expect(statement.AggregateKeyType).toBe('CUSTOM_KEYS');
    expect(statement.CustomKeys).toEqual([
      {
        Header: {
          Name: 'Authorization',
          TextTransformations: [
            { Priority: 0, Type: 'LOWERCASE' },
            { Priority: 1, Type: 'COMPRESS_WHITE_SPACE' },
          ],
        },
      },
    ]);
  });

  it('never counts the public routes', () => {
    const matches = rule().Statement.RateBasedStatement.ScopeDownStatement.NotStatement.Statement.OrStatement
      .Statements as { ByteMatchStatement: { SearchString: string; PositionalConstraint: string } }[];
    expect(
      matches.map((m) => [m.ByteMatchStatement.PositionalConstraint, m.ByteMatchStatement.SearchString]),
    ).toEqual([
      ['EXACTLY', '/dev/openapi.json'],
      ['EXACTLY', '/dev/docs'],
      ['STARTS_WITH', '/dev/docs/'],
    ]);
  });

  it('answers the excess with 429, Retry-After of the window, and the JSON body the local gateway sends', () => {
    const custom = rule().Action.Block.CustomResponse;
    expect(custom.ResponseCode).toBe(GATEWAY_RESPONSES.PRINCIPAL_THROTTLED.statusCode);
    expect(custom.CustomResponseBodyKey).toBe(THROTTLED_BODY_KEY);
    const body = webAcl().Properties.CustomResponseBodies[THROTTLED_BODY_KEY];
    expect(body.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body.Content)).toEqual(GATEWAY_RESPONSES.PRINCIPAL_THROTTLED.body);
    expect(headersOf(rule())).toMatchObject({
      'Retry-After': String(RATE_WINDOW_SECONDS),
      'Access-Control-Allow-Origin': APP_ORIGIN,
      'Cache-Control': 'no-store',
    });
    expect(headersOf(rule())['Access-Control-Expose-Headers']).toContain('Retry-After');
  });

  it('leaves cdk-nag nothing to report, and APIG3 (no WAF on the stage) no longer acknowledged', () => {
    expect(nagViolations(s.outdir)).toEqual([]);
    expect(acknowledgements(s.service.app).map((ack) => ack.rule)).not.toContainEqual(
      expect.stringContaining('APIG3'),
    );
  });
});

describe('the per-principal limits in cdk.json', () => {
  const configOf = (settings: Record<string, unknown>) =>
    readConfig(new App({ context: contextOf('dev', settings) }).node);

  it('default to the same limits as npm start', () => {
    expect(configOf({})).toMatchObject({ principalRateLimit: 10, principalBurstLimit: 50 });
  });

  it('refuse limits a WAF rate-based rule cannot count (fewer than 10 requests per window)', () => {
    expect(() => configOf({ principalRateLimit: 0.01, principalBurstLimit: 1 })).toThrow(
      /allow 2 requests per 60 s .* counts 10 to/,
    );
  });

  it('refuse a rate that is not a positive number', () => {
    expect(() => configOf({ principalRateLimit: 'fast' })).toThrow(/'principalRateLimit' must be a number/);
  });
});
