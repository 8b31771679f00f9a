/**
 * How `npm start` writes its logs (LOG_FORMAT): what a person at a terminal wants differs from what jq, a
 * file or a log shipper wants. The functions' own lines come from their telemetry (src/lambda/telemetry.ts),
 * steered by the environment it reads, as in Lambda; the access line is the local server's.
 */
import { type LOG_FORMATS, LOG_LEVELS, VARIABLES as V } from '../settings/variables.js';
import type { AccessLogEntry } from './gateway.js';

/**
 * `short`: one line per request (method, path, status, ms), and the functions' warnings and errors.
 * `json`: every line as one JSON object (what CloudWatch gets). `pretty`: the same, indented.
 */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Unset: short at a terminal, JSON when piped. */
export const logFormatOf = (setting: LogFormat | undefined, isTTY: boolean | undefined): LogFormat =>
  setting ?? (isTTY ? 'short' : 'json');

type Level = (typeof LOG_LEVELS)[number];
const severity = (level: Level) => LOG_LEVELS.indexOf(level);

/** The telemetry's environment for a format: the level (at least WARN when short), indentation, metrics. */
export function telemetryEnv(format: LogFormat, logLevel: Level): Record<string, string> {
  const short = format === 'short';
  return {
    [V.logLevelOfFunctions.name]: short && severity(logLevel) < severity('WARN') ? 'WARN' : logLevel,
    [V.devLogs.name]: String(format === 'pretty'),
    // Powertools silences metrics in dev mode; locally the EMF lines are the way to see them, except when short.
    [V.metricsDisabled.name]: String(short),
  };
}

/** The access line of a request: `GET /dev/tasks 200 3.1 ms` when short, else a JSON object. */
export function accessLineOf(format: LogFormat): (entry: AccessLogEntry) => string {
  if (format === 'short')
    return ({ method, path, status, latencyMs }) =>
      `${method || '-'} ${path || '-'} ${status} ${latencyMs.toFixed(1)} ms`;
  return (entry) => JSON.stringify({ type: 'access', ...entry });
}
