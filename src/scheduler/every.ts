/**
 * Runs a sweep on a node-cron schedule, never two at once in this process, logging a failure
 * instead of letting it escape (a failed sweep is retried by the next tick).
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.ts';

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
