/**
 * Runs a sweep on a node-cron schedule, never two at once in this process, logging a failure
 * instead of letting it escape (a failed sweep is retried by the next tick).
 */
import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../lib/log.ts';

export function every(opts: { cron: string; name: string; log: Logger; timezone?: string; run: () => Promise<unknown> }): ScheduledTask {
  return cron.schedule(
    opts.cron,
    async () => {
      try {
        await opts.run();
      } catch (error) {
        opts.log.error({ err: error, job: opts.name }, 'scheduled job failed');
      }
    },
    { name: opts.name, noOverlap: true, ...(opts.timezone ? { timezone: opts.timezone } : {}) },
  );
}

/**
 * One sweep over due work: takes batches of due items and applies each until a batch comes back
 * short. An item another instance changed first (`apply` returns false) ends the sweep; the next
 * scheduled sweep looks at it again, so a contested item can never keep this loop spinning.
 * It yields to the event loop between items: on SQLite every statement runs synchronously inside
 * its promise, so a batch of 200 applied back to back would hold every customer's turn until the
 * batch ends; between items, waiting turns and I/O go first.
 */
export async function sweepDue<T>(opts: {
  due: (limit: number) => Promise<T[]>;
  apply: (item: T) => Promise<boolean>;
  batch: number;
  /**
   * Items applied at once (default 1). Each apply is its own short transaction, so on PostgreSQL
   * several overlap on the pool's connections; SQLite's adapter runs them one after another.
   */
  concurrency?: number;
  /** A guard against a store that keeps returning full batches. */
  maxRounds?: number;
}): Promise<{ applied: number; skipped: number }> {
  let applied = 0;
  let skipped = 0;
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  for (let round = 0; round < (opts.maxRounds ?? 10_000); round += 1) {
    const due = await opts.due(opts.batch);
    for (let i = 0; i < due.length; i += concurrency) {
      const outcomes = await Promise.all(due.slice(i, i + concurrency).map((item) => opts.apply(item)));
      for (const ok of outcomes) {
        if (ok) applied += 1;
        else skipped += 1;
      }
      await nextLoopTurn();
    }
    if (due.length < opts.batch || skipped > 0) break;
  }
  return { applied, skipped };
}
