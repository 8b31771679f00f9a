/**
 * The command line of `npm run bench` and `npm run soak`: `--help` prints the usage, and a wrong option is
 * one line and the usage (exit 2), never a stack trace.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
const HELP = { help: { type: 'boolean', short: 'h', default: false } } as const;

export function readCommandLine<const O extends Options>(command: string, usage: string, options: O) {
  const fail = (message: string): never => {
    console.error(`npm run ${command}: ${message}\n\n${usage}`);
    process.exit(2);
  };
  let values: ReturnType<typeof parseArgs<{ options: O & typeof HELP }>>['values'];
  try {
    values = parseArgs({ options: { ...options, ...HELP } }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
  if ((values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return { values, fail };
}
