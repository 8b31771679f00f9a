import { Aws, CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { FeaturePlan, Mfa, OAuthScope, ResourceServerScope, UserPool } from 'aws-cdk-lib/aws-cognito';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { SCOPES } from '../src/auth/principal.js';
import type { ResourceArns } from '../src/lambda/permissions.js';
import { authorizerEnvironment } from '../src/settings/function-env.js';
import { type HostedLogin, signedOutUrlOf } from '../src/web-app/app-config.js';

/** What the authorizer needs to know about its credentials, and nothing about the task function. */
export interface AuthMaterial {
  readonly environment: Record<string, string>;
  /** What the authorizer's calls (src/lambda/permissions.ts) are granted on: only it reads them. */
  readonly resourceArns: ResourceArns;
}

/** How long the authorizer keeps the token table before reading the secret again. */
export const TOKENS_CACHE_SECONDS = 60;

/**
 * Token mode: one Secrets Manager secret, generated at deploy time as `{"default":"<40 random chars>"}`
 * (principal id → token). Neither CloudFormation nor any environment ever holds the token, only the ARN.
 */
export class TokenSecret extends Construct implements AuthMaterial {
  readonly secret: Secret;
  readonly environment: Record<string, string>;
  readonly resourceArns: ResourceArns;

  constructor(scope: Construct, id: string, props: { stage: string; removeOnDestroy: boolean }) {
    super(scope, id);
    this.secret = new Secret(this, 'Tokens', {
      description: `Task service (${props.stage}): principal id → API token for the TOKEN authorizer`,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'default',
        passwordLength: 40,
        excludePunctuation: true,
      },
      removalPolicy: props.removeOnDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Static API tokens are handed to clients out of band, so an automatic rotation would lock them out; ' +
        'rotate by putting a new value (the authorizer rereads it within TOKENS_CACHE_SECONDS).',
    });
    this.resourceArns = { tokensSecretArn: this.secret.secretArn };
    this.environment = authorizerEnvironment({
      authMode: 'token',
      tokensSecretArn: this.secret.secretArn,
      tokensCacheSeconds: TOKENS_CACHE_SECONDS,
    });
    new CfnOutput(scope, 'TokenSecretName', { value: this.secret.secretName });
    // The ARN the deploy workflow's role may read (docs/operate.md): secretsmanager:GetSecretValue on it.
    new CfnOutput(scope, 'TokenSecretArn', { value: this.secret.secretArn });
    new CfnOutput(scope, 'ReadTokenCommand', {
      description: 'Prints {"default":"<token>"}; send the token raw in Authorization',
      value: `aws secretsmanager get-secret-value --region ${Aws.REGION} --secret-id ${this.secret.secretName} --query SecretString --output text`,
    });
  }
}

/**
 * The Cognito hosted-UI domain prefix of a stage: unique per region, hence the account id. Cognito allows
 * lowercase letters, digits and hyphens, at most 63, and none of the words aws, amazon or cognito.
 */
export const cognitoDomainPrefix = (stage: string, accountId: string): string =>
  `task-service-${stage}-${accountId}`;

export interface CognitoAuthProps {
  readonly stage: string;
  readonly removeOnDestroy: boolean;
  readonly callbackUrls: readonly string[];
}

/**
 * jwt mode: a Cognito user pool whose resource server `tasks` defines the scopes the authorizer maps to
 * routes (`tasks/read`, `tasks/write`), a machine client (client credentials) and a user client
 * (authorization code with PKCE, no secret). The authorizer only needs public URLs: no IAM grant at all.
 */
export class CognitoAuth extends Construct implements AuthMaterial {
  readonly userPool: UserPool;
  readonly environment: Record<string, string>;
  /** What the web app needs for the hosted login with the user client. */
  readonly hostedLogin: HostedLogin;

  constructor(scope: Construct, id: string, props: CognitoAuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.ESSENTIALS,
      removalPolicy: props.removeOnDestroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      deletionProtection: !props.removeOnDestroy,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus plan bills per monthly active user for threat protection; callers here are mostly machine ' +
        'clients (client credentials), which threat protection does not cover. Opt in per stage if needed.',
    });
    // Cognito names a custom scope `<identifier>/<name>`: identifier `tasks` gives exactly SCOPES.
    const scopeDefs = SCOPES.map(
      (scope) =>
        new ResourceServerScope({ scopeName: scope.replace(/^tasks\//, ''), scopeDescription: scope }),
    );
    const server = this.userPool.addResourceServer('Tasks', { identifier: 'tasks', scopes: scopeDefs });
    const scopes = scopeDefs.map((s) => OAuthScope.resourceServer(server, s));
    const domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: cognitoDomainPrefix(props.stage, Aws.ACCOUNT_ID) },
    });
    const machine = this.userPool.addClient('MachineClient', {
      generateSecret: true,
      oAuth: { flows: { clientCredentials: true }, scopes },
      accessTokenValidity: Duration.hours(1),
    });
    const user = this.userPool.addClient('UserClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, ...scopes],
        callbackUrls: [...props.callbackUrls],
        // Cognito's /logout returns only to a registered URL: each app callback's signed-out page.
        logoutUrls: props.callbackUrls.flatMap((url) => signedOutUrlOf(url) ?? []),
      },
      preventUserExistenceErrors: true,
    });
    const issuer = this.userPool.userPoolProviderUrl;
    this.hostedLogin = {
      issuer,
      domain: domain.baseUrl(),
      clientId: user.userPoolClientId,
      scopes: ['openid', ...SCOPES].join(' '),
    };
    this.environment = authorizerEnvironment({
      authMode: 'jwt',
      jwtIssuer: issuer,
      jwtJwksUrl: `${issuer}/.well-known/jwks.json`,
      jwtClientIds: [machine.userPoolClientId, user.userPoolClientId],
    });
    new CfnOutput(scope, 'TokenEndpoint', { value: `${domain.baseUrl()}/oauth2/token` });
    new CfnOutput(scope, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(scope, 'MachineClientId', { value: machine.userPoolClientId });
    new CfnOutput(scope, 'UserClientId', { value: user.userPoolClientId });
    new CfnOutput(scope, 'ReadClientSecretCommand', {
      description: 'Prints the machine client secret for the client-credentials flow',
      value: `aws cognito-idp describe-user-pool-client --region ${Aws.REGION} --user-pool-id ${this.userPool.userPoolId} --client-id ${machine.userPoolClientId} --query UserPoolClient.ClientSecret --output text`,
    });
  }

  /** Cognito's JWKS and issuer are public URLs: nothing to grant. */
  readonly resourceArns: ResourceArns = {};
}
