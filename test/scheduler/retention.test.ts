/**
 * The daily retention job (DOMAIN §5, PIPL): inbound ids after 90 days, an untouched conversation's
 * state after a year, and a customer's personal data 3 years after their last service, keeping the
 * anonymised rows (and the report figures).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/lib/log.ts';
import { RetentionJob } from '../../src/scheduler/retention.ts';
import { RetentionRepository } from '../../src/store/retention.ts';
import { ReportRepository } from '../../src/store/reports.ts';
import { createHarness, type Harness } from '../support/harness.ts';

const NOW = '2026-11-30T03:30:00+08:00';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: NOW });
});
afterEach(async () => {
  await h.close();
});

const job = () => new RetentionJob({ store: new RetentionRepository(h.db), policy: h.company.retention, clock: h.clock, log: silentLogger });

/** A customer with one completed booking at `start` and a complaint about it, last touched then. */
async function customer(user: string, start: string, phone: string, address: string) {
  const db = h.db;
  const at = new Date(start);
  const c = await db.customer.create({ data: { channel: 'console', platformUserId: user, name: `${user}姓`, salutation: '女士', phone, address, createdAt: at } });
  await db.conversation.create({ data: { channel: 'console', chatId: user, customerId: c.id, state: JSON.stringify({ flow: 'book', step: 'phone', draft: { address } }), updatedAt: at } });
  const b = await db.booking.create({
    data: {
      number: `JZ${user}`, customerId: c.id, serviceCode: 'daily_cleaning', serviceName: '日常保洁', start: at, address, contactName: `${user}姓`,
      salutation: '女士', phone, priceFen: 5000, unit: '小时', confirmKey: `k-${user}`, status: 'completed', visits: 1,
    },
  });
  await db.complaint.create({
    data: {
      number: `TS${user}`, customerId: c.id, bookingId: b.id, channel: 'console', chatId: user, receivedAt: at, customerName: `${user}姓`, phone, address,
      recorder: '小安', content: `${user}的投诉，电话${phone}`, category: 'quality', matter: 'quality:daily_cleaning', hadLoss: false, grade: 'minor', level: 'contact', status: 'closed',
    },
  });
  await db.survey.create({
    data: {
      bookingId: b.id, visit: 1, customerId: c.id, channel: 'console', chatId: user, completedAt: at, completedBy: 'staff:1', status: 'answered', answeredAt: at,
      answeredBy: 'customer', overall: 'satisfied', comment: `${user}说很好`,
    },
  });
  return c;
}

async function dump(): Promise<string> {
  const db = h.db;
  return JSON.stringify(
    await Promise.all([db.customer.findMany(), db.conversation.findMany(), db.booking.findMany(), db.complaint.findMany(), db.survey.findMany(), db.inboundMessage.findMany()]),
  );
}

describe('retention job', () => {
  it('deletes old inbound ids, resets year-old conversation state, erases customers 3 years after their last service, and keeps the rest', async () => {
    const db = h.db;
    const inbound = (id: string, at: string) =>
      db.inboundMessage.create({ data: { channel: 'console', platformMessageId: id, chatId: 'x', userId: 'x', kind: 'text', receivedAt: new Date(at) } });
    await inbound('old', '2026-08-01T00:00:00Z'); // 121 days
    await inbound('new', '2026-10-15T00:00:00Z'); // 46 days
    const old = await customer('oldcust', '2023-06-01T02:00:00Z', '13511112222', '旧城小区1栋101'); // 3.5 years
    const recent = await customer('recent', '2025-06-01T02:00:00Z', '13633334444', '新城花园2栋202'); // 1.5 years
    const span = { from: new Date('2023-05-31T16:00:00Z'), to: new Date('2023-06-30T16:00:00Z'), label: '2023年6月' };
    const before = await new ReportRepository(db).figures(span);

    const summary = await job().run();
    // Both conversations are over a year old; the old customer's is then deleted with their data.
    expect(summary).toMatchObject({ inbound: 1, conversations: 2, customers: 1 });

    expect((await db.inboundMessage.findMany()).map((r) => r.platformMessageId)).toEqual(['new']);
    const all = await dump();
    for (const secret of ['13511112222', '旧城小区', 'oldcust姓', 'oldcust的投诉', 'oldcust说很好']) expect(all, secret).not.toContain(secret);
    // The recent customer keeps everything but the year-old draft of their conversation.
    for (const kept of ['13633334444', '新城花园2栋202', 'recent姓', 'recent的投诉', 'recent说很好']) expect(all, kept).toContain(kept);
    const conversation = await db.conversation.findFirstOrThrow({ where: { customerId: recent.id } });
    expect(JSON.parse(conversation.state)).toEqual({ flow: 'idle' });
    expect((await db.customer.findUniqueOrThrow({ where: { id: old.id } })).erasedAt).not.toBeNull();
    expect(await db.booking.count()).toBe(2);
    expect(await db.complaint.count()).toBe(2);
    expect(await new ReportRepository(db).figures(span)).toEqual(before);

    // Idempotent: a second run (or another instance) finds nothing more to do.
    expect(await job().run()).toMatchObject({ inbound: 0, conversations: 0, customers: 0 });
  });

  it('leaves a customer with a booking still to be served, however old their first contact', async () => {
    const c = await customer('waiting', '2022-01-01T02:00:00Z', '13799990000', '等候小区3栋303');
    await h.db.booking.create({
      data: {
        number: 'JZwaiting2', customerId: c.id, serviceCode: 'daily_cleaning', serviceName: '日常保洁', start: new Date('2022-02-01T02:00:00Z'), address: '等候小区3栋303',
        contactName: 'waiting姓', salutation: '女士', phone: '13799990000', priceFen: 5000, unit: '小时', confirmKey: 'k-waiting2', status: 'confirmed',
      },
    });
    expect(await job().run()).toMatchObject({ customers: 0 });
    expect(await dump()).toContain('13799990000');
  });
});
