/**
 * The customer's right to erasure (PIPL; DOMAIN §5): "删除我的信息" / "delete my data", confirmed
 * with a button, erases the customer's personal fields and conversation history in one
 * transaction, keeps anonymised rows for the reports and tells the front desk.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleInbox } from '../../src/store/console-inbox.ts';
import { decodePayload } from '../../src/store/outbox.ts';
import { ReportRepository } from '../../src/store/reports.ts';
import { createHarness, type Chat, type Harness } from '../support/harness.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const NOW = '2026-11-23T10:00:00+08:00';
const NOVEMBER = { from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z'), label: '2026年11月' };

/** What the customer typed or gave, none of which may remain anywhere after erasure. */
const PERSONAL = ['13712349876', '欧阳', '翠湖花园', '1602', '青花瓷', '周师傅', 'ouyang-user', 'Ouyang Display'];

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: NOW });
});
afterEach(async () => {
  await h.close();
});

/** Answers the complaint intake's questions with the first button (or a plain answer) until it is recorded. */
async function complain(c: Chat, text: string): Promise<string> {
  await c.say(text);
  for (let i = 0; i < 8 && !/TS\d{10}/.test(c.text); i += 1) {
    const b = c.buttons[0];
    if (b) await c.press(b.action);
    else await c.say('没有');
  }
  const number = /TS\d{10}/.exec(c.text)?.[0];
  if (!number) throw new Error(`complaint not recorded: ${c.text}`);
  return number;
}

/** Every row of every table, as one text. */
async function everything(): Promise<string> {
  const db = h.db;
  const tables = await Promise.all([
    db.customer.findMany(), db.conversation.findMany(), db.inboundMessage.findMany(), db.booking.findMany(), db.staff.findMany(),
    db.complaint.findMany(), db.complaintEvent.findMany(), db.outbox.findMany(), db.consoleMessage.findMany(), db.survey.findMany(), db.reportRun.findMany(),
    db.handover.findMany(),
  ]);
  return JSON.stringify(tables);
}

async function reportSnapshot() {
  const reports = new ReportRepository(h.db);
  const figures = await reports.figures(NOVEMBER);
  const complaints = await reports.complaintRows(NOVEMBER);
  const callbacks = await reports.callbackRows(NOVEMBER);
  return { figures, complaints: complaints.length, callbacks: callbacks.length, bookings: await h.db.booking.count(), surveys: await h.db.survey.count() };
}

/** A customer with a booking (visited), a complaint and an answered survey, everything delivered. */
async function customerWithHistory(): Promise<{ c: Chat; complaint: string }> {
  const c = h.chat('ouyang-user');
  await c.raw({ text: '你好', displayName: 'Ouyang Display' });
  await c.book('明天上午9点保洁', { address: '翠湖花园8栋1602', who: '欧阳女士', phone: '13712349876' });
  const complaint = await complain(c, '保洁阿姨打碎了我的青花瓷花瓶，电话13712349876');
  const [booking] = await h.db.booking.findMany();
  if (!booking) throw new Error('no booking');
  await h.db.booking.update({ where: { id: booking.id }, data: { status: 'completed', visits: 1 } });
  await h.db.complaint.update({ where: { number: complaint }, data: { status: 'closed', resolvedAt: new Date(), resolution: '已赔偿欧阳女士', handler: '前台小李' } });
  await h.db.survey.create({
    data: {
      bookingId: booking.id, visit: 1, customerId: booking.customerId, channel: 'console', chatId: 'ouyang-user', completedAt: new Date('2026-11-24T04:00:00Z'),
      completedBy: 'staff:1', status: 'answered', answeredAt: new Date('2026-11-24T06:00:00Z'), answeredBy: 'customer', overall: 'satisfied', quality: 'satisfied',
      timeliness: 'timely', comment: '希望下次还是周师傅来',
    },
  });
  // A handover whose post quotes the customer's last lines and whose relayed messages carry their words.
  await c.say('转人工');
  await c.say('我住翠湖花园8栋1602，电话13712349876');
  await c.say('/end');
  await h.dispatcher({ console: new ConsoleInbox(h.db) }).tick();
  return { c, complaint };
}

describe('删除我的信息 (erasure on request)', () => {
  it('explains, asks to confirm, erases everything personal, keeps the report figures and tells the front desk', async () => {
    const { c } = await customerWithHistory();
    const customer = await h.db.customer.findFirstOrThrow({ where: { platformUserId: 'ouyang-user' } });
    const before = await reportSnapshot();
    expect(before.complaints).toBe(1);
    expect(await everything()).toContain('13712349876');
    // Delivered too: the staff room's copy of the complaint post and the customer's console chat.
    expect(JSON.stringify(await h.db.consoleMessage.findMany())).toContain('青花瓷');
    expect(JSON.stringify(await h.db.consoleMessage.findMany())).toContain('客户】我住翠湖花园8栋1602');

    await c.say('删除我的信息');
    expect(c.text).toContain('将删除');
    expect(c.text).toContain('保留');
    expect(c.buttons.map((b) => b.label)).toEqual(['确认删除', '不删除']);
    // Nothing happens before the confirmation.
    expect(await everything()).toContain('13712349876');

    await c.tap('确认删除');
    expect(c.text).toContain('已删除');

    const all = await everything();
    for (const secret of PERSONAL) expect(all, secret).not.toContain(secret);
    expect(await reportSnapshot()).toEqual(before);

    const notices = await h.db.outbox.findMany({ where: { chatId: 'front-desk', kind: 'notice' } });
    expect(notices).toHaveLength(1);
    expect(decodePayload(notices[0]!.payload).text).toContain(`#${customer.id}`);

    // The same person writing again is a new customer with no link to the erased one.
    await c.say('你好');
    expect(c.text).not.toContain('欧阳');
    expect(await h.db.customer.count()).toBe(2);
    const erased = await h.db.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(erased.erasedAt).not.toBeNull();
    // Nothing is swept about it any more (the callback after resolution would go to no chat).
    expect((await h.db.complaint.findFirstOrThrow()).nextDeadlineAt).toBeNull();
  });

  it('says what stays and changes nothing when the customer declines', async () => {
    const { c } = await customerWithHistory();
    await c.say('delete my data');
    expect(c.text).toMatch(/erase/i);
    await c.tap('Keep');
    expect(c.text).toMatch(/nothing/i);
    expect(await everything()).toContain('13712349876');
    await c.say('删除我的数据');
    await c.say('不了');
    expect(await everything()).toContain('翠湖花园8栋1602');
  });

  it('refuses while a booking is still to be served, and says how to go on', async () => {
    const c = h.chat('ouyang-user');
    await c.book('明天上午9点保洁', { address: '翠湖花园8栋1602', who: '欧阳女士', phone: '13712349876' });
    await c.say('删除我的信息');
    expect(c.text).toContain('取消');
    expect(c.buttons.map((b) => b.label)).not.toContain('确认删除');
    expect(await everything()).toContain('13712349876');
  });
});
