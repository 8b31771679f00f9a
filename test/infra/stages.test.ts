import { beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../src/auth/principal.js';
import { nagViolations, only, type Resource, resourcesOf, type Synthesized, synthesize } from './synth.js';
import { contextOf } from './variants.js';

/**
 * The other variants, synthesized without bundling (templates only): a prod stage in jwt mode. One synth
 * covers both differences, since the stage decides retention and authMode decides the credentials.
 */
let s: Synthesized;
beforeAll(() => {
  s = synthesize(
    contextOf('prod', { authMode: 'jwt', corsOrigins: 'https://app.example,https://admin.example' }),
    false,
  );
}, 120_000);

const authorizerOf = (): Resource =>
  only(resourcesOf(s.api, 'AWS::Lambda::Function').filter(([id]) => id.startsWith('AuthorizerFunction')))[1];

describe('a prod stage', () => {
  it('passes cdk-nag with no unacknowledged finding', () => {
    expect(nagViolations(s.outdir)).toEqual([]);
  });

  it('retains its table, with deletion protection', () => {
    s.table.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    const replicas = only(resourcesOf(s.table, 'AWS::DynamoDB::GlobalTable'))[1].Properties.Replicas;
    expect(replicas[0].DeletionProtectionEnabled).toBe(true);
  });

  it('retains its logs and its user pool', () => {
    for (const [, group] of resourcesOf(s.api, 'AWS::Logs::LogGroup'))
      expect(group.DeletionPolicy).toBe('Retain');
    expect(only(resourcesOf(s.api, 'AWS::Cognito::UserPool'))[1].DeletionPolicy).toBe('Retain');
  });

  it('serves the stage named in context', () => {
    s.api.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
    expect(s.service.api.stackName).toBe('TaskService-prod-Api');
  });

  it('echoes a listed origin on gateway errors, since gateway responses cannot choose from a list', () => {
    for (const [, response] of resourcesOf(s.api, 'AWS::ApiGateway::GatewayResponse'))
      expect(
        response.Properties.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin'],
      ).toBe('method.request.header.Origin');
    const vars = only(
      resourcesOf(s.api, 'AWS::Lambda::Function').filter(([id]) => id.startsWith('TasksFunction')),
    )[1].Properties.Environment.Variables;
    expect(vars.CORS_ALLOWED_ORIGINS).toBe('https://app.example,https://admin.example');
  });
});

describe('jwt mode', () => {
  it('creates a user pool with a resource server whose scopes are exactly the route scopes', () => {
    const server = only(resourcesOf(s.api, 'AWS::Cognito::UserPoolResourceServer'))[1].Properties;
    expect(server.Identifier).toBe('tasks');
    expect(server.Scopes.map((scope: { ScopeName: string }) => `tasks/${scope.ScopeName}`)).toEqual([
      ...SCOPES,
    ]);
  });

  it('has a machine client (client credentials, with a secret) and a user client (code + PKCE, no secret)', () => {
    const clients = resourcesOf(s.api, 'AWS::Cognito::UserPoolClient').map(([, c]) => c.Properties);
    const machine = only(clients.filter((c) => c.AllowedOAuthFlows?.includes('client_credentials')));
    const user = only(clients.filter((c) => c.AllowedOAuthFlows?.includes('code')));
    expect(machine.GenerateSecret).toBe(true);
    expect(machine.AllowedOAuthFlows).toEqual(['client_credentials']);
    expect(user.GenerateSecret).toBe(false);
    expect(user.AllowedOAuthFlows).toEqual(['code']);
    expect(user.AllowedOAuthScopes).toContain('openid');
  });

  it('gives the authorizer the issuer, the JWKS URL and the client ids', () => {
    const vars = authorizerOf().Properties.Environment.Variables;
    expect(vars.AUTH_MODE).toBe('jwt');
    // ProviderURL is https://cognito-idp.<region>.amazonaws.com/<pool id>, the `iss` of its tokens.
    expect(vars.JWT_ISSUER).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^AuthUsers/), 'ProviderURL'] });
    expect(JSON.stringify(vars.JWT_JWKS_URL)).toContain('/.well-known/jwks.json');
    expect(JSON.stringify(vars.JWT_CLIENT_IDS)).toMatch(/MachineClient.*UserClient/);
  });

  it('wires the pool to the authorizer only, and creates no tokens secret', () => {
    const poolUsers = Object.entries(s.api.toJSON().Resources as Record<string, Resource>)
      .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
      .filter(([, resource]) => JSON.stringify(resource).includes('AuthUsers'))
      .map(([id]) => id);
    expect(poolUsers).toHaveLength(1);
    expect(poolUsers[0]).toMatch(/^AuthorizerFunction/);
    // The one secret is the task function's cursor key (test/infra/api-edge.test.ts), in either mode.
    const secrets = resourcesOf(s.api, 'AWS::SecretsManager::Secret').map(([id]) => id);
    expect(secrets).toEqual([expect.stringMatching(/^Cursors/)]);
    for (const [, policy] of resourcesOf(s.api, 'AWS::IAM::Policy')) {
      const text = JSON.stringify(policy);
      expect(text).not.toMatch(/cognito/);
      if (/secretsmanager/.test(text)) expect(text).toMatch(/"Ref":"Cursors/);
    }
  });

  it('requires MFA and a strong password policy for users', () => {
    s.api.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: true, RequireUppercase: true } },
    });
  });

  it('outputs the token endpoint and the client ids', () => {
    const outputs = Object.keys(s.api.toJSON().Outputs as object);
    expect(outputs).toEqual(
      expect.arrayContaining(['ApiUrl', 'TokenEndpoint', 'MachineClientId', 'ReadClientSecretCommand']),
    );
    expect(outputs).not.toContain('TokenSecretName');
  });
});
