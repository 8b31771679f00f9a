import { beforeAll, describe, expect, it } from 'vitest';
import { gatewayCorsHeaders } from '../../src/api/cors.js';
import { GATEWAY_RESPONSES } from '../../src/api/gateway-responses.js';
import { API_RESPONSE_HEADERS } from '../../src/api/response-headers.js';
import { only, resourcesOf, type Synthesized, synthesize } from './synth.js';
import { contextOf } from './variants.js';

/**
 * The API's edge as the stack configures it, on a stage with one allowed origin and on one with several:
 * API Gateway's own errors (what the local gateway answers, gatewayCorsHeaders and GATEWAY_RESPONSES, must
 * be what they say) and the key list cursors are signed with.
 */
const ONE = ['https://app.example'];
const SEVERAL = ['https://app.example', 'https://admin.example'];
let one: Synthesized;
let several: Synthesized;
beforeAll(() => {
  const stageWith = (origins: string[]) =>
    synthesize(contextOf('dev', { webApp: false, corsOrigins: origins.join(',') }), false);
  one = stageWith(ONE);
  several = stageWith(SEVERAL);
}, 120_000);

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties
const responsesOf = (s: Synthesized): any[] =>
  resourcesOf(s.api, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => r.Properties);

const header = (response: { ResponseParameters: Record<string, string> }, name: string) =>
  response.ResponseParameters[`gatewayresponse.header.${name}`];

describe('the gateway responses', () => {
  it('send a single allowed origin as a static value, as the local gateway does', () => {
    for (const response of responsesOf(one)) {
      expect(header(response, 'Access-Control-Allow-Origin')).toBe("'https://app.example'");
      expect(gatewayCorsHeaders(ONE, 'https://evil.example')['Access-Control-Allow-Origin']).toBe(
        'https://app.example',
      );
    }
  });

  it('echo the caller’s Origin with several allowed origins (the documented gap), as the local gateway does', () => {
    for (const response of responsesOf(several))
      expect(header(response, 'Access-Control-Allow-Origin')).toBe('method.request.header.Origin');
    expect(gatewayCorsHeaders(SEVERAL, 'https://evil.example')['Access-Control-Allow-Origin']).toBe(
      'https://evil.example',
    );
  });

  it('mark every gateway error no-store and nosniff', () => {
    for (const response of responsesOf(one))
      for (const [name, value] of Object.entries(API_RESPONSE_HEADERS))
        expect(header(response, name), `${response.ResponseType} ${name}`).toBe(`'${value}'`);
  });

  it('answer an unknown route with a fixed body, never API Gateway’s message that quotes the Authorization header', () => {
    const missing = responsesOf(one).find((r) => r.ResponseType === 'MISSING_AUTHENTICATION_TOKEN');
    const template = missing.ResponseTemplates['application/json'];
    expect(template).not.toContain('$context');
    expect(JSON.parse(template)).toEqual(GATEWAY_RESPONSES.MISSING_AUTHENTICATION_TOKEN.body);
  });

  it('mark every MOCK preflight no-store and nosniff, as every other API response', () => {
    const preflights = resourcesOf(one.api, 'AWS::ApiGateway::Method').filter(
      ([, method]) => method.Properties.HttpMethod === 'OPTIONS',
    );
    expect(preflights.length).toBeGreaterThan(0);
    for (const [, { Properties: method }] of preflights) {
      const [answer] = method.Integration.IntegrationResponses;
      const [declared] = method.MethodResponses;
      for (const [name, value] of Object.entries(API_RESPONSE_HEADERS)) {
        expect(answer.ResponseParameters[`method.response.header.${name}`]).toBe(`'${value}'`);
        expect(declared.ResponseParameters[`method.response.header.${name}`]).toBe(true);
        expect(answer.StatusCode).toBe(declared.StatusCode);
      }
    }
  });

  it('apply the stage throttling to every method, the MOCK preflights included, as the local gateway does', () => {
    const [, stage] = resourcesOf(one.api, 'AWS::ApiGateway::Stage')[0] ?? [];
    expect(stage?.Properties.MethodSettings).toContainEqual(
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        ThrottlingRateLimit: expect.any(Number),
      }),
    );
  });
});

describe('the cursor key', () => {
  const secrets = () =>
    resourcesOf(one.api, 'AWS::SecretsManager::Secret').filter(([id]) => id.startsWith('Cursors'));
  const fnVars = (prefix: string) =>
    resourcesOf(one.api, 'AWS::Lambda::Function').find(([id]) => id.startsWith(prefix))?.[1].Properties
      .Environment.Variables;

  it('is a secret generated at deploy time, named to the task function by its ARN only', () => {
    const [id, secret] = only(secrets());
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(fnVars('TasksFunction').CURSOR_KEY_SECRET_ARN).toEqual({ Ref: id });
    expect(Object.keys(fnVars('TasksFunction'))).not.toContain('CURSOR_KEY');
    expect(JSON.stringify(fnVars('AuthorizerFunction'))).not.toContain(id);
  });

  it('may be read by the task function alone', () => {
    const [id] = only(secrets());
    const readers = resourcesOf(one.api, 'AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(policy.Properties.PolicyDocument).includes(`"Ref":"${id}"`))
      .flatMap(([, policy]) => policy.Properties.Roles.map((role: { Ref: string }) => role.Ref));
    expect(readers).toHaveLength(1);
    expect(readers[0]).toMatch(/^TasksFunction/);
  });
});
