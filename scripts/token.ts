// Mints a local access token: `TOKEN=$(npm run -s token -- --sub alice)`. Only the token goes to stdout.
import { parseArgs } from 'node:util';
import { SCOPES } from '../src/auth/principal.js';
import { mintWithStoredKey } from '../src/local/issuer.js';
import { readLocalSettings } from '../src/local/settings.js';

const USAGE =
  'usage: npm run -s token -- --sub <principal> [--scope "tasks/read tasks/write"] [--expires <seconds>]';

async function main(): Promise<string> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      scope: { type: 'string', default: SCOPES.join(' ') },
      expires: { type: 'string', default: '3600' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return USAGE;
  if (!values.sub) throw new Error('--sub is required');
  const unknown = values.scope.split(/\s+/).filter((s) => s && !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0)
    process.stderr.write(`token: the service ignores unknown scopes: ${unknown.join(' ')}\n`);
  // The key is created if missing; the server started with AUTH_MODE=jwt reuses it, so tokens match.
  return mintWithStoredKey({
    dataDir: readLocalSettings(process.env).dataDir,
    sub: values.sub,
    scope: values.scope,
    expiresInSeconds: Number(values.expires),
  });
}

try {
  process.stdout.write(`${await main()}\n`);
} catch (error) {
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exitCode = 1;
}
