/**
 * One `npm start` per data folder: a lock file that holds its owner's pid, created exclusively (`wx`). A
 * lock whose owner is gone (killed with -9, the machine restarted) is stale: the next start takes it over.
 *
 * Not proper-lockfile: it judges a lock stale by its age, refreshed on a timer, so a server killed with -9
 * would block the next start for the stale period, and a busy server whose event loop stalls past it would
 * find its lock "compromised" and stop; it also cannot say who holds the lock. A pid answers both, and
 * LevelDB's own OS-level lock on the table's files stays behind it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'server.lock';

/** The data folder is held by a running server. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number | undefined,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by another npm start${pid ? ` (pid ${pid})` : ''}: stop that one, or set DATA_DIR to another folder (and PORT and APP_PORT, or 0 for any free port)`,
    );
  }
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // it exists, run by another user
  }
};

const ownerOf = (file: string): number | undefined => {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/** Takes the data folder for this process until it exits, or throws DataDirInUseError. */
export function lockDataDir(dataDir: string, label = dataDir): { release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(file);
      if (attempt > 0 || (owner !== undefined && isRunning(owner))) throw new DataDirInUseError(label, owner);
      rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  const release = () => {
    if (ownerOf(file) === process.pid) rmSync(file, { force: true });
  };
  process.once('exit', release);
  return { release };
}
