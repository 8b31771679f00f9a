// Copies files into a Lambda asset during bundling: `node copy-files.mjs <from-dir> <to-dir> <file>...`.
// CDK's command hooks return shell commands; Node's own fs calls instead of `mkdir -p` and `cp` make them
// work in any shell (bash, sh, cmd.exe) and from any path (spaces, non-ASCII characters, drive letters).
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [from, to, ...files] = process.argv.slice(2);
if (!from || !to || files.length === 0)
  throw new Error('usage: copy-files.mjs <from-dir> <to-dir> <file>...');
mkdirSync(to, { recursive: true });
for (const file of files) copyFileSync(join(from, file), join(to, file));
