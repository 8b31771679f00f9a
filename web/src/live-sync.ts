/**
 * When the board asks the API again: often while the page is visible, rarely while it is hidden, less and
 * less often while the API cannot be reached, and at once when the page comes back (focus, visibility,
 * the network returning). One request at a time; a request asked for during one runs right after it.
 */
import { nextDelayOf } from './poll-timing.js';

export interface LiveSync {
  /** Runs the request now (or right after the one under way), then resumes the schedule. */
  now(): void;
  stop(): void;
}

/** Starts the schedule; `tick` throws to report a failure, which lengthens the wait before the next. */
export function startLiveSync(tick: () => Promise<void>): LiveSync {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let stopped = false;
  let failures = 0;
  const visible = () => document.visibilityState === 'visible';

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(run, ms);
  };
  async function run(): Promise<void> {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(timer);
    try {
      await tick();
      failures = 0;
    } catch {
      failures++;
    }
    running = false;
    const delay = again ? 0 : nextDelayOf(visible(), failures);
    again = false;
    schedule(delay);
  }
  const catchUp = () => {
    if (visible()) void run();
  };
  document.addEventListener('visibilitychange', catchUp);
  window.addEventListener('focus', catchUp);
  window.addEventListener('online', catchUp);
  void run();
  return {
    now: () => void run(),
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', catchUp);
      window.removeEventListener('focus', catchUp);
      window.removeEventListener('online', catchUp);
    },
  };
}
