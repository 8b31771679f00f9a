/**
 * What a principal id may be: a token's name, or a JWT's `sub` (Auth0's `auth0|…` included). Principal ids
 * become part of DynamoDB keys, so every source of identity holds them to one safe alphabet (no `#`, the
 * key separator) and length; the handler checks it again before any store call, and a member route refuses
 * anything else before any read.
 */
export const PRINCIPAL_ID_PATTERN = /^[A-Za-z0-9._@:+|=-]{1,128}$/;

/** The alphabet in words, for messages and docs. */
export const PRINCIPAL_ID_RULE = '1 to 128 of A-Z a-z 0-9 . _ @ : + | = -';
