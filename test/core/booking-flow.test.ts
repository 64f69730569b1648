import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.ts';

// Monday 2026-11-23 10:00 in Shanghai, whatever the machine's zone.
const NOW = '2026-11-23T10:00:00+08:00';

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ now: NOW });
});
afterEach(async () => {
  await h.close();
});

async function bookings() {
  return h.db.booking.findMany({ orderBy: { id: 'asc' } });
}

describe('booking by buttons only', () => {
  it('goes from the menu to a stored booking with price shown before confirming', async () => {
    const c = h.chat();
    await c.say('你好');
    expect(c.text).toContain('欢迎来到安家家政服务有限公司');
    expect(c.buttons.map((b) => b.label)).toEqual(['预约服务', '价目表', '我的预约', '投诉与建议', '改约', '取消预约']);
    await c.tap('预约服务');
    expect(c.text).toContain('请问您需要哪项服务');
    await c.tap('日常保洁');
    expect(c.text).toContain('希望什么时间上门');
    // The earliest slot is tomorrow 08:00: cleaning needs a day's notice.
    expect(c.buttons[0]?.label).toBe('11月24日（周二）08:00');
    await c.tap('其他日期');
    await c.tap('11月26日');
    await c.tap('14:00');
    expect(c.text).toContain('服务地址');
    await c.say('阳光小区3栋2单元501');
    expect(c.text).toContain('怎么称呼');
    await c.say('我姓张');
    await c.tap('先生');
    expect(c.text).toContain('张先生，请留下手机号码');
    await c.say('138 0013 8000');
    expect(c.text).toContain('一次性服务，还是需要定期上门');
    await c.tap('每周2次');
    const summary = c.text;
    expect(summary).toContain('服务项目：日常保洁');
    expect(summary).toContain('上门时间：11月26日（周四）14:00');
    expect(summary).toContain('收费标准：¥50/小时（3小时起）');
    expect(summary).toContain('服务内容：客厅、卧室、厨房、卫生间的地面和台面清洁');
    expect(summary).toContain('请提前收好贵重物品');
    expect(summary).toContain('双方责任：');
    expect(summary).toContain('服务频次：每周2次');
    expect(await bookings()).toHaveLength(0); // nothing stored before confirming
    await c.tap('确认预约');
    expect(c.text).toMatch(/预约成功！预约号：JZ261123\d{4}/);
    const [b] = await bookings();
    expect(b).toMatchObject({
      serviceCode: 'daily_cleaning',
      serviceName: '日常保洁',
      address: '阳光小区3栋2单元501',
      contactName: '张',
      salutation: '先生',
      phone: '13800138000',
      frequency: 'weekly:2',
      priceFen: 5000,
      status: 'confirmed',
    });
    expect(b?.start.toISOString()).toBe('2026-11-26T06:00:00.000Z');
    expect(c.text).toContain(b?.number);
  });
});

describe('booking in free text', () => {
  it('understands service and time in one message', async () => {
    const c = h.chat();
    await c.say('明天下午三点来做个日常保洁');
    expect(c.text).toContain('服务地址');
    await c.say('幸福里小区8号楼1201');
    await c.say('王女士');
    expect(c.text).toContain('王女士，请留下手机号码');
    await c.say('13912345678');
    await c.say('就这一次');
    expect(c.text).toContain('上门时间：11月24日（周二）15:00');
    await c.say('确认');
    const [b] = await bookings();
    expect(b?.start.toISOString()).toBe('2026-11-24T07:00:00.000Z');
    expect(b?.frequency).toBe('once');
  });

  it('offers the earliest allowed slots when the time is too soon', async () => {
    const c = h.chat();
    await c.say('今天下午三点保洁');
    expect(c.text).toContain('日常保洁需要至少提前1天预约');
    expect(c.text).toContain('最早可以预约以下时间');
    expect(c.buttons[0]?.label).toBe('11月24日（周二）08:00');
    await c.tap('11月24日（周二）08:00');
    expect(c.text).toContain('服务地址');
  });

  it('pest control needs three days', async () => {
    const c = h.chat();
    await c.say('后天上午10点灭蟑螂');
    expect(c.text).toContain('室内消杀需要至少提前3天预约');
    expect(c.buttons[0]?.label).toBe('11月26日（周四）08:00');
  });

  it('outside service hours offers that day\'s slots', async () => {
    const c = h.chat();
    await c.say('周六晚上9点擦玻璃');
    expect(c.text).toContain('上门服务时间为每天 08:00–20:00');
    expect(c.buttons[0]?.label).toBe('11月28日（周六）08:00');
  });

  it('a day without a time shows that day\'s slots, a period narrows them', async () => {
    const c = h.chat();
    await c.say('周六下午空调清洗');
    expect(c.text).toContain('11月28日（周六）可预约的时间');
    expect(c.buttons[0]?.label).toBe('11月28日（周六）12:00');
  });

  it('rejects a bad phone number and asks again', async () => {
    const c = h.chat();
    await c.say('明天上午9点保洁');
    await c.say('阳光小区3栋501');
    await c.say('李先生');
    await c.say('12345');
    expect(c.text).toContain('手机号格式不对');
    await c.say('+86 139-1234-5678');
    expect(c.text).toContain('定期上门');
  });

  it('can change the time at the summary', async () => {
    const c = h.chat();
    await c.say('明天上午9点保洁');
    await c.say('阳光小区3栋501');
    await c.say('李先生');
    await c.say('13912345678');
    await c.tap('单次');
    await c.say('改到后天上午10点');
    expect(c.text).toContain('上门时间：11月25日（周三）10:00');
  });
});

describe('state survives a restart', () => {
  it('resumes at the same step on a new core', async () => {
    const c = h.chat();
    await c.say('明天上午9点保洁');
    await c.say('阳光小区3栋501');
    expect(c.text).toContain('怎么称呼');
    h.restart();
    await c.say('赵女士');
    expect(c.text).toContain('赵女士，请留下手机号码');
  });
});

describe('two processes on one database', () => {
  it('a turn that lost the race is recomputed on fresh state', async () => {
    const c = h.chat();
    const first = h.core;
    await c.say('明天上午9点保洁'); // served by the first "process"
    const second = h.restart(); // a second "process" on the same file
    await c.say('阳光小区3栋501'); // served by the second; the first's cache is now stale
    h.core = first;
    await c.say('李先生'); // the first process must notice and answer the name step, not the address step
    expect(c.text).toContain('李先生，请留下手机号码');
    h.core = second;
    await c.say('13912345678');
    expect(c.text).toContain('定期上门');
  });

  it('concurrent turns of one chat on two instances never overwrite each other', async () => {
    const cores = [h.core, h.instance().core];
    const messages = Array.from({ length: 30 }, (_, i) => i);
    const replies = await Promise.all(
      messages.map((i) =>
        cores[i % 2]!.handle({ channel: 'console', chatId: 'race', userId: 'race', messageId: `race-${i}`, at: h.clock.now(), text: '你好' }),
      ),
    );
    for (const r of replies) expect(r.length).toBeGreaterThan(0); // every message answered
    // Each committed turn adds one inbound row and one version: a lost update would leave fewer versions.
    const stored = await h.db.inboundMessage.count({ where: { chatId: 'race' } });
    const conversation = await h.db.conversation.findFirstOrThrow({ where: { chatId: 'race' } });
    expect(stored).toBe(30);
    expect(conversation.version).toBe(30);
  });
});

describe('delivery', () => {
  it('answers the same platform message once', async () => {
    const c = h.chat();
    const first = await c.raw({ messageId: 'm-1', text: '你好' });
    expect(first.length).toBeGreaterThan(0);
    expect(await c.raw({ messageId: 'm-1', text: '你好' })).toEqual([]);
    h.restart();
    expect(await c.raw({ messageId: 'm-1', text: '你好' })).toEqual([]);
  });

  it('a confirmation redelivered does not book twice', async () => {
    const c = h.chat();
    await c.say('明天上午9点保洁');
    await c.say('阳光小区3栋501');
    await c.say('李先生');
    await c.say('13912345678');
    await c.tap('单次');
    await c.raw({ messageId: 'confirm-1', action: 'yes' });
    await c.raw({ messageId: 'confirm-1', action: 'yes' });
    expect(await bookings()).toHaveLength(1);
  });
});

async function bookFor(userId: string, when = '明天上午9点保洁') {
  const c = h.chat(userId);
  await c.book(when);
  return c;
}

describe('my bookings, cancel, reschedule', () => {
  it('lists, reschedules and cancels the customer\'s own bookings', async () => {
    const c = await bookFor('u1');
    const [b] = await bookings();
    await c.say('我的预约');
    expect(c.text).toContain(`${b?.number} 日常保洁 11月24日（周二）09:00 单次（已确认）`);
    await c.tap('改约');
    expect(c.text).toContain('改到什么时间');
    await c.say('周五下午两点');
    expect(c.text).toContain('从 11月24日（周二）09:00 改到 11月27日（周五）14:00');
    await c.tap('确认改约');
    expect((await bookings())[0]?.start.toISOString()).toBe('2026-11-27T06:00:00.000Z');
    await c.say('取消预约');
    expect(c.text).toContain(`确定要取消预约 ${b?.number}`);
    await c.tap('确定取消');
    expect(c.text).toContain('已取消');
    expect((await bookings())[0]?.status).toBe('cancelled');
    await c.say('我的预约');
    expect(c.text).toContain('没有待服务的预约');
  });

  it('never shows or changes someone else\'s booking', async () => {
    await bookFor('alice');
    const [b] = await bookings();
    const mallory = h.chat('mallory');
    await mallory.say('我的预约');
    expect(mallory.text).toContain('没有待服务的预约');
    await mallory.press(`cancel:${b?.id}`);
    expect(mallory.text).toContain('没有找到这个预约');
    await mallory.press(`move:${b?.id}`);
    expect(mallory.text).toContain('没有找到这个预约');
    await mallory.say(`取消 ${b?.number}`);
    expect((await bookings())[0]?.status).toBe('confirmed');
  });

  it('a reschedule keeps the lead-time rule', async () => {
    const c = await bookFor('u1', '11月30日上午9点灭蟑螂');
    await c.say('改时间');
    await c.say('明天上午十点');
    expect(c.text).toContain('室内消杀需要至少提前3天预约');
  });
});

describe('returning customers and languages', () => {
  it('offers the saved address and contact on the next booking', async () => {
    const c = await bookFor('u1');
    await c.say('后天上午10点保洁');
    expect(c.buttons[0]?.label).toBe('使用：阳光小区3栋501');
    await c.tap('使用');
    expect(c.buttons[0]?.label).toBe('联系人：李先生 139****5678');
    await c.tap('联系人');
    expect(c.text).toContain('定期上门');
  });

  it('speaks English to a customer who writes English', async () => {
    const c = h.chat();
    await c.say('hello');
    expect(c.text).toContain('welcome to Anjia Housekeeping Services');
    await c.say('I need window cleaning tomorrow at 3pm');
    expect(c.text).toContain('service address');
    await c.say('Flat 12, 88 Nanjing Road');
    await c.say('Mr Smith');
    await c.say('13800138000');
    await c.tap('One-off');
    expect(c.text).toContain('Price: ¥6 per square metre');
    expect(c.text).toContain('put valuables away');
    await c.tap('Confirm booking');
    expect(c.text).toContain('Booked!');
  });

  it('asking for a person hands the customer over (test/core/handover.test.ts has the rest)', async () => {
    const c = h.chat();
    await c.say('转人工');
    expect(c.text).toContain('转接人工客服');
  });
});

describe('stale buttons', () => {
  it('a button from an old menu is refused and the current question asked again', async () => {
    const c = h.chat();
    await c.say('明天上午9点保洁');
    expect(c.text).toContain('服务地址');
    await c.press('freq:once');
    expect(c.text).toContain('这个选项已经过期了');
    expect(c.text).toContain('服务地址');
    await c.press('slot:209912311000');
    expect(c.text).toContain('服务地址');
  });
});
