/**
 * The monthly report (DOMAIN §4: before the 30th, to department heads and the general manager):
 * on the configured day (default the 28th) at 09:00 company time, last month's report is posted to
 * the managers' channel, exactly once per month however many instances run — the first to record
 * the month posts it. The job checks hourly, so an instance down at 09:00 still posts later that day
 * or on the days after, until the 29th.
 */
import { DateTime } from 'luxon';
import type { ScheduledTask } from 'node-cron';
import type { Room } from '../domain/complaints/settings.ts';
import { buildReport, type ReportSource } from '../features/reports/build.ts';
import type { Clock } from '../domain/clock.ts';
import { tz } from '../domain/zone.ts';
import type { Messages } from '../i18n/index.ts';
import type { Logger } from '../lib/log.ts';
import { every } from './every.ts';
import type { Company } from '../contracts/company.ts';
import type { OutboxMessage } from '../contracts/outbox.ts';

/** The record of scheduled reports already posted (src/store/reports.ts). */
interface ReportRuns {
  /** Whether the scheduled report `key` was already posted. */
  posted(key: string): Promise<boolean>;
  /**
   * Records `key` as posted and enqueues its messages in one transaction.
   * @returns false when another instance posted it first (nothing written).
   */
  postOnce(key: string, messages: OutboxMessage[], now: Date): Promise<boolean>;
}

interface MonthlyReportOptions {
  reports: ReportRuns;
  store: ReportSource;
  company: Company;
  room: Room;
  clock: Clock;
  log: Logger;
  m: Messages;
  /** Day of the month to post on (1-29). */
  day: number;
  /** Hour (company time) from which it posts. */
  hour?: number;
}

export class MonthlyReport {
  readonly #o: MonthlyReportOptions;
  #task: ScheduledTask | undefined;

  constructor(options: MonthlyReportOptions) {
    this.#o = options;
  }

  /** Posts last month's report if it is due now and not posted yet; returns whether this call posted it. */
  async runIfDue(): Promise<boolean> {
    const { company, clock, m, room } = this.#o;
    const now = DateTime.fromJSDate(clock.now(), { zone: tz(company.timeZone) });
    if (now.day < this.#o.day || now.day >= 30 || now.hour < (this.#o.hour ?? 9)) return false;
    const last = now.minus({ months: 1 }).startOf('month');
    const key = `monthly:${last.toFormat('yyyy-MM')}`;
    if (await this.#o.reports.posted(key)) return false;
    const period = { from: last.toJSDate(), to: last.plus({ months: 1 }).toJSDate(), label: `${last.year}年${last.month}月` };
    const messages = await buildReport({ store: this.#o.store, company, m, period, now: clock.now() });
    messages[0] = { ...messages[0]!, text: `${m.reportMonthly({ label: period.label })}\n${messages[0]!.text}` };
    const posted = await this.#o.reports.postOnce(
      key,
      messages.map((message, i) => ({ ...room, kind: 'report', dedupeKey: `${key}:${i}`, message })),
      clock.now(),
    );
    if (posted) this.#o.log.info({ key }, 'monthly report posted');
    return posted;
  }

  start(): void {
    this.#task = every({ cron: '0 * * * *', name: 'monthly-report', log: this.#o.log, timezone: this.#o.company.timeZone, run: () => this.runIfDue() });
  }

  async stop(): Promise<void> {
    await this.#task?.destroy();
    this.#task = undefined;
  }
}
