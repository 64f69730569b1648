import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/env.ts';
import { isQuiet } from '../../src/domain/quiet.ts';
import { messages } from '../../src/i18n/index.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { SurveySweeper } from '../../src/scheduler/survey-sweeper.ts';
import { SurveyRepository } from '../../src/store/surveys.ts';
import { createHarness, type Harness } from '../support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: '2026-11-23T08:00:00+08:00' });
});
afterEach(async () => {
  await h.close();
});

/** Surveys here go out without waiting for the customers' confirmation (the timing is the point). */
function sweeper() {
  const s = loadSettings({});
  const company = { ...h.company, surveyStart: { confirmWaitHours: 0, unconfirmed: 'survey' as const } };
  return new SurveySweeper({ store: new SurveyRepository(h.db), company, complaints: s.complaints, policy: s.survey, clock: h.clock, log: silentLogger, m: messages('zh') });
}

/** `count` customers with a booking each, stored directly (the booking flow has its own tests). */
async function seedBookings(count: number): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const customer = await h.db.customer.create({ data: { channel: 'console', platformUserId: `c${i}`, name: '张', salutation: '先生', phone: '13800138000' } });
    await h.db.conversation.create({ data: { channel: 'console', chatId: `c${i}`, customerId: customer.id } });
    const number = `JZ2611${String(i).padStart(6, '0')}`;
    await h.db.booking.create({
      data: {
        number, customerId: customer.id, serviceCode: 'daily_cleaning', serviceName: '日常保洁', start: new Date('2026-11-23T00:00:00Z'),
        address: '阳光小区3栋501', contactName: '张', salutation: '先生', phone: '13800138000', priceFen: 5000, unit: '小时', confirmKey: `k${i}`,
      },
    });
    numbers.push(number);
  }
  return numbers;
}

/** The front desk marks every booking's visit done, a few seconds apart (the turn budget is 30 a minute). */
async function completeAll(numbers: string[]): Promise<void> {
  const desk = h.room('front-desk', 'desk');
  await desk.say('/join front-desk');
  for (const number of numbers) {
    h.clock.advance(2_500);
    await desk.say(`/done ${number}`);
  }
}

const zone = 'Asia/Shanghai';

describe('survey timing at scale (DOMAIN §3)', () => {
  it('a completion at 19:30 never gets a message inside quiet hours', async () => {
    const [number] = await seedBookings(1);
    h.clock.set('2026-11-23T19:30:00+08:00');
    const desk = h.room('front-desk', 'desk');
    await desk.say('/join front-desk');
    await desk.say(`/done ${number}`);
    const run = sweeper();
    // Sweep every minute for three days; record when each message to the customer is written.
    for (let minute = 0; minute < 3 * 24 * 60; minute += 1) {
      h.clock.advance(60_000);
      await run.sweep();
    }
    const sent = await h.db.outbox.findMany({ where: { chatId: 'c0', kind: 'survey' } });
    expect(sent.length).toBe(2); // the first message and the one reminder
    for (const row of sent) expect(isQuiet(row.nextAttemptAt, h.company.quietHours, zone)).toBe(false);
    const s = await h.db.survey.findFirstOrThrow();
    expect(DateTime.fromJSDate(s.sentAt!, { zone }).toFormat('MM-dd HH:mm')).toBe('11-24 09:00');
  }, 60_000);

  it('1,000 completions across three days are all surveyed or handed to staff within 72 h', async () => {
    const numbers = await seedBookings(1000);
    const desk = h.room('front-desk', 'desk');
    await desk.say('/join front-desk');
    const run = sweeper();
    const start = DateTime.fromISO('2026-11-23T08:00', { zone });
    // Completions spread over three days (every ~4.3 minutes, day and night), sweeps every 10 minutes,
    // and every third customer answering the first question they are sent.
    let next = 0;
    for (let tick = 0; tick < 6 * 24 * 6; tick += 1) {
      const now = start.plus({ minutes: tick * 10 });
      h.clock.set(now.toJSDate());
      while (next < numbers.length && next * 259_200 / 1000 <= tick * 600) {
        await desk.say(`/done ${numbers[next]}`);
        next += 1;
      }
      await run.sweep();
      const opened = await h.db.survey.findMany({ where: { status: 'sent', identityOk: null, id: { lte: 1000 } }, select: { id: true, customerId: true } });
      for (const s of opened.filter((x) => x.id % 3 === 0)) {
        const customer = h.chat(`c${s.customerId - 1}`);
        await customer.press(`sv:${s.id}:iy`);
        await customer.press(`sv:${s.id}:os`);
        await customer.press(`sv:${s.id}:qs`);
        await customer.press(`sv:${s.id}:tt`);
        await customer.press(`sv:${s.id}:cs`);
      }
    }
    const surveys = await h.db.survey.findMany();
    expect(surveys).toHaveLength(1000);
    const window = 72 * 3_600_000;
    let answered = 0;
    let phoned = 0;
    for (const s of surveys) {
      expect(s.sentAt, `survey ${s.id} never sent`).not.toBeNull();
      expect(isQuiet(s.sentAt!, h.company.quietHours, zone)).toBe(false);
      if (s.status === 'answered') {
        answered += 1;
        expect(s.answeredAt!.getTime() - s.completedAt.getTime()).toBeLessThanOrEqual(window);
      } else {
        expect(s.status).toBe('phone');
        phoned += 1;
        expect(s.phoneAt!.getTime() - s.completedAt.getTime()).toBeLessThanOrEqual(window);
      }
    }
    expect(answered + phoned).toBe(1000);
    expect(answered).toBeGreaterThan(300);
  }, 240_000);

  it('two schedulers sharing one database never send the same survey twice', async () => {
    const numbers = await seedBookings(200);
    await completeAll(numbers);
    h.clock.set('2026-11-23T14:30:00+08:00');
    const results = await Promise.all([sweeper().sweep(), sweeper().sweep(), sweeper().sweep()]);
    const sentRows = await h.db.outbox.findMany({ where: { kind: 'survey' } });
    expect(sentRows).toHaveLength(200);
    expect(new Set(sentRows.map((r) => r.chatId)).size).toBe(200);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(200);
  }, 60_000);

  it('surveys claimed by an instance that died are swept by another once the lease expires', async () => {
    const numbers = await seedBookings(30);
    await completeAll(numbers);
    h.clock.set('2026-11-23T14:30:00+08:00');
    // An instance claims a batch and dies before acting on it.
    const dead = await new SurveyRepository(h.db, 30_000).claimDue(h.clock.now(), 10);
    expect(dead).toHaveLength(10);
    const first = await sweeper().sweep();
    expect(first.sent).toBe(20); // the claimed ten are left alone while the lease lasts
    h.clock.advance(31_000);
    const second = await sweeper().sweep();
    expect(second.sent).toBe(10);
    const rows = await h.db.outbox.findMany({ where: { kind: 'survey' }, select: { chatId: true } });
    expect(new Set(rows.map((r) => r.chatId)).size).toBe(30);
    expect(rows).toHaveLength(30);
  }, 60_000);
});
