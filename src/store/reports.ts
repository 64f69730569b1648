/**
 * The reports repository: report figures (DOMAIN §4) computed in the database with grouped
 * aggregates, not by loading rows: complaints by grade, status, category, department (the
 * company file's department of the complaint's service, "—" for none) and service, on-time forward and resolution per grade (over
 * decided cases, as of the report's time), median and
 * 90th-percentile response and resolution times, booking completion, callbacks within three days
 * and their answers; the two registers; and which scheduled reports were posted.
 *
 * "On time" is the deadline table the watcher escalates by (TIME_LIMITS in
 * src/domain/complaints/deadlines.ts), written as SQL: a forward is on time by the grade's outer
 * bound (重大 the same company day, 重要 1 h, 轻微 15 min), a resolution by its resolve limit
 * (10 and 3 calendar days in the company zone, 4 h).
 */
import { onTimeRate, type CallbackRow, type ComplaintRecordRow, type GradeFigures, type ReportFigures, type ReportPeriod, type WorkOrderFigures } from '../contracts/reports.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { OutboxMessage } from '../contracts/outbox.ts';
import type { Department } from '../contracts/company.ts';
import { GRADES, type Grade } from '../contracts/records.ts';
import { forwardLimit, TIME_LIMITS, type TimeLimit } from '../domain/complaints/deadlines.ts';
import { serviceOfMatter } from '../domain/complaints/group.ts';
import { CALLBACK_WINDOW_MS } from '../domain/survey/timing.ts';
import { DEFAULT_ZONE, offsetsBetween, tz } from '../domain/zone.ts';
import { maskAddress, maskPhone } from '../domain/privacy.ts';
import { enqueue } from './outbox.ts';
import { dialect, type Db } from './db.ts';
import { isUniqueViolation } from './errors.ts';
import { DeskError, ErrorCode } from '../lib/errors.ts';

type Num = number | bigint | null;
const n = (v: Num | undefined): number => (v === null || v === undefined ? 0 : Number(v));
const maybe = (v: Num | undefined): number | null => (v === null || v === undefined ? null : Number(v));

/** The period's bounds as stored (ISO text, UTC offset), for range comparisons on indexed columns. */
function bounds(p: ReportPeriod): [Date, Date] {
  return [p.from, p.to];
}

/** Time from column `earlier` to column `later`, in minutes or hours, in the database's own SQL. */
function elapsed(db: Db, later: string, earlier: string, unit: 'minutes' | 'hours'): Prisma.Sql {
  const [a, b] = [Prisma.raw(`"${later}"`), Prisma.raw(`"${earlier}"`)];
  if (dialect(db) === 'postgresql') {
    return Prisma.sql`(EXTRACT(EPOCH FROM (${a} - ${b}))::float8 / ${Prisma.raw(unit === 'minutes' ? '60' : '3600')})`;
  }
  return Prisma.sql`((julianday(${a}) - julianday(${b})) * ${Prisma.raw(unit === 'minutes' ? '1440' : '24')})`;
}

const DAY_MS = 86_400_000;

/** An integer as SQL text (for arithmetic that must stay integer in both databases). */
function int(value: number): Prisma.Sql {
  if (!Number.isSafeInteger(value)) throw new DeskError(ErrorCode.StoreInvariant, `not an integer: ${value}`);
  return Prisma.raw(String(value));
}

/** A timestamp column (of table alias `table`, when given) as integer milliseconds since the epoch, in the database's own SQL. */
function epochMs(db: Db, column: string, table?: string): Prisma.Sql {
  const c = Prisma.raw(table ? `${table}."${column}"` : `"${column}"`);
  if (dialect(db) === 'postgresql') return Prisma.sql`ROUND(EXTRACT(EPOCH FROM ${c}) * 1000)::bigint`;
  return Prisma.sql`CAST(ROUND((julianday(${c}) - 2440587.5) * 86400000.0) AS INTEGER)`;
}

/** The limits' span, for the offsets of the company zone that matter to a period's on-time figures. */
const LONGEST_LIMIT_MS = Math.max(
  ...GRADES.flatMap((grade) => [forwardLimit(grade), TIME_LIMITS[grade].resolve]).map((limit) =>
    'ms' in limit ? limit.ms : 'days' in limit ? limit.days * DAY_MS : DAY_MS,
  ),
);

/** The company zone's offsets over a period and the longest limit after it. */
type Offsets = ReturnType<typeof offsetsBetween>;

function offsetsFor(zone: string, period: ReportPeriod): Offsets {
  return offsetsBetween(zone, new Date(period.from.getTime() - DAY_MS), new Date(period.to.getTime() + LONGEST_LIMIT_MS + DAY_MS));
}

/**
 * A column's wall-clock time in the company zone, as integer milliseconds (epoch plus the zone's
 * offset then): one constant for a zone without DST, such as Asia/Shanghai, else a CASE over the
 * zone's changes (instants outside the span take the nearest offset in it).
 */
function localMs(db: Db, column: string, offsets: Offsets): Prisma.Sql {
  const at = epochMs(db, column);
  const [first, ...changes] = offsets;
  if (changes.length === 0) return Prisma.sql`(${at} + ${int(first!.offsetMs)})`;
  // Before the first change the first offset holds, and so on; the last one holds after the span.
  const whens = changes.map((c, i) => Prisma.sql`WHEN ${at} < ${int(c.from.getTime())} THEN ${int(offsets[i]!.offsetMs)}`);
  return Prisma.sql`(${at} + CASE ${Prisma.join(whens, ' ')} ELSE ${int(offsets.at(-1)!.offsetMs)} END)`;
}

/** An instant given as a column, or as a fixed instant (the report's "now") with its wall-clock time in the company zone. */
type At = string | { epochMs: number; localMs: number };

/** Whether `at` is within `limit` of column `from` (at or before the limit's end; see limitEnd). */
function withinLimit(db: Db, limit: TimeLimit, at: At, from: string, offsets: Offsets): Prisma.Sql {
  const atEpoch = typeof at === 'string' ? epochMs(db, at) : int(at.epochMs);
  if ('ms' in limit) return Prisma.sql`(${atEpoch} - ${epochMs(db, from)} <= ${int(limit.ms)})`;
  const [a, b] = [typeof at === 'string' ? localMs(db, at, offsets) : int(at.localMs), localMs(db, from, offsets)];
  if ('days' in limit) return Prisma.sql`(${a} - ${b} <= ${int(limit.days * DAY_MS)})`;
  // By the end of the company day of `from`: the same local day or before (integer division).
  return Prisma.sql`(${a} / ${int(DAY_MS)} <= ${b} / ${int(DAY_MS)})`;
}

/** `CASE "grade" WHEN 'major' THEN <within its limit> … ELSE FALSE END` for the limit `of` each grade. */
function onTime(db: Db, of: (grade: Grade) => TimeLimit, at: At, offsets: Offsets): Prisma.Sql {
  const whens = GRADES.map((grade) => Prisma.sql`WHEN ${grade} THEN ${withinLimit(db, of(grade), at, 'receivedAt', offsets)}`);
  return Prisma.sql`CASE "grade" ${Prisma.join(whens, ' ')} ELSE FALSE END`;
}

/** Counts the rows where `condition` holds (portable: no SUM over booleans). */
function countIf(condition: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
}

/** Median and 90th percentile of `value` over the rows of `from` (nearest rank below, as integer arithmetic in both databases). */
function percentiles(value: Prisma.Sql, from: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    WITH r AS (SELECT ${value} AS v ${from}),
         o AS (SELECT v, ROW_NUMBER() OVER (ORDER BY v) AS rn, COUNT(*) OVER () AS n FROM r)
    SELECT MAX(CASE WHEN rn = (n - 1) * 5 / 10 + 1 THEN v END) AS p50,
           MAX(CASE WHEN rn = (n - 1) * 9 / 10 + 1 THEN v END) AS p90 FROM o`;
}

/** `SUM(CASE WHEN "column" = 'value' …) AS "alias"` for each [alias, column, value]. */
function answerCounts(counts: [alias: string, column: string, value: string][]): Prisma.Sql {
  return Prisma.join(
    counts.map(([alias, column, value]) => Prisma.sql`${countIf(Prisma.sql`${Prisma.raw(`"${column}"`)} = ${value}`)} AS ${Prisma.raw(`"${alias}"`)}`),
    ', ',
  );
}

/** 领单部门 of a complaint whose service no department handles (or about no booking). */
const NO_DEPARTMENT = '—';

/** Seed 002: 前台接待员根据派工单处理情况，在24小时内做好回访工作. */
const WORK_ORDER_CALLBACK_MS = 86_400_000;

export interface ReportOptions {
  /** The company zone, for the calendar-day deadlines (default Asia/Shanghai). */
  zone?: string;
  /** The bot's agent name (the survey's 您好，我是××), recorded as 访问人 for chat callbacks. */
  agentName?: string;
  /** The company file's departments: a complaint's 领单部门 is its service's department. */
  departments?: readonly Department[];
}

export class ReportRepository {
  private readonly zone: string;
  private readonly agentName: string;
  private readonly departments: readonly Department[];

  /** The department name of a complaint's matter (`matterKey`: category and service). */
  private departmentOf(matter: string): string {
    const service = serviceOfMatter(matter);
    return (service && this.departments.find((d) => d.services.includes(service))?.name) || NO_DEPARTMENT;
  }

  constructor(
    private readonly db: Db,
    options: ReportOptions = {},
  ) {
    this.zone = options.zone ?? DEFAULT_ZONE;
    this.agentName = options.agentName ?? '在线客服';
    this.departments = options.departments ?? [];
  }

  /** Whether a scheduled report was already posted. */
  async posted(key: string): Promise<boolean> {
    return (await this.db.reportRun.findUnique({ where: { key }, select: { id: true } })) !== null;
  }

  /**
   * Records a scheduled report as posted and enqueues its messages in one transaction.
   * @returns false when another instance posted it first (nothing written).
   */
  async postOnce(key: string, messages: OutboxMessage[], now: Date): Promise<boolean> {
    try {
      await this.db.$transaction([this.db.reportRun.create({ data: { key }, select: { id: true } }), ...messages.map((m) => enqueue(this.db, m, now))]);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /**
   * The period's figures as of `now`. A complaint's resolution is decided when it was resolved (on
   * time or late by its grade's limit) or when it is unresolved past that limit at `now` (late); an
   * unresolved one whose limit has not passed is pending, and an invalid one is neither. On-time
   * rates are over decided cases only, null when none is decided.
   */
  async figures(period: ReportPeriod, withPrevious?: ReportPeriod, now: Date = new Date()): Promise<ReportFigures> {
    const [from, to] = bounds(period);
    const db = this.db;
    const offsets = offsetsFor(this.zone, period);
    const at = { epochMs: now.getTime(), localMs: now.getTime() + tz(this.zone).offset(now.getTime()) * 60_000 };
    const resolveLimit = (grade: Grade) => TIME_LIMITS[grade].resolve;
    const unresolved = Prisma.sql`"resolvedAt" IS NULL AND "status" <> 'invalid'`;
    const workOrders = this.workOrderFigures(period);
    const [grades, statuses, categories, services, matters, response, resolution, bookings, callbacks, handovers, claimMinutes, handoverMinutes] = await Promise.all([
      db.$queryRaw<{ grade: string; count: Num; forwarded: Num; resolved: Num; resolvedOnTime: Num; late: Num; pending: Num }[]>`
        SELECT "grade", COUNT(*) AS "count",
          ${countIf(Prisma.sql`"forwardedAt" IS NOT NULL AND ${onTime(db, forwardLimit, 'forwardedAt', offsets)}`)} AS "forwarded",
          ${countIf(Prisma.sql`"resolvedAt" IS NOT NULL`)} AS "resolved",
          ${countIf(Prisma.sql`"resolvedAt" IS NOT NULL AND ${onTime(db, resolveLimit, 'resolvedAt', offsets)}`)} AS "resolvedOnTime",
          ${countIf(Prisma.sql`("resolvedAt" IS NOT NULL AND NOT (${onTime(db, resolveLimit, 'resolvedAt', offsets)})) OR (${unresolved} AND NOT (${onTime(db, resolveLimit, at, offsets)}))`)} AS "late",
          ${countIf(Prisma.sql`${unresolved} AND ${onTime(db, resolveLimit, at, offsets)}`)} AS "pending"
        FROM "Complaint" WHERE "receivedAt" >= ${from} AND "receivedAt" < ${to} GROUP BY "grade"`,
      db.$queryRaw<{ key: string; count: Num }[]>`
        SELECT "status" AS "key", COUNT(*) AS "count" FROM "Complaint" WHERE "receivedAt" >= ${from} AND "receivedAt" < ${to} GROUP BY "status"`,
      db.$queryRaw<{ key: string; count: Num }[]>`
        SELECT "category" AS "key", COUNT(*) AS "count" FROM "Complaint" WHERE "receivedAt" >= ${from} AND "receivedAt" < ${to} GROUP BY "category"`,
      db.$queryRaw<{ key: string; count: Num }[]>`
        SELECT COALESCE(b."serviceName", '未关联预约') AS "key", COUNT(*) AS "count"
        FROM "Complaint" c LEFT JOIN "Booking" b ON b."id" = c."bookingId"
        WHERE c."receivedAt" >= ${from} AND c."receivedAt" < ${to} GROUP BY 1`,
      db.$queryRaw<{ key: string; count: Num }[]>`
        SELECT "matter" AS "key", COUNT(*) AS "count" FROM "Complaint" WHERE "receivedAt" >= ${from} AND "receivedAt" < ${to} GROUP BY "matter"`,
      db.$queryRaw<{ p50: Num; p90: Num }[]>(
        percentiles(
          elapsed(db, 'claimedAt', 'receivedAt', 'minutes'),
          Prisma.sql`FROM "Complaint" WHERE "receivedAt" >= ${from} AND "receivedAt" < ${to} AND "claimedAt" IS NOT NULL`,
        ),
      ),
      db.$queryRaw<{ p50: Num; p90: Num }[]>(
        percentiles(
          elapsed(db, 'resolvedAt', 'receivedAt', 'hours'),
          Prisma.sql`FROM "Complaint" WHERE "receivedAt" >= ${from} AND "receivedAt" < ${to} AND "resolvedAt" IS NOT NULL`,
        ),
      ),
      db.$queryRaw<{ total: Num; completed: Num }[]>`
        SELECT COUNT(*) AS "total", ${countIf(Prisma.sql`"status" = 'completed' OR "visits" > 0`)} AS "completed"
        FROM "Booking" WHERE "start" >= ${from} AND "start" < ${to} AND "status" <> 'cancelled'`,
      db.$queryRaw<Record<string, Num>[]>`
        SELECT COUNT(*) AS "due",
          ${countIf(Prisma.sql`"answeredAt" IS NOT NULL AND "status" = 'answered' AND ${epochMs(db, 'answeredAt')} - ${epochMs(db, 'completedAt')} <= ${int(CALLBACK_WINDOW_MS)}`)} AS "within",
          ${answerCounts([
            ['o_satisfied', 'overall', 'satisfied'], ['o_average', 'overall', 'average'], ['o_dissatisfied', 'overall', 'dissatisfied'],
            ['q_satisfied', 'quality', 'satisfied'], ['q_basic', 'quality', 'basic'], ['q_dissatisfied', 'quality', 'dissatisfied'],
            ['t_timely', 'timeliness', 'timely'], ['t_average', 'timeliness', 'average'], ['t_late', 'timeliness', 'late'],
          ])}
        FROM "Survey" WHERE "completedAt" >= ${from} AND "completedAt" < ${to}`,
      db.$queryRaw<{ key: string; count: Num; claimed: Num }[]>`
        SELECT "reason" AS "key", COUNT(*) AS "count", ${countIf(Prisma.sql`"claimedAt" IS NOT NULL`)} AS "claimed"
        FROM "Handover" WHERE "requestedAt" >= ${from} AND "requestedAt" < ${to} GROUP BY "reason"`,
      db.$queryRaw<{ p50: Num; p90: Num }[]>(
        percentiles(
          elapsed(db, 'claimedAt', 'requestedAt', 'minutes'),
          Prisma.sql`FROM "Handover" WHERE "requestedAt" >= ${from} AND "requestedAt" < ${to} AND "claimedAt" IS NOT NULL`,
        ),
      ),
      db.$queryRaw<{ p50: Num; p90: Num }[]>(
        percentiles(
          elapsed(db, 'endedAt', 'requestedAt', 'minutes'),
          Prisma.sql`FROM "Handover" WHERE "requestedAt" >= ${from} AND "requestedAt" < ${to} AND "endedAt" IS NOT NULL`,
        ),
      ),
    ]);
    const byGrade: GradeFigures[] = (['major', 'important', 'minor'] as const).map((grade) => {
      const row = grades.find((g) => g.grade === grade);
      const [onTimeCount, late] = [n(row?.resolvedOnTime), n(row?.late)];
      return {
        grade,
        count: n(row?.count),
        forwardedOnTime: n(row?.forwarded),
        resolved: n(row?.resolved),
        resolvedOnTime: onTimeCount,
        late,
        pending: n(row?.pending),
        onTimeRate: onTimeRate(onTimeCount, late),
      };
    });
    const toRecord = (rows: { key: string; count: Num }[]) => Object.fromEntries(rows.map((r) => [r.key, n(r.count)]));
    const c = callbacks[0] ?? {};
    const answeredOverall = n(c.o_satisfied) + n(c.o_average) + n(c.o_dissatisfied);
    const bookingRow = bookings[0];
    const total = n(bookingRow?.total);
    const figures: ReportFigures = {
      period,
      complaints: {
        total: byGrade.reduce((sum, g) => sum + g.count, 0),
        byGrade,
        byStatus: toRecord(statuses),
        byCategory: toRecord(categories),
        // The department of each complaint's service (company file), "—" for none.
        byDepartment: matters.reduce<Record<string, number>>((acc, r) => {
          const department = this.departmentOf(r.key);
          acc[department] = (acc[department] ?? 0) + n(r.count);
          return acc;
        }, {}),
        byService: toRecord(services),
        responseMinutes: { median: maybe(response[0]?.p50), p90: maybe(response[0]?.p90) },
        resolutionHours: { median: maybe(resolution[0]?.p50), p90: maybe(resolution[0]?.p90) },
      },
      bookings: { total, completed: n(bookingRow?.completed), completionRate: total ? n(bookingRow?.completed) / total : null },
      handovers: {
        total: handovers.reduce((sum, r) => sum + n(r.count), 0),
        claimed: handovers.reduce((sum, r) => sum + n(r.claimed), 0),
        byReason: toRecord(handovers),
        claimMinutes: { median: maybe(claimMinutes[0]?.p50), p90: maybe(claimMinutes[0]?.p90) },
        durationMinutes: { median: maybe(handoverMinutes[0]?.p50), p90: maybe(handoverMinutes[0]?.p90) },
      },
      workOrders: await workOrders,
      callbacks: {
        due: n(c.due),
        doneWithin3Days: n(c.within),
        rate: n(c.due) ? n(c.within) / n(c.due) : null,
        overall: { satisfied: n(c.o_satisfied), average: n(c.o_average), dissatisfied: n(c.o_dissatisfied) },
        quality: { satisfied: n(c.q_satisfied), basic: n(c.q_basic), dissatisfied: n(c.q_dissatisfied) },
        timeliness: { timely: n(c.t_timely), average: n(c.t_average), late: n(c.t_late) },
        satisfactionRate: answeredOverall ? n(c.o_satisfied) / answeredOverall : null,
      },
    };
    if (withPrevious) figures.previous = await this.figures(withPrevious, undefined, now);
    return figures;
  }

  /**
   * Work orders whose visit falls in the period, by department (the company file's order, then
   * departments no longer in it, then "—"), only departments that had one: posted, accepted,
   * completed, declines, late notices, lateness without notice, mean minutes from posting to
   * acceptance, and completed ones called back within 24 hours (seed 002).
   */
  private async workOrderFigures(period: ReportPeriod): Promise<WorkOrderFigures[]> {
    const [from, to] = bounds(period);
    const db = this.db;
    const calledBack = Prisma.sql`EXISTS (SELECT 1 FROM "Survey" s WHERE s."bookingId" = w."bookingId" AND s."answeredAt" IS NOT NULL
      AND ${epochMs(db, 'answeredAt', 's')} - ${epochMs(db, 'completedAt', 's')} <= ${int(WORK_ORDER_CALLBACK_MS)})`;
    const [orders, events] = await Promise.all([
      db.$queryRaw<{ department: string | null; posted: Num; accepted: Num; completed: Num; acceptMs: Num; calledBack: Num }[]>`
        SELECT w."department" AS "department", COUNT(*) AS "posted",
          ${countIf(Prisma.sql`w."acceptedAt" IS NOT NULL`)} AS "accepted",
          ${countIf(Prisma.sql`w."status" = 'completed'`)} AS "completed",
          CAST(AVG(CASE WHEN w."acceptedAt" IS NOT NULL THEN ${epochMs(db, 'acceptedAt', 'w')} - ${epochMs(db, 'at', 'p')} END) AS DOUBLE PRECISION) AS "acceptMs",
          ${countIf(Prisma.sql`w."status" = 'completed' AND ${calledBack}`)} AS "calledBack"
        FROM "WorkOrder" w LEFT JOIN "WorkOrderEvent" p ON p."workOrderId" = w."id" AND p."kind" = 'posted'
        WHERE w."visitStart" >= ${from} AND w."visitStart" < ${to} GROUP BY w."department"`,
      db.$queryRaw<{ department: string | null; kind: string; count: Num; orders: Num }[]>`
        SELECT w."department" AS "department", e."kind" AS "kind", COUNT(*) AS "count", COUNT(DISTINCT w."id") AS "orders"
        FROM "WorkOrderEvent" e JOIN "WorkOrder" w ON w."id" = e."workOrderId"
        WHERE w."visitStart" >= ${from} AND w."visitStart" < ${to} AND e."kind" IN ('declined', 'late_announced', 'late_unannounced')
        GROUP BY w."department", e."kind"`,
    ]);
    const rank = (code: string | null) => {
      const i = this.departments.findIndex((d) => d.code === code);
      return i >= 0 ? i : code === null ? this.departments.length + 1 : this.departments.length;
    };
    const event = (code: string | null, kind: string) => events.find((e) => e.department === code && e.kind === kind);
    return [...orders]
      .sort((a, b) => rank(a.department) - rank(b.department))
      .map((o) => ({
        department: o.department === null ? NO_DEPARTMENT : (this.departments.find((d) => d.code === o.department)?.name ?? o.department),
        posted: n(o.posted),
        accepted: n(o.accepted),
        completed: n(o.completed),
        declined: n(event(o.department, 'declined')?.count),
        lateNotices: n(event(o.department, 'late_announced')?.orders),
        lateUnannounced: n(event(o.department, 'late_unannounced')?.orders),
        acceptMinutes: o.acceptMs === null ? null : n(o.acceptMs) / 60_000,
        calledBackIn24h: n(o.calledBack),
      }));
  }

  /**
   * 投诉处理记录汇总表 [002 附表三]: one row per complaint received in the period. 领单部门 is the
   * department of the complaint's service (company file), "—" for none; 领单人 and 日期
   * are who claimed it and when (附表一's 接单时间); 接收人 and 接收日期 who recorded it and when,
   * alike for every row; 是否回访 whether the follow-up after resolution was asked and answered
   * (an answer of "not solved" reopens the complaint and clears callbackAt but is still a callback).
   */
  async complaintRows(period: ReportPeriod): Promise<ComplaintRecordRow[]> {
    const rows = await this.db.complaint.findMany({
      where: { receivedAt: { gte: period.from, lt: period.to } },
      orderBy: { receivedAt: 'asc' },
      select: {
        number: true, customerName: true, salutation: true, recorder: true, handler: true, receivedAt: true, claimedAt: true, callbackAt: true, solved: true, matter: true,
      },
    });
    return rows.map((r, i) => ({
      no: i + 1,
      formNumber: r.number,
      customer: `${r.customerName}${r.salutation ?? ''}`,
      department: this.departmentOf(r.matter),
      handler: r.handler ?? '',
      date: r.claimedAt,
      receiver: r.recorder,
      receivedAt: r.receivedAt,
      calledBack: r.callbackAt !== null || r.solved !== null,
    }));
  }

  /** 客户月回访信息登记表 [002 附表二]: one row per callback answered in the period; 信息处理记录 names the complaint an answer became. */
  async callbackRows(period: ReportPeriod): Promise<CallbackRow[]> {
    const rows = await this.db.survey.findMany({
      where: { completedAt: { gte: period.from, lt: period.to }, answeredAt: { not: null } },
      orderBy: { answeredAt: 'asc' },
      select: {
        answeredAt: true, overall: true, quality: true, timeliness: true, comment: true, answeredBy: true, complaintNumber: true,
        booking: { select: { contactName: true, salutation: true, phone: true, serviceName: true, address: true } },
      },
    });
    // 访问人: the staff member who phoned, or the bot's agent for answers given in chat.
    const staffIds = [...new Set(rows.map((r) => /^staff:(\d+)$/.exec(r.answeredBy ?? '')?.[1]).filter(Boolean).map(Number))];
    const staff = new Map(
      (await this.db.staff.findMany({ where: { id: { in: staffIds } }, select: { id: true, displayName: true, role: true } })).map((s) => [
        `staff:${s.id}`,
        s.displayName ?? s.role,
      ]),
    );
    return rows.map((r, i) => ({
      no: i + 1,
      date: r.answeredAt ?? new Date(0),
      customer: `${r.booking.contactName}${r.booking.salutation}`,
      phone: maskPhone(r.booking.phone),
      address: maskAddress(r.booking.address),
      service: r.booking.serviceName,
      overall: r.overall,
      quality: r.quality,
      timeliness: r.timeliness,
      comment: r.comment,
      handling: r.complaintNumber ? `已转投诉 ${r.complaintNumber}` : null,
      method: r.answeredBy === 'customer' ? '在线回访' : '电话回访',
      callbackBy: r.answeredBy === 'customer' ? this.agentName : (staff.get(r.answeredBy ?? '') ?? ''),
    }));
  }
}
