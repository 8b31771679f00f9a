/**
 * When the board asks the API again: often while the page is visible, rarely while it is hidden, less and
 * less often while the API cannot be reached, and at once when the page comes back (focus, visibility,
 * the network returning). One request at a time; a request asked for during one runs right after it.
 */
export const POLL_TIMING = Object.freeze({
  /** While visible. With the feed's settle horizon (5 s) a change elsewhere shows within about 8 s. */
  visibleMs: 3_000,
  /** While hidden: a background tab costs one request a minute, and catches up at once when shown. */
  hiddenMs: 60_000,
  /** Failures double the wait, up to this. */
  maxBackoffMs: 60_000,
});

/** The wait before the next request, after `failures` failed ones in a row. */
export function nextDelayOf(visible: boolean, failures: number): number {
  const base = visible ? POLL_TIMING.visibleMs : POLL_TIMING.hiddenMs;
  return Math.min(base * 2 ** failures, Math.max(base, POLL_TIMING.maxBackoffMs));
}

export interface LiveSync {
  /** Runs the request now (or right after the one under way), then resumes the schedule. */
  now(): void;
  stop(): void;
}

/** Starts the schedule; `tick` throws to report a failure. `onSettled` hears how each request ended. */
export function startLiveSync(
  tick: () => Promise<void>,
  onSettled: (failures: number, retryInMs: number) => void,
): LiveSync {
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
    if (!stopped) onSettled(failures, delay);
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
