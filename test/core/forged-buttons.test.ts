/**
 * Buttons are checked against what the customer was shown (security issue item 3): forged or
 * replayed payloads change nothing and post nothing to staff rooms, a visit is disputed once, and
 * one chat has a turn budget so a flood cannot monopolise the core or a staff room.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodePayload } from '../../src/store/outbox.ts';
import { createHarness, type Chat, type Harness } from '../support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: '2026-11-23T10:00:00+08:00' });
});
afterEach(async () => {
  await h.close();
});

const deskNotices = async () =>
  (await h.db.outbox.findMany({ orderBy: { id: 'asc' } }))
    .map((r) => ({ ...r, message: decodePayload(r.payload) }))
    .filter((r) => r.message.text.includes('没有完成'));

async function bookAndComplete(user = 'zhang'): Promise<{ customer: Chat; bookingId: number; number: string }> {
  const customer = h.chat(user);
  await customer.book('明天上午9点保洁', { who: '张先生', phone: '13800138000' });
  const number = /JZ\d{10}/.exec(customer.text)![0];
  h.clock.set('2026-11-24T12:00:00+08:00');
  const desk = h.room('front-desk', 'desk', '前台小李');
  await desk.say('/join front-desk');
  await desk.say(`/done ${number}`);
  const booking = await h.db.booking.findFirstOrThrow({ where: { number } });
  return { customer, bookingId: booking.id, number };
}

describe('forged visit buttons', () => {
  it("2,000 forged 'visit not done' presses for one booking produce at most one front-desk notice", async () => {
    const { customer, bookingId } = await bookAndComplete();
    for (let i = 1; i <= 2000; i += 1) await customer.press(`vno:${bookingId}.${i}`);
    expect(await deskNotices()).toHaveLength(1);
  }, 120_000);

  it('a dispute needs a completed visit of the customer, and is posted once per visit', async () => {
    const { customer, bookingId } = await bookAndComplete();
    // A visit that never happened (there was one visit): nothing posted.
    h.clock.advance(60_000);
    await customer.press(`vno:${bookingId}.2`);
    expect(customer.text).toContain('这个选项已经过期了');
    expect(await deskNotices()).toHaveLength(0);
    // Someone else pressing the customer's button: nothing posted.
    const stranger = h.chat('stranger');
    await stranger.press(`vno:${bookingId}.1`);
    expect(await deskNotices()).toHaveLength(0);
    // The real dispute, then the same again.
    await customer.press(`vno:${bookingId}.1`);
    expect(customer.text).toContain('已请前台核实');
    expect(await deskNotices()).toHaveLength(1);
    await customer.press(`vno:${bookingId}.1`);
    expect(customer.text).toContain('已经收到您的反馈');
    expect(await deskNotices()).toHaveLength(1);
  });

  it('a visit button of a booking not yet completed does nothing', async () => {
    const customer = h.chat('zhang');
    await customer.book('明天上午9点保洁', { who: '张先生', phone: '13800138000' });
    const booking = await h.db.booking.findFirstOrThrow();
    await customer.press(`vok:${booking.id}.1`);
    expect(customer.text).toContain('这个选项已经过期了');
    await customer.press(`vno:${booking.id}.1`);
    expect(customer.text).toContain('这个选项已经过期了');
    expect(await deskNotices()).toHaveLength(0);
  });

  it('a survey answer before the survey was sent changes nothing', async () => {
    const { customer } = await bookAndComplete();
    const s = await h.db.survey.findFirstOrThrow();
    expect(s.status).toBe('scheduled');
    await customer.press(`sv:${s.id}:iy`);
    await customer.press(`sv:${s.id}:os`);
    const after = await h.db.survey.findFirstOrThrow();
    expect(after.identityOk).toBeNull();
    expect(after.overall).toBeNull();
  });
});

describe('forged complaint and survey buttons', () => {
  it("a complaint cannot be tied to someone else's booking", async () => {
    const alice = h.chat('alice');
    await alice.book('明天上午9点保洁', { who: '王女士', phone: '13700137000' });
    const alices = await h.db.booking.findFirstOrThrow();
    const c = h.chat('zhang');
    await c.book('明天上午9点保洁', { who: '张先生', phone: '13800138000' });
    await c.book('后天上午9点保洁', { who: '张先生', phone: '13800138000' });
    await c.say('我要投诉');
    await c.say('阿姨打碎了一个杯子');
    expect(c.buttons.filter((b) => b.label.includes('JZ'))).toHaveLength(2); // which booking: his two
    await c.press(`cbk:${alices.id}`);
    expect(c.text).toContain('这个选项已经过期了');
    await c.press('cbk:0');
    await c.tap('没有损失');
    await c.tap('第一次');
    const complaint = await h.db.complaint.findFirstOrThrow();
    expect(complaint.bookingId).toBeNull();
  });

  it('a survey answer for a question not yet asked changes nothing', async () => {
    const { customer } = await bookAndComplete();
    h.clock.set('2026-11-24T14:00:00+08:00');
    const s0 = await h.db.survey.findFirstOrThrow();
    await h.db.survey.update({ where: { id: s0.id }, data: { status: 'sent', sentAt: h.clock.now() } });
    await customer.press(`sv:${s0.id}:cs`); // "no comment" closes the survey: only after the last question
    await customer.press(`sv:${s0.id}:qd`);
    const after = await h.db.survey.findFirstOrThrow();
    expect(after.status).toBe('sent');
    expect(after.quality).toBeNull();
    await customer.press(`sv:${s0.id}:iy`);
    await customer.press(`sv:${s0.id}:os`);
    expect((await h.db.survey.findFirstOrThrow()).overall).toBe('satisfied');
  });
});

describe('the turn budget', () => {
  it('answers 30 turns a minute, then says "please wait" once and does no work until the minute has passed', async () => {
    const c = h.chat('flood');
    for (let i = 0; i < 30; i += 1) {
      await c.say('价格');
      expect(c.text).not.toContain('请稍候');
    }
    await c.say('价格');
    expect(c.text).toContain('请稍候');
    const inboundBefore = await h.db.inboundMessage.count();
    for (let i = 0; i < 50; i += 1) {
      await c.say('价格');
      expect(c.replies).toEqual([]);
    }
    expect(await h.db.inboundMessage.count()).toBe(inboundBefore);
    // Another customer is not affected.
    const other = h.chat('calm');
    await other.say('价格');
    expect(other.text).not.toContain('请稍候');
    h.clock.advance(61_000);
    await c.say('价格');
    expect(c.text).not.toContain('请稍候');
    expect(c.replies.length).toBeGreaterThan(0);
  });

  it('counts buttons pressed by staff in a room per user', async () => {
    const desk = h.room('front-desk', 'desk', '前台小李');
    await desk.say('/join front-desk');
    for (let i = 0; i < 29; i += 1) await desk.press('done:999');
    await desk.press('done:999');
    expect(desk.text).toContain('请稍候');
    const other = h.room('front-desk', 'desk2', '前台小王');
    await other.press('done:999');
    expect(other.text).not.toContain('请稍候');
  });
});
