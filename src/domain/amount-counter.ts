/**
 * Counts of stored amounts on the hot path (tasks per list, subtasks per task), kept cheap far from their
 * caps and exact near them (docs/operate.md, "The cost of the caps"):
 * - far from the cap, a create adds `k` with probability 1/k and a delete takes `k` off likewise, so the
 *   count is an unbiased estimate that costs 1/k of a write per create or delete;
 * - within `margin(cap)` of the cap, each create first adds 1 under the condition `count < cap` and each
 *   delete takes 1 off, so the counter never passes the cap, and concurrent creates cannot overshoot it.
 * After n sampled changes the estimate's standard deviation is √(n·(k−1)); the margin is eight of them at
 * the cap, so the switch to exact counting happens, all but surely, before the true amount gets there.
 */
import { LimitReachedError } from './errors.js';
import { type Limits, limitMessage } from './limits.js';
import type { ListRef } from './task-list.js';

/** What is counted: a list's tasks (subtasks included), or one task's subtasks. */
export interface CounterKey {
  readonly list: ListRef;
  readonly parentId?: string;
}

/** The port: one small item per counted thing. */
export interface AmountCounter {
  /** The current count (0 when never counted). */
  read(key: CounterKey): Promise<number>;
  /** Moves the count, unconditionally. */
  add(key: CounterKey, delta: number): Promise<void>;
  /** Adds 1 when the count is below `cap`; otherwise changes nothing and answers the count. */
  claim(key: CounterKey, cap: number): Promise<{ ok: true } | { ok: false; count: number }>;
}

/** The sampling step far from the cap: a sixteenth of a write per create or delete. */
export const SAMPLE_STEP = 16;

/** How far below the cap counting turns exact: eight standard deviations of the estimate at the cap. */
export const exactMargin = (cap: number, k: number = SAMPLE_STEP): number =>
  Math.ceil(8 * Math.sqrt(cap * (k - 1)));

/** True when `count` is close enough to `cap` that every change must be counted exactly. */
export const nearCap = (count: number, cap: number, k: number = SAMPLE_STEP): boolean =>
  count >= cap - exactMargin(cap, k);

/**
 * Subtasks are counted exactly from the first: a subtask's create already reads its parent, subtasks are a
 * small share of writes, and a cap of 2,000 would turn exact at 614 anyway, after a sampled phase whose
 * error (± 96, one standard deviation) would stay in the count. Tasks per list are sampled far from the cap.
 */
const ALWAYS_EXACT: readonly CountedLimit[] = ['subtasksPerTask'];

const exactFor = (limit: CountedLimit, count: number, cap: number): boolean =>
  ALWAYS_EXACT.includes(limit) || nearCap(count, cap);

/** A counted amount and the cap it answers to. */
export type Counted = readonly [CounterKey, CountedLimit];
export type CountedLimit = 'tasksPerList' | 'subtasksPerTask';

export interface CapsDeps {
  readonly counts: AmountCounter;
  readonly limits: Limits;
  /** Uniform in [0, 1): the sampling's coin (`Math.random` unless a test fixes it). */
  readonly random: () => number;
}

/** The counts' two moves: `admit` before tasks are stored, `release` after they are deleted. */
export function makeCaps({ counts, limits, random }: CapsDeps) {
  /** `n` changes of one each, sampled: k with probability 1/k each. */
  async function sample(key: CounterKey, n: number, sign: 1 | -1): Promise<void> {
    let delta = 0;
    for (let i = 0; i < n; i++) if (random() < 1 / SAMPLE_STEP) delta += SAMPLE_STEP;
    if (delta > 0) await counts.add(key, sign * delta);
  }

  return {
    /**
     * Counts `n` new tasks into each amount before they are stored: near a cap, exact claims, and a
     * `LimitReachedError` past it with nothing stored. Answers what to call once they are stored (the
     * sampled counts far from the caps), or, if the write failed, `undo`.
     */
    async admit(amounts: readonly Counted[], n = 1) {
      const current = await Promise.all(amounts.map(([key]) => counts.read(key)));
      const near = amounts.map(([, limit], i) => exactFor(limit, current[i] ?? 0, limits[limit]));
      const claimed: CounterKey[] = [];
      const undo = async () => {
        for (const key of claimed) await counts.add(key, -1);
      };
      try {
        for (const [i, [key, limit]] of amounts.entries()) {
          if (!near[i]) continue;
          for (let j = 0; j < n; j++) {
            const claim = await counts.claim(key, limits[limit]);
            if (!claim.ok)
              throw new LimitReachedError(limit, limitMessage(limit, claim.count, limits[limit]));
            claimed.push(key);
          }
        }
      } catch (error) {
        await undo();
        throw error;
      }
      return {
        stored: async () => {
          for (const [i, [key]] of amounts.entries()) if (!near[i]) await sample(key, n, 1);
        },
        undo,
      };
    },

    /** Counts `n` deleted tasks off each amount: exactly near its cap, sampled far from it. */
    async release(amounts: readonly Counted[], n = 1): Promise<void> {
      for (const [key, limit] of amounts) {
        if (exactFor(limit, await counts.read(key), limits[limit])) await counts.add(key, -n);
        else await sample(key, n, -1);
      }
    },
  };
}

export type Caps = ReturnType<typeof makeCaps>;
