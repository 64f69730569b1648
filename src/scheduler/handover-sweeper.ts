/**
 * The handover sweep (issue #15 musts 2-3): every minute it re-posts each unclaimed handover whose
 * deadline passed one level up (front desk -> department head -> general manager, as a 轻微
 * complaint climbs), and ends each claimed handover quiet for the idle time (an unclaimed one keeps
 * waiting for its person, as the customer was promised), with a note to the room and
 * to the customer, whose conversation goes back to the bot. Several instances may run it: each
 * change is conditional on the handover's version.
 */
import type { ScheduledTask } from 'node-cron';
import type { ComplaintSettings } from '../domain/complaints/settings.ts';
import { answerBy, isIdle, nextLevel, type HandoverPolicy } from '../domain/handover/rules.ts';
import { backMessage, handoverPost } from '../features/handover/messages.ts';
import type { Clock } from '../domain/clock.ts';
import { messages, type Messages } from '../i18n/index.ts';
import type { Logger } from '../lib/log.ts';
import { every, sweepDue } from './every.ts';
import type { HandoverUpdate, HandoverView } from '../contracts/records.ts';
import { handoverStatePrefix, IDLE_STATE_JSON } from '../contracts/state.ts';
import type { Company } from '../contracts/company.ts';
import { HANDOVER_KINDS } from '../contracts/outbox.ts';

interface SweeperStore {
  unclaimedDue(now: Date, limit: number): Promise<HandoverView[]>;
  quietSince(before: Date, limit: number): Promise<HandoverView[]>;
  apply(update: HandoverUpdate, now: Date): Promise<boolean>;
}

interface HandoverSweeperOptions {
  store: SweeperStore;
  company: Company;
  complaints: ComplaintSettings;
  policy: HandoverPolicy;
  clock: Clock;
  log: Logger;
  /** The catalog staff posts are written in. */
  m: Messages;
  batchSize?: number;
}

export class HandoverSweeper {
  readonly #o: HandoverSweeperOptions;
  #task: ScheduledTask | undefined;

  constructor(options: HandoverSweeperOptions) {
    this.#o = options;
  }

  /** An unclaimed handover past its deadline: posted one level up, with a new deadline (none at the top). */
  escalation(h: HandoverView, now: Date): HandoverUpdate {
    const { company, complaints, policy, m } = this.#o;
    const level = nextLevel(h.level);
    if (!level) return { id: h.id, version: h.version, change: { nextDeadlineAt: null }, outbox: [] };
    const { by } = answerBy({ now, deskHours: company.deskHours ?? company.serviceHours, zone: company.timeZone, policy });
    const room = complaints.rooms[level];
    const post = handoverPost({ m, company, h, room: room.channel, by, header: m.handoverEscalated({ number: h.number, level: m.levelLabel[level] }), now });
    return {
      id: h.id,
      version: h.version,
      change: { level, nextDeadlineAt: nextLevel(level) ? by : null, roomChannel: room.channel, roomChatId: room.chatId },
      outbox: [{ ...room, kind: HANDOVER_KINDS.post, dedupeKey: `handover:${h.number}:post:${level}`, message: post }],
    };
  }

  /** A quiet handover: ended, the room and the customer told, the customer's chat back with the bot. */
  idleEnd(h: HandoverView, now: Date): HandoverUpdate {
    const { policy, m } = this.#o;
    const minutes = Math.round(policy.idleMs / 60_000);
    const cm = messages(h.locale === 'en' ? 'en' : 'zh');
    return {
      id: h.id,
      version: h.version,
      change: { status: 'ended', endedAt: now, endedBy: 'idle', nextDeadlineAt: null },
      outbox: [
        { channel: h.roomChannel, chatId: h.roomChatId, kind: 'notice', dedupeKey: `handover:${h.number}:ended`, message: { text: m.handoverIdlePost({ number: h.number, minutes }) } },
        { channel: h.channel, chatId: h.chatId, kind: HANDOVER_KINDS.out, dedupeKey: `handover:${h.number}:idle`, message: backMessage(cm, cm.handoverIdleCustomer({ minutes })) },
      ],
      conversation: { channel: h.channel, chatId: h.chatId, fromPrefix: handoverStatePrefix(h.number), to: IDLE_STATE_JSON },
    };
  }

  /** One pass: quiet handovers end, then unclaimed ones past their deadline climb a level. */
  async sweep(): Promise<{ ended: number; escalated: number }> {
    const { store, clock, log, policy } = this.#o;
    const now = clock.now();
    const batch = this.#o.batchSize ?? 100;
    const ended = await sweepDue({
      due: (limit) => store.quietSince(new Date(now.getTime() - policy.idleMs), limit),
      batch,
      maxRounds: 1000,
      apply: (h) => (isIdle(h.lastActivityAt, now, policy) ? store.apply(this.idleEnd(h, now), now) : Promise.resolve(false)),
    });
    const escalated = await sweepDue({
      due: (limit) => store.unclaimedDue(now, limit),
      batch,
      maxRounds: 1000,
      apply: (h) => store.apply(this.escalation(h, now), now),
    });
    const result = { ended: ended.applied, escalated: escalated.applied };
    if (result.ended || result.escalated) log.info(result, 'handovers swept');
    return result;
  }

  /** Sweeps on `schedule` (node-cron; SWEEP_SCHEDULE), never two sweeps at once in this process. */
  start(schedule: string): void {
    this.#task = every({ cron: schedule, name: 'handovers', log: this.#o.log, run: () => this.sweep() });
  }

  async stop(): Promise<void> {
    await this.#task?.destroy();
    this.#task = undefined;
  }
}
