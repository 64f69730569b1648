/**
 * The work order sweep (DOMAIN §1 Work order; seed 002 约定时间): every minute it sends the
 * customer's evening-before reminder (outside quiet hours) with buttons to reschedule or cancel,
 * tells the front desk of a late notice the customer left unanswered, logs a visit that has not
 * started more than the threshold after its time without notice as a lateness event the front desk
 * sees, and tells the worker when the customer moved or cancelled the booking. Several instances
 * may run it: each change is conditional on the work order's version.
 */
import type { ScheduledTask } from 'node-cron';
import type { Clock } from '../domain/clock.ts';
import type { ComplaintSettings } from '../domain/complaints/settings.ts';
import { maskPhone } from '../domain/privacy.ts';
import { lateWithoutNotice, reminderDue, type WorkOrderPolicy } from '../domain/workorder/rules.ts';
import { latenessPost, reminderMessage, toCustomer, toWorker } from '../features/workorders/messages.ts';
import { formatDateTime, type Messages } from '../i18n/index.ts';
import type { Logger } from '../lib/log.ts';
import type { OutboxMessage } from '../contracts/outbox.ts';
import type { Company } from '../contracts/company.ts';
import type { WorkOrderUpdate, WorkOrderView } from '../contracts/records.ts';
import { every } from './every.ts';
import { departmentRoom } from '../features/departments.ts';

interface WorkOrderSweepStore {
  unreminded(after: Date, before: Date): Promise<WorkOrderView[]>;
  reconfirmationsOverdue(now: Date): Promise<WorkOrderView[]>;
  notArrived(startedBefore: Date): Promise<WorkOrderView[]>;
  changedBookings(): Promise<WorkOrderView[]>;
  apply(update: WorkOrderUpdate, now: Date): Promise<boolean>;
}

interface WorkOrderSweepOptions {
  store: WorkOrderSweepStore;
  company: Company;
  complaints: ComplaintSettings;
  policy: WorkOrderPolicy;
  clock: Clock;
  log: Logger;
  /** The catalog staff posts are written in. */
  m: Messages;
}

interface SweepResult {
  reminded: number;
  reconfirmEscalated: number;
  lateLogged: number;
  changed: number;
}

/** Reminders look this far ahead (the evening before a visit the next day). */
const REMINDER_LOOKAHEAD_MS = 36 * 60 * 60_000;

export class WorkOrderSweep {
  readonly #o: WorkOrderSweepOptions;
  #task: ScheduledTask | undefined;

  constructor(options: WorkOrderSweepOptions) {
    this.#o = options;
  }

  #room(wo: WorkOrderView) {
    return departmentRoom(this.#o.company, wo.booking.serviceCode, this.#o.complaints.rooms.contact);
  }

  #when(at: Date, now: Date): string {
    return formatDateTime(this.#o.m, at, this.#o.company.timeZone, { now });
  }

  async #apply(wo: WorkOrderView, now: Date, update: Omit<WorkOrderUpdate, 'id' | 'version' | 'outbox'>, outbox: (OutboxMessage | undefined)[]): Promise<boolean> {
    const messages = outbox.filter((o): o is OutboxMessage => o !== undefined);
    return this.#o.store.apply({ id: wo.id, version: wo.version, ...update, outbox: messages }, now);
  }

  /** One pass: reminders, unanswered reconfirmations, late starts, moved or cancelled bookings. */
  async sweep(): Promise<SweepResult> {
    const { store, clock, company, policy, m, log } = this.#o;
    const now = clock.now();
    const result: SweepResult = { reminded: 0, reconfirmEscalated: 0, lateLogged: 0, changed: 0 };
    const system = (kind: string, extra: { minutes?: number; note?: string } = {}) => [{ at: now, actor: 'system', kind, ...extra }];

    // Moved or cancelled first, so a reminder names the new time and a cancelled visit is not awaited.
    for (const wo of await store.changedBookings()) {
      const cancelled = wo.booking.status === 'cancelled';
      const told = wo.worker && wo.status !== 'open';
      const message = cancelled
        ? m.woCancelledWorker({ number: wo.booking.number })
        : m.woMovedWorker({ number: wo.booking.number, time: this.#when(wo.booking.start, now) });
      const ok = await this.#apply(
        wo,
        now,
        {
          change: cancelled
            ? { status: 'cancelled', reconfirm: wo.reconfirm === 'pending' ? 'cancelled' : wo.reconfirm, reconfirmDueAt: null }
            : { visitStart: wo.booking.start, remindedAt: null, lateUntil: null, lateFrom: null, reconfirm: wo.reconfirm === 'pending' ? 'moved' : wo.reconfirm, reconfirmDueAt: null },
          events: system(cancelled ? 'cancelled' : 'moved', { note: cancelled ? undefined : wo.booking.start.toISOString() }),
        },
        [told ? toWorker(wo, 'workorder', `${cancelled ? 'cancelled' : 'moved'}:${wo.version}`, { text: message }) : undefined],
      );
      if (ok) result.changed += 1;
    }

    for (const wo of await store.unreminded(now, new Date(now.getTime() + REMINDER_LOOKAHEAD_MS))) {
      if (!reminderDue({ start: wo.lateUntil ?? wo.visitStart, now, policy, quietHours: company.quietHours, zone: company.timeZone })) continue;
      const ok = await this.#apply(wo, now, { change: { remindedAt: now }, events: system('reminded') }, [
        toCustomer(wo, 'reminder', `reminder:${wo.visitStart.toISOString()}`, reminderMessage({ company, wo, now })),
      ]);
      if (ok) result.reminded += 1;
    }

    for (const wo of await store.reconfirmationsOverdue(now)) {
      const b = wo.booking;
      const text = m.woReconfirmOverduePost({
        number: b.number,
        customer: m.who({ name: b.contactName, salutation: b.salutation }),
        phone: maskPhone(b.phone),
        time: this.#when(wo.lateUntil ?? wo.visitStart, now),
      });
      const ok = await this.#apply(wo, now, { change: { reconfirm: 'escalated', reconfirmDueAt: null }, events: system('reconfirm_overdue') }, [
        { ...this.#room(wo), kind: 'workorder', dedupeKey: `workorder:${wo.id}:reconfirm-overdue:${wo.version}`, message: { text } },
      ]);
      if (ok) result.reconfirmEscalated += 1;
    }

    for (const wo of await store.notArrived(new Date(now.getTime() - policy.lateAfterMinutes * 60_000))) {
      const announced = wo.lateUntil && wo.reconfirm !== 'cancelled' ? wo.lateUntil : null;
      const minutes = lateWithoutNotice({ start: wo.visitStart, lateUntil: announced, arrivedAt: undefined, now, policy });
      if (minutes === undefined) continue;
      const ok = await this.#apply(wo, now, { change: { lateLoggedAt: now }, events: system('late_unannounced', { minutes }) }, [
        { ...this.#room(wo), kind: 'workorder', dedupeKey: `workorder:${wo.id}:lateness`, message: latenessPost({ m, company, wo, minutes, arrived: false, now }) },
      ]);
      if (ok) result.lateLogged += 1;
    }

    if (result.reminded || result.reconfirmEscalated || result.lateLogged || result.changed) log.info(result, 'work orders swept');
    return result;
  }

  /** Sweeps on `schedule` (node-cron; SWEEP_SCHEDULE), never two sweeps at once in this process. */
  start(schedule: string): void {
    this.#task = every({ cron: schedule, name: 'work-orders', log: this.#o.log, run: () => this.sweep() });
  }

  async stop(): Promise<void> {
    await this.#task?.destroy();
    this.#task = undefined;
  }
}
