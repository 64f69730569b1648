/**
 * Conversations through the real DialogueCore on the in-memory store (test/support/memory-store.ts)
 * with a set clock: the flows' decisions and the turn semantics in milliseconds, without a
 * database. The database versions of these conversations are booking-flow.test.ts and
 * complaint-flow.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { loadCompany } from '../../src/config/company.ts';
import { loadSettings } from '../../src/config/env.ts';
import type { Button, InboundInput, Outbound } from '../../src/contracts/messages.ts';
import { DialogueCore } from '../../src/core/engine.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { TurnConflict } from '../../src/lib/errors.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { MemoryCoreStore } from '../support/memory-store.ts';

// Monday 2026-11-23 10:00 in Shanghai, whatever the machine's zone.
const NOW = '2026-11-23T10:00:00+08:00';

function setup() {
  const store = new MemoryCoreStore();
  const clock = new ManualClock(NOW);
  const settings = loadSettings({});
  const core = () => new DialogueCore({ store, company: loadCompany(), clock, log: silentLogger, complaints: settings.complaints, survey: settings.survey });
  return { store, clock, core: core(), newCore: core };
}

let messageSeq = 0;

/** One person in one chat; `raw` fields override the defaults (for duplicates). */
class Chat {
  replies: Outbound[] = [];
  constructor(
    private readonly core: DialogueCore,
    private readonly clock: ManualClock,
    readonly userId = 'u1',
  ) {}

  async raw(fields: Partial<InboundInput>): Promise<Outbound[]> {
    messageSeq += 1;
    this.replies = await this.core.handle({ channel: 'console', chatId: this.userId, userId: this.userId, chatType: 'private', messageId: `m${messageSeq}`, at: this.clock.now(), ...fields });
    return this.replies;
  }
  say = (text: string) => this.raw({ text });
  async tap(label: string): Promise<Outbound[]> {
    const button = this.buttons.find((b) => b.label.includes(label));
    if (!button) throw new Error(`no button "${label}" in: ${this.buttons.map((b) => b.label).join(' | ')}`);
    return this.raw({ action: button.action });
  }
  get buttons(): Button[] {
    return this.replies.flatMap((r) => (r.buttons ?? []).flat());
  }
  get text(): string {
    return this.replies.map((r) => r.text).join('\n');
  }
}

describe('booking on the memory store', () => {
  it('goes from the menu to a stored booking, storing nothing before the confirmation', async () => {
    const { store, clock, core } = setup();
    const c = new Chat(core, clock);
    await c.say('你好');
    expect(c.buttons.map((b) => b.label)).toContain('预约服务');
    await c.tap('预约服务');
    await c.tap('日常保洁');
    expect(c.buttons[0]?.label).toBe('11月24日（周二）08:00'); // a day's notice
    await c.tap('其他日期');
    await c.tap('11月26日');
    await c.tap('14:00');
    await c.say('阳光小区3栋2单元501');
    await c.say('我姓张');
    await c.tap('先生');
    await c.say('138 0013 8000');
    await c.tap('每周2次');
    expect(c.text).toContain('上门时间：11月26日（周四）14:00');
    expect(store.records.bookings).toEqual([]);
    await c.tap('确认预约');

    expect(c.text).toMatch(/预约成功！预约号：JZ261123\d{4}/);
    expect(store.records.bookings).toHaveLength(1);
    const [booking] = store.records.bookings;
    expect(booking).toMatchObject({ serviceCode: 'daily_cleaning', address: '阳光小区3栋2单元501', contactName: '张', salutation: '先生', phone: '13800138000', frequency: 'weekly:2', status: 'confirmed' });
    expect(booking?.start.toISOString()).toBe('2026-11-26T06:00:00.000Z');
    // Every message was one committed turn, each moving the conversation's version by one.
    expect(store.turns).toMatchObject({ committed: 12, duplicate: 0 });
    expect(store.records.conversations[0]?.version).toBe(12);
    expect(store.records.customers[0]).toMatchObject({ name: '张', salutation: '先生', phone: '13800138000' });
  });

  it('books from free text and offers the earliest allowed slot when the time is too soon', async () => {
    const { store, clock, core } = setup();
    const c = new Chat(core, clock);
    await c.say('今天下午三点保洁');
    expect(c.text).toContain('日常保洁需要至少提前1天预约');
    await c.tap('11月24日（周二）08:00');
    await c.say('幸福里小区8号楼1201');
    await c.say('王女士');
    await c.say('13912345678');
    await c.say('就这一次');
    await c.say('确认');
    expect(store.records.bookings.map((b) => [b.start.toISOString(), b.frequency, b.contactName])).toEqual([['2026-11-24T00:00:00.000Z', 'once', '王']]);
  });

  it('answers a redelivered message once, and a redelivered confirmation books once', async () => {
    const { store, clock, core } = setup();
    const c = new Chat(core, clock);
    const first = await c.raw({ messageId: 'hello-1', text: '你好' });
    expect(first.length).toBeGreaterThan(0);
    expect(await c.raw({ messageId: 'hello-1', text: '你好' })).toEqual([]);
    await c.say('明天上午9点保洁');
    await c.say('阳光小区3栋501');
    await c.say('李先生');
    await c.say('13912345678');
    await c.tap('单次');
    const confirm = c.buttons.find((b) => b.label.includes('确认预约'))!;
    await c.raw({ messageId: 'confirm-1', action: confirm.action });
    expect(await c.raw({ messageId: 'confirm-1', action: confirm.action })).toEqual([]);
    expect(store.records.bookings).toHaveLength(1);
    expect(store.turns.duplicate).toBe(2);
  });

  it('confirms again at once, on the same read, when the booking number drawn was taken', async () => {
    const { store, clock, core } = setup();
    const reads = vi.spyOn(store, 'conversation');
    const commit = store.commitTurn.bind(store);
    const numbers: string[] = [];
    // The first confirmation clashes with a number taken elsewhere (the store writes nothing).
    store.commitTurn = async (opts) => {
      const booking = opts.effects.find((e) => e.kind === 'createBooking');
      if (booking) numbers.push(booking.booking.number);
      if (booking && numbers.length === 1) {
        store.turns.number_taken += 1;
        throw new TurnConflict('number_taken');
      }
      return commit(opts);
    };
    const c = new Chat(core, clock);
    await c.say('明天上午9点保洁');
    await c.say('阳光小区3栋501');
    await c.say('李先生');
    await c.say('13912345678');
    await c.tap('单次');
    await c.tap('确认预约');
    expect(c.text).toMatch(/预约成功！预约号：JZ261123\d{4}/);
    expect(store.records.bookings).toHaveLength(1);
    expect(numbers).toHaveLength(2);
    expect(store.turns).toMatchObject({ number_taken: 1, stale: 0 });
    // Read once, at the first contact: the clash did not reload the conversation.
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('keeps every turn of one chat handled by two instances at once', async () => {
    const { store, clock, newCore } = setup();
    const cores = [newCore(), newCore()];
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        cores[i % 2]!.handle({ channel: 'console', chatId: 'race', userId: 'race', chatType: 'private', messageId: `race-${i}`, at: clock.now(), text: '你好' }),
      ),
    );
    expect(replies.every((r) => r.length > 0 && !/出了点问题/.test(r[0]!.text))).toBe(true);
    expect(store.turns.committed).toBe(6);
    expect(store.records.conversations).toHaveLength(1);
    expect(store.records.conversations[0]?.version).toBe(6);
    expect(store.records.inbound).toHaveLength(6);
  });
});

describe('complaints on the memory store', () => {
  it('records, grades and forwards a complaint about a booking, with its number and deadlines', async () => {
    const { store, clock, core } = setup();
    const c = new Chat(core, clock, 'zhang');
    await c.say('明天上午9点保洁');
    await c.say('阳光小区3栋2单元501');
    await c.say('张先生');
    await c.say('13800138000');
    await c.tap('单次');
    await c.tap('确认预约');
    clock.set('2026-11-24T13:00:00+08:00');
    await c.say('阿姨把花瓶打碎了');
    expect(c.text).toContain('有没有给您造成经济损失');
    await c.tap('有损失');
    await c.say('五百块左右');
    await c.tap('第一次反映');

    expect(c.text).toMatch(/您的投诉已记录，编号：TS261124\d{4}/);
    // The committed times, not the internal grade.
    expect(c.text).toContain('我们承诺：在11月24日（周二）14:00前转交负责人，11月27日（周五）13:00前给您处理结果');
    expect(c.text).not.toContain('重要');
    expect(store.records.complaints).toHaveLength(1);
    const [complaint] = store.records.complaints;
    expect(complaint).toMatchObject({
      customerName: '张',
      phone: '13800138000',
      content: '阿姨把花瓶打碎了',
      category: 'damage',
      hadLoss: true,
      lossYuan: 500,
      grade: 'important',
      level: 'department_head',
      status: 'open',
      bookingId: store.records.bookings[0]?.id,
      version: 0,
    });
    expect(complaint?.events.map((e) => e.kind)).toEqual(['created', 'forwarded']);
    const post = store.records.outbox.find((row) => row.chatId === 'heads');
    expect(post?.message.text).toContain(`【投诉 ${complaint?.number}】重要 · 部门负责人`);
    expect(post?.message.text).not.toContain('13800138000');
  });

  it('staff join, claim and resolve; the complaint moves one version per change and the customer is told', async () => {
    const { store, clock, core } = setup();
    const c = new Chat(core, clock, 'wang');
    await c.say('阿姨态度很差，还一直玩手机');
    await c.tap('没有损失');
    await c.tap('第一次反映');
    await c.say('王先生');
    await c.say('13700001111');
    const [filed] = store.records.complaints;
    expect(filed).toMatchObject({ grade: 'minor', level: 'contact', status: 'open', version: 0 });
    const number = filed!.number;

    const room = (userId: string) => new Chat(core, clock, userId);
    const desk = room('desk-1');
    const inRoom = { chatId: 'front-desk', chatType: 'group' as const, displayName: '前台小李' };
    await desk.raw({ ...inRoom, text: '/join front-desk' });
    expect(desk.text).toContain('已加入，身份：前台客服');
    const stranger = room('stranger');
    await stranger.raw({ ...inRoom, displayName: undefined, action: `claim:${number}` });
    expect(stranger.text).toContain('只有公司员工可以操作');
    expect(store.records.complaints[0]).toMatchObject({ status: 'open', version: 0 });

    await desk.raw({ ...inRoom, action: `claim:${number}` });
    expect(desk.text).toContain(`投诉 ${number} 已由前台小李认领`);
    await desk.raw({ ...inRoom, action: `resolve:${number}` });
    await desk.raw({ ...inRoom, text: '已向客户道歉，并对该阿姨进行了培训和处罚。' });
    expect(desk.text).toContain('处理完成');

    const [after] = store.records.complaints;
    expect(after).toMatchObject({ status: 'resolved', handler: '前台小李', valid: true, claimedBy: store.records.staff[0]?.id, version: 2 });
    expect(after?.events.map((e) => e.kind)).toEqual(['created', 'forwarded', 'claimed', 'resolved']);
    const toCustomer = store.records.outbox.filter((row) => row.chatId === 'wang').map((row) => row.message.text);
    expect(toCustomer.some((text) => text.includes(`您的投诉（编号 ${number}）已由前台小李负责处理`))).toBe(true);
    expect(toCustomer.some((text) => text.includes('已处理完毕：已向客户道歉'))).toBe(true);
  });
});

describe('the memory store keeps the Prisma store turn semantics', () => {
  const inbound = (messageId: string) => ({ channel: 'console' as const, messageId, chatId: 'c', userId: 'c', kind: 'text' as const, at: new Date(NOW) });
  const booking = (number: string, confirmKey: string) => ({
    kind: 'createBooking' as const,
    booking: { number, customerId: 1, serviceCode: 'daily_cleaning', serviceName: '日常保洁', start: new Date(NOW), address: 'a', contactName: '张', salutation: '先生' as const, phone: '13800138000', frequency: 'once', priceFen: 5000, unit: '小时', confirmKey },
  });

  it('refuses a moved version, a seen message and a taken number, each writing nothing', async () => {
    const store = new MemoryCoreStore();
    const { id } = await store.conversation({ channel: 'console', chatId: 'c', userId: 'c', locale: 'zh' });
    const turn = (messageId: string, version: number, effects = [booking(`JZ${messageId}`, messageId)]) =>
      store.commitTurn({ inbound: inbound(messageId), conversationId: id, version, state: messageId, locale: 'zh', effects, now: new Date(NOW) });

    await turn('1', 0);
    await expect(turn('2', 0)).rejects.toMatchObject({ reason: 'stale' });
    await expect(turn('1', 1)).rejects.toMatchObject({ reason: 'duplicate' });
    // The number clashes after the first write of the turn: that write is undone too.
    await expect(turn('3', 1, [booking('JZ3', 'k3'), booking('JZ1', 'k4')])).rejects.toMatchObject({ reason: 'number_taken' });
    expect(store.records.bookings.map((b) => b.number)).toEqual(['JZ1']);
    expect(store.records.inbound).toHaveLength(1);
    expect(store.records.conversations[0]).toMatchObject({ version: 1, state: '1' });
    expect(store.turns).toEqual({ committed: 1, duplicate: 1, stale: 1, number_taken: 1 });
  });
});
