import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { committedContext } from '../../infra/app.js';
import { CONFIG_DEFAULTS, MAX_STAGE_LENGTH, readConfig, stageProblem } from '../../infra/stage-settings.js';
import { type Synthesized, synthesize } from './synth.js';
import { contextOf, renderedDomainPrefix } from './variants.js';

const configOf = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

describe('stage names', () => {
  it.each([
    ['an underscore', 'my_stage'],
    ['an upper-case letter', 'Dev'],
    ['a leading digit', '1dev'],
    ['a trailing hyphen', 'dev-'],
    ['a word Cognito reserves', 'laws'],
    ['one character too many', 'a'.repeat(MAX_STAGE_LENGTH + 1)],
  ])('refuses %s', (_what, stage) => {
    expect(stageProblem(stage)).toBeDefined();
    expect(() => configOf(contextOf(stage, {}))).toThrow(`CDK context 'stage'`);
  });

  it('allows lower-case letters, digits and inner hyphens up to the length the Cognito prefix leaves', () => {
    expect(MAX_STAGE_LENGTH).toBe(63 - 'task-service--123456789012'.length);
    for (const stage of ['dev', 'prod', 'feature-42', 'x'.repeat(MAX_STAGE_LENGTH)])
      expect(stageProblem(stage), stage).toBeUndefined();
  });
});

describe('per-stage settings', () => {
  it('are committed in cdk.json for the stages the docs and the workflow name', () => {
    const stages = committedContext().stages as Record<string, Record<string, unknown>>;
    expect(Object.keys(stages)).toEqual(expect.arrayContaining(['dev', 'prod']));
    const prod = { ...committedContext(), stage: 'prod' };
    // prod names no alarm address in the repository: whoever deploys it commits theirs (docs/operate.md).
    expect(() => configOf(prod)).toThrow(/Stage 'prod' keeps its data .* has no alarmEmail/);
    expect(configOf({ ...prod, alarmEmail: 'ops@example.com' }).retainData).toBe(true);
    expect(configOf(committedContext()).authMode).toBe(stages.dev?.authMode ?? CONFIG_DEFAULTS.authMode);
  });

  it('refuse a stage with no committed entry', () => {
    expect(() => configOf({ stage: 'nobody', stages: { dev: {} } })).toThrow("Stage 'nobody' has no entry");
  });

  it('refuse an unknown setting, so a typo cannot pass for a default', () => {
    expect(() => configOf(contextOf('dev', { authmode: 'jwt' }))).toThrow('unknown settings: authmode');
  });

  it('let -c override a setting for one command', () => {
    expect(
      configOf({ ...contextOf('dev', { authorizerCacheSeconds: 60 }), authorizerCacheSeconds: '0' }),
    ).toMatchObject({ authorizerCacheSeconds: 0 });
  });

  it('refuse -c authMode that differs from the committed mode, which would delete the pool or the secret', () => {
    const committedJwt = contextOf('dev', { authMode: 'jwt' });
    expect(() => configOf({ ...committedJwt, authMode: 'token' })).toThrow(/committed as authMode jwt/);
    expect(configOf({ ...committedJwt, authMode: 'jwt' }).authMode).toBe('jwt');
    expect(configOf(committedJwt).authMode).toBe('jwt');
  });

  it('allow a one-off mode change only when asked for explicitly', () => {
    const context = {
      ...contextOf('dev', { authMode: 'token' }),
      authMode: 'jwt',
      allowAuthModeChange: 'true',
    };
    expect(configOf(context).authMode).toBe('jwt');
  });
});

describe('alarms and sign-in callbacks', () => {
  it('refuse a stage that retains data without an alarm e-mail, naming the setting', () => {
    expect(() => configOf(contextOf('live', { retainData: true }))).toThrow(
      "Stage 'live' keeps its data (retainData) but has no alarmEmail, so its alarms would reach no one: " +
        'commit stages.live.alarmEmail in cdk.json',
    );
    expect(configOf(contextOf('live', { retainData: true, alarmEmail: 'a@b.example' })).alarmEmail).toBe(
      'a@b.example',
    );
    expect(configOf(contextOf('dev', {})).alarmEmail).toBe('');
  });

  it('refuse an alarm e-mail that is not one address', () => {
    for (const alarmEmail of ['ops', 'a@b.example,c@d.example', 'a b@c.example'])
      expect(() => configOf(contextOf('dev', { alarmEmail }))).toThrow("CDK context 'alarmEmail'");
  });

  it('give a stage without data the local callback, and one with data none unless it names some', () => {
    expect(configOf(contextOf('dev', {})).callbackUrls).toEqual([CONFIG_DEFAULTS.callbackUrls]);
    expect(configOf(contextOf('prod', {})).callbackUrls).toEqual([]);
    const listed = 'https://app.example/callback,https://admin.example/callback';
    expect(configOf(contextOf('prod', { callbackUrls: listed })).callbackUrls).toEqual(listed.split(','));
    expect(configOf(contextOf('dev', { callbackUrls: '' })).callbackUrls).toEqual([]);
  });

  it('refuse jwt mode with neither the web app nor a callback, which Cognito’s code flow needs', () => {
    expect(() => configOf(contextOf('prod', { authMode: 'jwt', webApp: false }))).toThrow(
      /needs callbackUrls: commit stages.prod.callbackUrls/,
    );
  });
});

describe.each(['token', 'jwt'] as const)('the longest stage name allowed, in %s mode', (authMode) => {
  const stage = `s${'0'.repeat(MAX_STAGE_LENGTH - 1)}`;
  let s: Synthesized;
  beforeAll(() => {
    s = synthesize(contextOf(stage, { authMode }), false);
  }, 120_000);

  it('synthesizes, with every derived name inside its service’s limit', () => {
    expect(s.service.api.stackName).toBe(`TaskService-${stage}-Api`);
    s.api.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: stage });
    const prefix = renderedDomainPrefix(s);
    if (authMode === 'jwt') expect(prefix?.length).toBe(63);
    else expect(prefix).toBeUndefined();
  });
});
