/**
 * The report's on-time figures are the deadline table the watcher escalates by: for complaints
 * forwarded and resolved around every limit (including 重大's "same company day" and calendar
 * days across a DST change), the database's counts equal those from complaintDeadlines.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GRADES, type Grade } from '../../src/contracts/records.ts';
import { complaintDeadlines } from '../../src/domain/complaints/deadlines.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { ReportRepository } from '../../src/store/reports.ts';
import { freshDatabase } from '../support/database.ts';

const opened: Db[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.$disconnect()));
});

const MINUTE = 60_000;
/** Offsets from a deadline: just before, on it, just after, and well past. */
const AROUND = [-MINUTE, 0, 1, MINUTE, 25 * 60 * MINUTE];

async function check(zone: string, period: { from: Date; to: Date }, received: Date[]) {
  const db = openDb({ url: await freshDatabase() });
  opened.push(db);
  const customer = await db.customer.create({ data: { channel: 'console', platformUserId: 'c1' } });
  const expected = new Map<Grade, { forwarded: number; resolvedOnTime: number }>(GRADES.map((g) => [g, { forwarded: 0, resolvedOnTime: 0 }]));
  let n = 0;
  for (const grade of GRADES) {
    for (const at of received) {
      const d = complaintDeadlines(grade, at, zone);
      for (const delta of AROUND) {
        n += 1;
        const forwardedAt = new Date(d.forwardLatest.getTime() + delta);
        const resolvedAt = new Date(d.resolveBy.getTime() + delta);
        const e = expected.get(grade)!;
        if (forwardedAt <= d.forwardLatest) e.forwarded += 1;
        if (resolvedAt <= d.resolveBy) e.resolvedOnTime += 1;
        await db.complaint.create({
          data: {
            number: `TS${String(n).padStart(9, '0')}`, customerId: customer.id, channel: 'console', chatId: 'c1', receivedAt: at, customerName: '张',
            phone: '13800138000', recorder: '小安', content: '内容', category: 'quality', matter: 'quality', hadLoss: false, grade, level: 'contact',
            forwardedAt, resolvedAt, status: 'resolved',
          },
        });
      }
    }
  }
  const figures = await new ReportRepository(db, { zone }).figures({ ...period, label: 'test' });
  for (const g of figures.complaints.byGrade) {
    expect({ grade: g.grade, forwarded: g.forwardedOnTime, resolvedOnTime: g.resolvedOnTime }).toEqual({ grade: g.grade, ...expected.get(g.grade) });
  }
}

describe('report on-time figures follow the deadline table (DOMAIN §2, §4)', () => {
  it('in Asia/Shanghai, including 重大 received late in the evening', async () => {
    const t = (iso: string) => new Date(`${iso}+08:00`);
    await check('Asia/Shanghai', { from: t('2026-10-01T00:00:00'), to: t('2026-11-01T00:00:00') }, [
      t('2026-10-05T00:10:00'),
      t('2026-10-05T10:00:00'),
      t('2026-10-05T23:30:00'),
      t('2026-10-31T23:59:00'),
    ]);
  }, 60_000);

  it('in a zone with DST, across the change', async () => {
    const t = (iso: string) => new Date(`${iso}-05:00`);
    await check('America/New_York', { from: t('2026-03-01T00:00:00'), to: new Date('2026-04-01T00:00:00-04:00') }, [
      t('2026-03-06T10:00:00'),
      t('2026-03-07T23:30:00'),
      t('2026-03-02T09:00:00'),
    ]);
  }, 60_000);
});
