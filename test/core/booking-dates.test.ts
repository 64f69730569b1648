/**
 * Dates a person can mean (security issue item 4): bookings up to the company's horizon (default
 * 180 days); an impossible or out-of-range date is said back with the valid range, never replaced
 * silently; summaries show the year when it is not the current one, with the right weekday.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCompany } from '../../src/config/company.ts';
import { createHarness, type Harness } from '../support/harness.ts';

// Monday 2026-11-23 10:00 in Shanghai; 180 days on is Saturday 2027-05-22.
const NOW = '2026-11-23T10:00:00+08:00';
const RANGE = '可预约 11月24日 至 2027年5月22日';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: NOW });
});
afterEach(async () => {
  await h.close();
});

describe('dates that cannot be booked are said back, with the valid range', () => {
  it.each([
    ['2月30日上午10点做保洁', '2月30日', '没有'],
    ['13月1日上午10点做保洁', '13月1日', '没有'],
    ['2026-02-30 10:00 日常保洁', '2026-02-30', '没有'],
    ['100000天后上午10点做保洁', '100000天后', '超出'],
    ['9999年12月31日上午10点做保洁', '9999年12月31日', '超出'],
    ['2027年6月1日上午10点做保洁', '2027年6月1日', '超出'],
  ])('%s', async (text, written, why) => {
    const c = h.chat();
    await c.say(text);
    expect(c.text).toContain(written);
    expect(c.text).toContain(why);
    expect(c.text).toContain(RANGE);
    expect(c.text).not.toContain('服务地址'); // the time was not taken
    expect(c.text).not.toContain('11月24日（周二）10:00');
    expect(c.buttons[0]?.label).toBe('11月24日（周二）08:00'); // the earliest slots offered instead
  });

  it('books the last day of the horizon, and shows its year and weekday', async () => {
    const c = h.chat();
    await c.say('2027年5月22日上午10点做保洁');
    expect(c.text).toContain('服务地址');
    await c.say('阳光小区3栋501');
    await c.say('李先生');
    await c.say('13912345678');
    await c.tap('单次');
    expect(c.text).toContain('上门时间：2027年5月22日（周六）10:00');
    await c.tap('确认预约');
    expect(c.text).toContain('2027年5月22日（周六）10:00');
    expect(await h.db.booking.count()).toBe(1);
  });

  it('a forged slot button beyond the horizon is refused with the range', async () => {
    const c = h.chat();
    await c.say('我想约个日常保洁');
    await c.press('slot:999912311000');
    expect(c.text).toContain('超出');
    expect(c.text).toContain(RANGE);
    expect(c.text).not.toContain('服务地址');
    await c.press('day:99991231');
    expect(c.text).toContain(RANGE);
  });

  it('a reschedule says the same', async () => {
    const c = h.chat();
    await c.book();
    await c.say('改时间');
    await c.say('改到2月30日上午10点');
    expect(c.text).toContain('2月30日');
    expect(c.text).toContain(RANGE);
    expect(c.text).not.toContain('确认改约');
    await c.say('2027年1月5日下午2点');
    expect(c.text).toContain('改到 2027年1月5日（周二）14:00');
  });

  it('the horizon is the company file\'s', async () => {
    await h.close();
    h = await createHarness({ now: NOW, company: { ...loadCompany(), bookingHorizonDays: 30 } });
    const c = h.chat();
    await c.say('2027年1月5日上午10点做保洁');
    expect(c.text).toContain('可预约 11月24日 至 12月23日');
  });
});

describe('summaries show the year when it is not this year', () => {
  it('a booking next January says 2027', async () => {
    const c = h.chat();
    await c.book('2027年1月5日上午10点保洁');
    expect(c.text).toContain('2027年1月5日（周二）10:00');
  });
});
