import { describe, expect, it } from 'vitest';
import { hostedLogoutUrl, signedOutUrlOf } from './app-config.js';

const login = {
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
  domain: 'https://task-service-dev-123456789012.auth.eu-west-1.amazoncognito.com',
  clientId: '4example0client0id',
  scopes: 'openid tasks/read tasks/write',
};

describe("the web app's sign-out from the hosted login", () => {
  it("sends the browser to Cognito's logout with the client and the app's signed-out page", () => {
    const url = hostedLogoutUrl(login, 'https://d111111abcdef8.cloudfront.net');
    expect(`${url.origin}${url.pathname}`).toBe(`${login.domain}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: login.clientId,
      logout_uri: 'https://d111111abcdef8.cloudfront.net/',
    });
  });

  it('returns to exactly the URL the stack registers for the callback of the same origin', () => {
    const origin = 'http://localhost:8080';
    const registered = signedOutUrlOf(`${origin}/callback`);
    expect(hostedLogoutUrl(login, origin).searchParams.get('logout_uri')).toBe(registered);
  });

  it('registers no sign-out URL for a callback that is not the app’s', () => {
    expect(signedOutUrlOf('https://example.com/oauth/return')).toBeUndefined();
  });
});
