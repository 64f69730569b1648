/**
 * A customer who blocked the bot (Telegram 403, recorded as Customer.unreachableAt) gets no survey
 * message: when their survey is due, the sweep hands it straight to the front desk as a phone
 * callback task. Writing to the bot again makes them reachable.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/env.ts';
import { messages } from '../../src/i18n/index.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { SurveySweeper } from '../../src/scheduler/survey-sweeper.ts';
import { ConversationRepository } from '../../src/store/conversations.ts';
import { SurveyRepository } from '../../src/store/surveys.ts';
import { createHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: '2026-11-23T10:00:00+08:00' });
});
afterEach(async () => {
  await h.close();
});

function sweeper() {
  const s = loadSettings({});
  return new SurveySweeper({ store: new SurveyRepository(h.db), company: h.company, complaints: s.complaints, policy: s.survey, clock: h.clock, log: silentLogger, m: messages('zh') });
}

/** One customer (console chat c0) with a booking whose visit the front desk marks done. */
async function completedVisit(): Promise<string> {
  const customer = await h.db.customer.create({ data: { channel: 'console', platformUserId: 'c0', name: '张', salutation: '先生', phone: '13800138000' } });
  await h.db.conversation.create({ data: { channel: 'console', chatId: 'c0', customerId: customer.id } });
  const number = 'JZ2611000001';
  await h.db.booking.create({
    data: {
      number, customerId: customer.id, serviceCode: 'daily_cleaning', serviceName: '日常保洁', start: new Date('2026-11-23T00:00:00Z'),
      address: '阳光小区3栋501', contactName: '张', salutation: '先生', phone: '13800138000', priceFen: 5000, unit: '小时', confirmKey: 'k0',
    },
  });
  const desk = h.room('front-desk', 'desk');
  await desk.say('/join front-desk');
  await desk.say(`/done ${number}`);
  return number;
}

/** Sweeps every minute for `hours`. */
async function sweepFor(hours: number) {
  const totals = { sent: 0, reminded: 0, phone: 0 };
  for (let i = 0; i < hours * 60; i += 1) {
    h.clock.advance(60_000);
    const r = await sweeper().sweep();
    totals.sent += r.sent;
    totals.reminded += r.reminded;
    totals.phone += r.phone;
  }
  return totals;
}

describe('surveys of unreachable customers', () => {
  it('go straight to the phone callback task, with no message to the customer', async () => {
    await completedVisit();
    expect(await new ConversationRepository(h.db).markUnreachable({ channel: 'console', chatId: 'c0', at: h.clock.now() })).toBe(true);

    const totals = await sweepFor(6);
    expect(totals).toMatchObject({ sent: 0, reminded: 0, phone: 1 });
    expect(await h.db.outbox.count({ where: { chatId: 'c0', kind: 'survey' } })).toBe(0);
    expect(await h.db.outbox.count({ where: { kind: 'phone' } })).toBe(1);
    expect(await h.db.survey.findFirst()).toMatchObject({ status: 'phone' });
  });

  it('are sent as usual to a customer who wrote again after being marked', async () => {
    await completedVisit();
    await new ConversationRepository(h.db).markUnreachable({ channel: 'console', chatId: 'c0', at: h.clock.now() });
    // Writing again (here: confirming the visit, which the survey waits for) makes them reachable.
    await h.chat('c0').say('是的，已经做完了');
    expect((await h.db.customer.findFirst())?.unreachableAt).toBeNull();

    const totals = await sweepFor(6);
    expect(totals.sent).toBe(1);
  });

  it('the front desk takes it by phone; the comment question asks for a typed reply (force_reply in a group)', async () => {
    await completedVisit();
    await new ConversationRepository(h.db).markUnreachable({ channel: 'console', chatId: 'c0', at: h.clock.now() });
    await sweepFor(6);
    const s = await h.db.survey.findFirstOrThrow();
    const desk = h.room('front-desk', 'desk');
    await desk.press(`sv:${s.id}:ph`);
    await desk.press(`sv:${s.id}:os`);
    await desk.press(`sv:${s.id}:qs`);
    const comment = await desk.press(`sv:${s.id}:tt`);
    expect(comment.at(-1)?.expectsReply).toBe(true);
  });
});
