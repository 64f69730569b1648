/**
 * Questions that arrive as notices (问题解决了吗？, the completion check), answered the way customers
 * answer them: in words, later, after other messages, or by the number they were shown, also after
 * a restart. Transcripts through the real core on the in-memory store with a set clock.
 */
import { describe, expect, it } from 'vitest';
import { loadCompany } from '../../src/config/company.ts';
import { loadSettings } from '../../src/config/env.ts';
import type { Button, InboundInput, Outbound } from '../../src/contracts/messages.ts';
import { DialogueCore } from '../../src/core/engine.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { MemoryCoreStore } from '../support/memory-store.ts';
import { transcript } from '../support/transcript.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const NOW = '2026-11-23T10:00:00+08:00';

let seq = 0;

function setup() {
  const store = new MemoryCoreStore();
  const clock = new ManualClock(NOW);
  const settings = loadSettings({});
  const world = {
    store,
    clock,
    core: undefined as unknown as DialogueCore,
    /** A new process on the same data: nothing remembered in memory. */
    restart() {
      world.core = new DialogueCore({ store, company: loadCompany(), clock, log: silentLogger, complaints: settings.complaints, survey: settings.survey });
    },
  };
  world.restart();
  return world;
}
type World = ReturnType<typeof setup>;

class Chat {
  replies: Outbound[] = [];
  constructor(
    private readonly w: World,
    readonly userId: string,
    private readonly where: Partial<InboundInput> = {},
  ) {}
  async raw(fields: Partial<InboundInput>): Promise<Outbound[]> {
    seq += 1;
    this.replies = await this.w.core.handle({
      channel: 'console', chatId: this.userId, userId: this.userId, chatType: 'private', messageId: `n${seq}`, at: this.w.clock.now(), ...this.where, ...fields,
    });
    return this.replies;
  }
  say = (text: string) => this.raw({ text });
  press = (action: string) => this.raw({ action });
  async tap(label: string): Promise<Outbound[]> {
    const button = this.buttons.find((b) => b.label.includes(label));
    if (!button) throw new Error(`no button "${label}" in: ${this.buttons.map((b) => b.label).join(' | ')}`);
    return this.press(button.action);
  }
  get buttons(): Button[] {
    return this.replies.flatMap((r) => (r.buttons ?? []).flat());
  }
  get text(): string {
    return this.replies.map((r) => r.text).join('\n');
  }
}

/** The messages queued for a chat, oldest first (the outbox; nothing sends them here). */
const queued = (w: World, chatId: string) => w.store.records.outbox.filter((row) => row.chatId === chatId);

/** A minor complaint, claimed and resolved by the front desk; the callback question is queued. */
async function resolvedComplaint(w: World) {
  const customer = new Chat(w, 'wang');
  await transcript(customer, [
    ['阿姨态度很差，还一直玩手机', '致歉'],
  ]);
  await customer.tap('没有损失');
  await customer.tap('第一次反映');
  await customer.say('王先生');
  await customer.say('13700001111');
  const number = w.store.records.complaints[0]!.number;
  const desk = new Chat(w, 'desk-1', { chatId: 'front-desk', chatType: 'group', displayName: '前台小李' });
  await desk.say('/join front-desk');
  await desk.press(`claim:${number}`);
  await desk.press(`resolve:${number}`);
  await desk.say('已道歉并更换服务人员');
  return { customer, number };
}

describe('the callback question (问题解决了吗？) in words, any time', () => {
  it('还没解决 after other messages: reopened, asked what is still wrong, and that is passed on', async () => {
    const w = setup();
    const { customer, number } = await resolvedComplaint(w);
    expect(queued(w, 'wang').at(-1)?.message.text).toContain('问题解决了吗？');
    w.clock.advance(2 * 3_600_000); // the question has gone out
    await transcript(customer, [
      ['擦玻璃多少钱', '玻璃清洁'],
      ['还没解决', /已重新打开[\s\S]*请问还有哪里没解决/],
      ['阿姨说的赔偿一直没给', `已把您说的情况补充到投诉 ${number}`],
    ]);
    const complaint = w.store.records.complaints[0]!;
    expect(complaint).toMatchObject({ status: 'open', level: 'department_head', solved: false });
    const heads = queued(w, 'heads').map((row) => row.message.text);
    expect(heads.some((t) => t.includes('客户回访反馈问题未解决'))).toBe(true);
    expect(heads.some((t) => t.includes(`投诉 ${number} 客户补充（仍未解决的问题）：阿姨说的赔偿一直没给`))).toBe(true);
    expect(complaint.events.map((e) => e.note)).toContain('阿姨说的赔偿一直没给');
  });

  it('还没解决 with the reason in one message: passed on with the reopened complaint, nothing more asked', async () => {
    const w = setup();
    const { customer } = await resolvedComplaint(w);
    w.clock.advance(2 * 3_600_000);
    await transcript(customer, [['还没解决，换的阿姨也没来', /已重新打开[\s\S]*已把您说的情况补充到投诉/]]);
    expect(customer.text).not.toContain('请问还有哪里没解决');
    const post = queued(w, 'heads').at(-1)!.message.text;
    expect(post).toContain('客户回访反馈问题未解决');
    expect(post).toContain('仍未解决的问题）：换的阿姨也没来');
  });

  it('已经解决了 before the question went out: it is never sent, and 挺满意的 closes the callback', async () => {
    const w = setup();
    const { customer } = await resolvedComplaint(w);
    // 好的 acknowledges the result; it is not an answer to a question not asked yet.
    await customer.say('好的');
    expect(w.store.records.complaints[0]!.solved).toBeNull();
    await transcript(customer, [
      ['问题已经解决了，谢谢', '您对这次处理满意吗？'],
      ['挺满意的', '感谢您的反馈'],
    ]);
    expect(queued(w, 'wang').some((row) => row.dedupeKey.includes(':callback:'))).toBe(false);
    expect(w.store.records.complaints[0]).toMatchObject({ status: 'closed', solved: true, satisfied: true });
  });

  it('in the middle of a booking: 还没解决, what is still wrong, then the booking goes on where it was', async () => {
    const w = setup();
    const { customer } = await resolvedComplaint(w);
    w.clock.advance(2 * 3_600_000);
    await transcript(customer, [
      ['后天上午10点擦玻璃', '服务地址'],
      ['还没解决', '请问还有哪里没解决'],
      ['地毯上的污渍还在', /已把您说的情况补充到投诉[\s\S]*服务地址/],
      ['阳光小区3栋501', '怎么称呼您'],
    ]);
    expect(w.store.records.complaints[0]!.status).toBe('open');
  });

  it('the number of the notice still answers it after a restart', async () => {
    const w = setup();
    const { customer } = await resolvedComplaint(w);
    w.clock.advance(2 * 3_600_000);
    // The console showed the notice: 1. 已解决 2. 还没解决; then the process restarted.
    w.restart();
    await transcript(customer, [['2', '请问还有哪里没解决']]);
    expect(w.store.records.complaints[0]!.status).toBe('open');
  });
});

describe('the completion check in words', () => {
  async function completedVisit(w: World) {
    const customer = new Chat(w, 'zhang');
    await customer.say('明天上午9点保洁');
    await customer.say('阳光小区3栋501');
    await customer.say('张先生');
    await customer.say('13800138000');
    await customer.tap('单次');
    await customer.tap('确认预约');
    const number = w.store.records.bookings[0]!.number;
    w.clock.set('2026-11-24T12:00:00+08:00');
    const desk = new Chat(w, 'desk-1', { chatId: 'front-desk', chatType: 'group', displayName: '前台小李' });
    await desk.say('/join front-desk');
    await desk.say(`/done ${number}`);
    expect(queued(w, 'zhang').at(-1)?.message.text).toContain('请您确认');
    return customer;
  }

  it('是的，已经做完了 confirms the visit, also after another message', async () => {
    const w = setup();
    const customer = await completedVisit(w);
    await transcript(customer, [
      ['你们周末上班吗', /./],
      ['是的，已经做完了', '感谢您的确认'],
    ]);
    expect(w.store.records.surveys[0]!.confirmedAt).not.toBeNull();
  });

  it('还没做完 disputes it once, and the front desk is told', async () => {
    const w = setup();
    const customer = await completedVisit(w);
    await transcript(customer, [['还没做完呢，厨房都没弄', '已请前台核实']]);
    expect(queued(w, 'front-desk').some((row) => row.message.text.includes('表示预约') && row.message.text.includes('没有完成'))).toBe(true);
    expect(w.store.records.surveys[0]!.confirmedAt ?? null).toBeNull();
  });

  it('a request is not an answer: 取消预约 and 你好 leave the check open', async () => {
    const w = setup();
    const customer = await completedVisit(w);
    await customer.say('你好');
    await customer.say('取消预约');
    expect(queued(w, 'front-desk').some((row) => row.message.text.includes('没有完成'))).toBe(false);
    expect(w.store.records.surveys[0]!.confirmedAt ?? null).toBeNull();
    await transcript(customer, [['是的', '感谢您的确认']]);
  });

  it('in the middle of a booking, 已经做完了 answers the check and the booking question comes back', async () => {
    const w = setup();
    const customer = await completedVisit(w);
    await transcript(customer, [
      ['后天上午10点擦玻璃', '服务地址'],
      ['已经做完了', /感谢您的确认[\s\S]*服务地址/],
      ['阳光小区3栋501', '怎么称呼您'],
    ]);
    expect(w.store.records.surveys[0]!.confirmedAt).not.toBeNull();
  });

  it('a later 1 answers the notice, not the menu shown before it', async () => {
    const w = setup();
    const customer = await completedVisit(w);
    w.restart();
    await transcript(customer, [['1', '感谢您的确认']]);
  });
});

describe('numbered options last across a restart', () => {
  it('a slot offered before the restart is picked by its number after it', async () => {
    const w = setup();
    const customer = new Chat(w, 'li');
    await customer.say('我想约个保洁');
    const second = customer.buttons[1]!;
    expect(second.action).toMatch(/^slot:/);
    w.restart();
    await transcript(customer, [['2', '服务地址']]);
    await customer.say('阳光小区3栋501');
    await customer.say('李女士');
    await customer.say('13912345678');
    await customer.tap('单次');
    expect(customer.text).toContain(`上门时间：${second.label}`);
  });

  it('where buttons are real buttons (Telegram), a typed 2 is text, not an option', async () => {
    const w = setup();
    const customer = new Chat(w, 'tg-1', { channel: 'telegram' });
    await customer.say('我想约个保洁');
    w.restart();
    await customer.say('2');
    expect(customer.text).not.toContain('服务地址');
  });
});
