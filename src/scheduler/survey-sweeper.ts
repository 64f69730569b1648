/**
 * The survey sweep (DOMAIN §3 When): every minute it finds surveys whose next action is due by
 * the `dueAt` index and sends the first message (outside quiet hours, as scheduled), the one
 * reminder, or, when the survey is still unfinished, hands it to the front desk as a phone task,
 * so every completed service is called back within three days. Several schedulers may sweep one
 * database: each claims its own due surveys for a lease (taken over if it dies), and each change
 * is conditional on the survey's version, so a survey is sent once.
 */
import type { ScheduledTask } from 'node-cron';
import type { ComplaintSettings } from '../domain/complaints/settings.ts';
import { openStep, surveyMessage } from '../features/survey/messages.ts';
import { surveyStateJson } from '../contracts/state.ts';
import type { SurveyView, SurveyUpdate } from '../contracts/records.ts';
import type { Clock } from '../domain/clock.ts';
import { phoneTaskAt, reminderAt, surveyStart, type SurveyPolicy } from '../domain/survey/timing.ts';
import { formatDateTime, type Messages } from '../i18n/index.ts';
import { maskPhone } from '../domain/privacy.ts';
import type { Logger } from '../lib/log.ts';
import { every, sweepDue } from './every.ts';
import type { Company } from '../contracts/company.ts';

interface SurveySweepStore {
  /** Due surveys, claimed for this sweep so other instances take other ones. */
  claimDue(now: Date, limit: number): Promise<SurveyView[]>;
  apply(update: SurveyUpdate, now: Date): Promise<boolean>;
}

interface SurveySweeperOptions {
  store: SurveySweepStore;
  company: Company;
  complaints: ComplaintSettings;
  policy: SurveyPolicy;
  clock: Clock;
  log: Logger;
  /** The catalog staff posts are written in. */
  m: Messages;
  batchSize?: number;
}

interface SurveySweepResult {
  sent: number;
  /** Waiting for the customer to confirm the visit. */
  waiting: number;
  reminded: number;
  phone: number;
  skipped: number;
}

export class SurveySweeper {
  readonly #o: SurveySweeperOptions;
  #task: ScheduledTask | undefined;

  constructor(options: SurveySweeperOptions) {
    this.#o = options;
  }

  /** What is due for one survey at `now`. */
  plan(s: SurveyView, now: Date): { update: SurveyUpdate; action: 'sent' | 'waiting' | 'reminded' | 'phone' } {
    const { company, policy, complaints, m } = this.#o;
    const opts = { policy, quietHours: company.quietHours, zone: company.timeZone };
    const phoneAt = phoneTaskAt(s.completedAt, policy);
    const toCustomer = (key: string, reminder: boolean) => ({
      channel: s.channel,
      chatId: s.chatId,
      kind: 'survey',
      dedupeKey: `survey:${s.id}:${key}`,
      message: surveyMessage(s, company, now, reminder),
    });
    // The question sent is the customer's open question (if nothing else is under way), its
    // buttons the options they see last: a typed "1", or the free comment, answers it.
    const openConversation = (reminder: boolean) => ({
      channel: s.channel,
      chatId: s.chatId,
      state: surveyStateJson(s.id, openStep(s), { at: now.toISOString(), options: (surveyMessage(s, company, now, reminder).buttons ?? []).flat() }),
    });
    // The survey starts once the customer confirmed the visit, or as the company file says.
    const start = s.status === 'scheduled' ? surveyStart(s, now, { ...opts, start: company.surveyStart }) : undefined;
    if (start?.go === 'wait' && !s.customerUnreachable) {
      return { action: 'waiting', update: { id: s.id, version: s.version, change: { dueAt: start.until }, outbox: [] } };
    }
    // A customer who blocked the bot gets no message: the front desk phones them at once.
    if (start?.go === 'send' && !s.customerUnreachable) {
      return {
        action: 'sent',
        update: {
          id: s.id,
          version: s.version,
          change: { status: 'sent', sentAt: now, dueAt: reminderAt(now, s.completedAt, opts) ?? phoneAt },
          outbox: [toCustomer('sent', false)],
          openConversation: openConversation(false),
        },
      };
    }
    if (s.status === 'sent' && now < phoneAt && !s.customerUnreachable) {
      return {
        action: 'reminded',
        update: {
          id: s.id,
          version: s.version,
          change: { status: 'reminded', remindedAt: now, dueAt: phoneAt },
          outbox: [toCustomer('reminded', true)],
          openConversation: openConversation(true),
        },
      };
    }
    // Unfinished in time: a phone callback task for the front desk, so coverage stays 100 %.
    const who = `${s.booking.contactName}${s.booking.salutation} ${maskPhone(s.booking.phone)}`;
    const deadline = new Date(s.completedAt.getTime() + policy.windowMs);
    return {
      action: 'phone',
      update: {
        id: s.id,
        version: s.version,
        change: { status: 'phone', phoneAt: now, dueAt: null },
        outbox: [
          {
            ...complaints.rooms.contact,
            kind: 'phone',
            dedupeKey: `survey:${s.id}:phone`,
            message: {
              text: m.phoneTaskPost({
                number: s.booking.number,
                customer: who,
                service: s.booking.serviceName,
                date: formatDateTime(m, s.completedAt, company.timeZone, { now }),
                due: formatDateTime(m, deadline, company.timeZone, { now }),
              }),
              buttons: [[{ label: m.phoneRecordButton, action: `sv:${s.id}:ph` }]],
            },
          },
        ],
      },
    };
  }

  /** One pass over every due survey. */
  async sweep(): Promise<SurveySweepResult> {
    const { store, clock, log } = this.#o;
    const now = clock.now();
    const result: SurveySweepResult = { sent: 0, waiting: 0, reminded: 0, phone: 0, skipped: 0 };
    ({ skipped: result.skipped } = await sweepDue({
      due: (limit) => store.claimDue(now, limit),
      batch: this.#o.batchSize ?? 200,
      // The claimed surveys are this instance's alone; apply several at a time.
      concurrency: 8,
      apply: async (s) => {
        const { update, action } = this.plan(s, now);
        if (!(await store.apply(update, now))) return false;
        result[action] += 1;
        return true;
      },
    }));
    if (result.sent || result.reminded || result.phone) log.info(result, 'surveys swept');
    return result;
  }

  /** Sweeps on `schedule` (node-cron; SWEEP_SCHEDULE), never two sweeps at once in this process. */
  start(schedule: string): void {
    this.#task = every({ cron: schedule, name: 'surveys', log: this.#o.log, run: () => this.sweep() });
  }

  async stop(): Promise<void> {
    await this.#task?.destroy();
    this.#task = undefined;
  }
}
