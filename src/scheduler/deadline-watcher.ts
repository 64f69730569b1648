/**
 * The deadline watcher (DOMAIN §2 time limits and escalation): every minute it finds complaints
 * whose next check is due, re-posts each missed deadline one level up (contact -> department head
 * -> general manager) with what was missed, and applies the one-month upgrade to 重大.
 * Several instances may run it: each change is conditional on the complaint's version.
 */
import type { ScheduledTask } from 'node-cron';
import type { ComplaintSettings } from '../domain/complaints/settings.ts';
import { complaintPost } from '../features/complaints/post.ts';
import { complaintRoom } from '../features/departments.ts';
import { complaintTimes, nextCheck } from '../domain/complaints/timing.ts';
import type { ComplaintChange, ComplaintEventInput, ComplaintView, ComplaintUpdate } from '../contracts/records.ts';
import { nextLevel, overdueAction } from '../domain/complaints/deadlines.ts';
import { monthlyUpgradeDue } from '../domain/complaints/grade.ts';
import type { Clock } from '../domain/clock.ts';
import { formatDateTime, type Messages } from '../i18n/index.ts';
import type { Logger } from '../lib/log.ts';
import { every, sweepDue } from './every.ts';
import type { OutboxMessage } from '../contracts/outbox.ts';
import type { Company } from '../contracts/company.ts';

interface WatcherStore {
  due(now: Date, limit: number): Promise<ComplaintView[]>;
  apply(update: ComplaintUpdate, now: Date): Promise<boolean>;
}

interface DeadlineWatcherOptions {
  store: WatcherStore;
  company: Company;
  complaints: ComplaintSettings;
  clock: Clock;
  log: Logger;
  /** The catalog staff posts are written in. */
  m: Messages;
  batchSize?: number;
}

interface SweepResult {
  /** Complaints looked at and updated. */
  checked: number;
  escalated: number;
  upgraded: number;
  skipped: number;
}

export class DeadlineWatcher {
  readonly #o: DeadlineWatcherOptions;
  #task: ScheduledTask | undefined;

  constructor(options: DeadlineWatcherOptions) {
    this.#o = options;
  }

  /** What is due for one complaint at `now`: the change, its history, and the posts. */
  plan(c: ComplaintView, now: Date): ComplaintUpdate {
    const { company, complaints, m } = this.#o;
    const zone = company.timeZone;
    const change: ComplaintChange = {};
    const events: ComplaintEventInput[] = [];
    const outbox: OutboxMessage[] = [];
    let next: ComplaintView = { ...c };
    const post = (level: ComplaintView['level'], key: string, header: string) =>
      outbox.push({ ...complaintRoom(company, complaints.rooms, level, c.matter), kind: 'escalation', dedupeKey: `complaint:${c.number}:${key}`, message: complaintPost({ m, company, c: next, header, now }) });

    // DOMAIN §2 major (3): a valid complaint unresolved for a month becomes major.
    if (monthlyUpgradeDue(c, now, zone).due) {
      next = { ...next, grade: 'major', upgradedAt: now, level: 'general_manager' };
      Object.assign(change, { grade: 'major', upgradedAt: now, level: 'general_manager' });
      events.push({ at: now, actor: 'system', kind: 'upgraded', fromGrade: c.grade, toGrade: 'major' });
      post('general_manager', 'upgraded', m.upgradedHeader);
    }
    const overdue = overdueAction(complaintTimes(next), now, zone);
    const key = overdue ? `${overdue.action}@${overdue.dueAt.toISOString()}` : undefined;
    if (overdue && key !== c.escalatedFor) {
      const level = nextLevel(next.level) ?? next.level;
      next = { ...next, level, escalatedFor: key ?? null };
      Object.assign(change, { level, escalatedFor: key });
      events.push({ at: now, actor: 'system', kind: 'escalated', note: `${overdue.action} missed (due ${overdue.dueAt.toISOString()}); to ${level}` });
      post(level, `overdue:${key}`, m.overdueHeader({ missed: m.missed[overdue.action] ?? overdue.action, due: formatDateTime(m, overdue.dueAt, zone, { now }) }));
    }
    // Deadlines before `now` are done with (the latest one escalated above); one falling exactly at
    // `now` is not yet missed (on time means at or before it), so it stays due, just after `now`.
    const nextAt = nextCheck(next, zone, new Date(now.getTime() - 1));
    change.nextDeadlineAt = nextAt ? new Date(Math.max(nextAt.getTime(), now.getTime() + 1)) : null;
    return { id: c.id, version: c.version, change, events, outbox };
  }

  /** One pass over every due complaint. */
  async sweep(): Promise<SweepResult> {
    const { store, clock, log } = this.#o;
    const now = clock.now();
    const result: SweepResult = { checked: 0, escalated: 0, upgraded: 0, skipped: 0 };
    const { applied, skipped } = await sweepDue({
      due: (limit) => store.due(now, limit),
      batch: this.#o.batchSize ?? 100,
      maxRounds: 1000,
      apply: async (c) => {
        const update = this.plan(c, now);
        if (!(await store.apply(update, now))) return false;
        if (update.events.some((e) => e.kind === 'escalated')) result.escalated += 1;
        if (update.events.some((e) => e.kind === 'upgraded')) result.upgraded += 1;
        return true;
      },
    });
    result.checked = applied;
    result.skipped = skipped;
    if (result.escalated || result.upgraded) log.info(result, 'complaint deadlines swept');
    return result;
  }

  /** Sweeps on `schedule` (node-cron; SWEEP_SCHEDULE), never two sweeps at once in this process. */
  start(schedule: string): void {
    this.#task = every({ cron: schedule, name: 'complaint-deadlines', log: this.#o.log, run: () => this.sweep() });
  }

  async stop(): Promise<void> {
    await this.#task?.destroy();
    this.#task = undefined;
  }
}
