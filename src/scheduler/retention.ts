/**
 * The daily retention job (DOMAIN §5; China's Personal Information Protection Law: personal data
 * kept only as long as needed). With the company file's `retention` periods, at 03:30 company time:
 * inbound message ids are deleted after 90 days; conversations untouched for a year have their
 * state reset and delivered messages older than that are deleted; customers whose last service was
 * 3 years ago are erased as on their own request (name, phone, address, texts, identity), keeping
 * the anonymised bookings, complaints and surveys the reports count.
 *
 * Safe on several instances: every statement is idempotent (a customer already erased is not
 * selected again), so instances running it at the same time do the work once between them.
 */
import type { ScheduledTask } from 'node-cron';
import type { Clock } from '../domain/clock.ts';
import { retentionCutoffs, type RetentionPolicy } from '../domain/retention.ts';
import type { Logger } from '../lib/log.ts';
import { every, sweepDue } from './every.ts';

/** What the job needs from the database (src/store/retention.ts). */
interface RetentionStore {
  deleteInbound(before: Date): Promise<number>;
  resetConversations(before: Date): Promise<number>;
  deleteDelivered(before: Date): Promise<number>;
  dueForErasure(before: Date, limit: number): Promise<number[]>;
  erase(customerId: number, at: Date): Promise<void>;
}

interface RetentionSummary {
  inbound: number;
  conversations: number;
  delivered: number;
  customers: number;
}

export class RetentionJob {
  #task: ScheduledTask | undefined;

  constructor(private readonly o: { store: RetentionStore; policy: RetentionPolicy; clock: Clock; log: Logger; batch?: number }) {}

  /** One pass at the clock's `now`. */
  async run(): Promise<RetentionSummary> {
    const { store, clock, log } = this.o;
    const now = clock.now();
    const cut = retentionCutoffs(this.o.policy, now);
    const inbound = await store.deleteInbound(cut.inboundBefore);
    const conversations = await store.resetConversations(cut.conversationBefore);
    const delivered = await store.deleteDelivered(cut.conversationBefore);
    const { applied: customers } = await sweepDue({
      due: (limit) => store.dueForErasure(cut.customerBefore, limit),
      apply: async (id) => {
        await store.erase(id, now);
        return true;
      },
      batch: this.o.batch ?? 100,
    });
    const summary = { inbound, conversations, delivered, customers };
    if (inbound + conversations + delivered + customers > 0) log.info(summary, 'retention applied');
    return summary;
  }

  /** Daily at `cron` (default 03:30) in the company zone. */
  start(opts: { timezone: string; cron?: string }): void {
    this.#task = every({ cron: opts.cron ?? '30 3 * * *', name: 'retention', log: this.o.log, timezone: opts.timezone, run: () => this.run() });
  }

  async stop(): Promise<void> {
    await this.#task?.destroy();
    this.#task = undefined;
  }
}
