/**
 * A stage name: the first path segment of every URL (`/dev/tasks`), and part of every name the CDK app
 * derives from it (stacks, the Cognito domain). Lowercase letters, digits and inner hyphens suit all of
 * them; infra/config.ts also checks the length each derived name allows.
 */
export const STAGE_PATTERN = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;

export const STAGE_RULE =
  'lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen';
