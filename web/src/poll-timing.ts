/**
 * How often the board asks the change feed, by the page's state (live-sync.ts keeps the schedule). With the
 * feed's settle horizon, this sets how soon a change made elsewhere shows: docs/web-app.md gives the figures.
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
