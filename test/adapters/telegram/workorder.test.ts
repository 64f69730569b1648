/**
 * A work order over Telegram, end to end through the real telegraf SDK against the fake Bot API
 * with group privacy mode on (a bot in a group sees only commands and replies to its own
 * messages): a customer books in a private chat; the outbox posts the work order to the staff
 * group; the front desk assigns it with the post's inline buttons; the worker gets the full card in
 * their private chat with the bot, accepts, arrives, records the actual work and fee (typed in
 * the private chat after the bot's prompt); the customer is told who is coming, confirms the fee,
 * and is asked to confirm completion. A worker who joined in the group and never wrote to the bot
 * cannot get the card (Telegram's 403 "bot can't initiate conversation with a user"): the group is
 * told who and why, with the assign buttons, and `/jobs` in the private chat later lists the order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../support/harness.ts';
import type { FakeBotApi, FakeChat, FakeUser, SentMessage } from './fake-bot-api.ts';
import { startTelegramRig, type TelegramRig, telegramRooms } from './rig.ts';

const NOW = '2026-11-23T10:00:00+08:00';
const NOW_SEC = Math.floor(Date.parse(NOW) / 1000);

const DESK: FakeChat = { id: -1001234567890, type: 'supergroup', title: '客服前台群' };
const HEADS: FakeChat = { id: -1001234567891, type: 'supergroup', title: '部门负责人群' };
const MANAGERS: FakeChat = { id: -1001234567892, type: 'supergroup', title: '总经理群' };
const zhang: FakeUser = { id: 1001, first_name: '张', username: 'zhang_customer' };
const zhangChat: FakeChat = { id: 1001, type: 'private' };
const deskLi: FakeUser = { id: 2001, first_name: '前台小李', username: 'desk_li' };
const worker: FakeUser = { id: 3001, first_name: '王师傅', username: 'wang_worker' };
const workerChat: FakeChat = { id: 3001, type: 'private' };

let h: Harness;
let fake: FakeBotApi;
let rig: TelegramRig;

beforeEach(async () => {
  h = await createHarness({
    now: NOW,
    complaints: {
      rooms: telegramRooms(DESK.id, HEADS.id, MANAGERS.id),
      inviteCodes: { 'DESK-2026': 'front_desk', 'ONSITE-2026': 'on_site' },
      consoleOnlyCodes: false,
    },
  });
  rig = await startTelegramRig(h, { privacyMode: true });
  ({ fake } = rig);
});

afterEach(async () => {
  await rig.stop();
  await h.close();
});

const deliver: TelegramRig['deliver'] = (chat, update) => rig.deliver(chat, update);
const type = (chat: FakeChat, from: FakeUser, text: string) => deliver(chat, fake.typeAsClient({ chat, from, text, date: NOW_SEC }));
const press = (chat: FakeChat, from: FakeUser, label: string) => {
  const button = fake.lastKeyboard(chat.id).find((b) => b.text.includes(label));
  if (!button) throw new Error(`no button "${label}" in: ${fake.lastKeyboard(chat.id).map((b) => b.text).join(' | ')}`);
  return deliver(chat, fake.pushPress({ chat, from, data: button.callback_data }));
};
const textOf = (sent: SentMessage[]) => sent.map((m) => m.text ?? '').join('\n');
const drain: TelegramRig['drain'] = (chat) => rig.drain(chat);

describe('a work order over Telegram', () => {
  it('goes from the booking to the staff group, to the worker in private, and back to the customer, with privacy mode on', async () => {
    await type(DESK, deskLi, '/join DESK-2026');
    expect(textOf(await type(workerChat, worker, '/join ONSITE-2026 保洁部'))).toContain('部门：保洁部');

    await type(zhangChat, zhang, '明天上午9点保洁');
    await type(zhangChat, zhang, '阳光小区3栋501');
    await type(zhangChat, zhang, '张先生');
    await type(zhangChat, zhang, '13800138000');
    await press(zhangChat, zhang, '单次');
    const booked = textOf(await press(zhangChat, zhang, '确认预约'));
    const number = /JZ\d{10}/.exec(booked)![0];

    const [post] = await drain(DESK);
    expect(post?.text).toContain(`【派工单 ${number}】日常保洁`);
    expect(post?.text).toContain('138****8000');
    expect(post?.text).not.toContain('13800138000');
    // Group chatter is withheld by privacy mode; the buttons reach the bot.
    await type(DESK, deskLi, '这单谁去？');
    expect(fake.withheld).toHaveLength(1);
    await press(DESK, deskLi, '派单');
    expect(textOf(await press(DESK, deskLi, '王师傅（当天0单）'))).toContain(`已将派工单 ${number} 派给王师傅`);

    const [card] = await drain(workerChat);
    expect(card?.text).toContain('地址：阳光小区3栋501');
    expect(card?.text).toContain('联系人：张先生 13800138000');
    await press(workerChat, worker, '接单');
    const [told] = await drain(zhangChat);
    expect(told?.text).toContain('将由服务人员王师傅于11月24日（周二）09:00上门');

    h.clock.set('2026-11-24T09:00:00+08:00');
    expect(textOf(await type(workerChat, worker, '/jobs'))).toContain(`${number} 日常保洁 · 阳光小区3栋501`);
    await press(workerChat, worker, '已到达');
    const prompt = await press(workerChat, worker, '现场有出入');
    // A private chat needs no force_reply (the adapter adds it in groups only): the next line is the answer.
    expect(prompt[0]?.text).toContain('写明现场实际的工作内容和费用');
    expect(prompt[0]?.forceReply).toBeUndefined();
    expect(textOf(await type(workerChat, worker, '厨房加做油烟机清洗，共330元'))).toContain('已请客户确认实际工作和费用 ¥330');

    const [fee] = await drain(zhangChat);
    expect(fee?.text).toContain('费用：¥330');
    expect(textOf(await press(zhangChat, zhang, '确认'))).toContain('感谢您的确认');
    const after = await drain(zhangChat);
    expect(textOf(after)).toContain('服务人员已标记完成，请您确认');
    expect(await h.db.workOrder.findFirstOrThrow()).toMatchObject({ status: 'completed', actualFeeFen: 33000 });
    expect(fake.tooManyRequests).toBe(0);
  });

  it("tells the group when the worker never opened a private chat with the bot, and /jobs there later lists the order", async () => {
    fake.requireStart = true;
    await type(DESK, deskLi, '/join DESK-2026');
    const joined = textOf(await type(DESK, worker, `/join@${fake.botUsername} ONSITE-2026 cleaning`));
    expect(joined).toContain('部门：保洁部');
    expect(joined).toContain('请现在私聊机器人，发送 /start');

    await type(zhangChat, zhang, '11月26日上午10点保洁');
    await type(zhangChat, zhang, '阳光小区3栋501');
    await type(zhangChat, zhang, '张先生');
    await type(zhangChat, zhang, '13800138000');
    await press(zhangChat, zhang, '单次');
    const number = /JZ\d{10}/.exec(textOf(await press(zhangChat, zhang, '确认预约')))![0];
    await drain(DESK);
    await press(DESK, deskLi, '派单');
    expect(textOf(await press(DESK, deskLi, '王师傅（当天0单）'))).toContain('等待其接单');

    expect(await drain(workerChat)).toEqual([]);
    const refused = fake.calls.find((c) => c.method === 'sendMessage' && c.params.chat_id === String(workerChat.id));
    expect(refused?.status).toBe(403);
    const told = textOf(await drain(DESK));
    expect(told).toContain(`⚠ 派工单 ${number} 没能发给王师傅：对方还没有私聊过机器人`);
    expect(told).toContain('私聊机器人发送 /start 或 /jobs');
    expect(fake.lastKeyboard(DESK.id).map((b) => b.text)).toEqual(['派单', '我来接']);

    // She opens the private chat three days before the visit: /jobs shows the order to accept.
    await type(workerChat, worker, '/start');
    const jobs = textOf(await type(workerChat, worker, '/jobs'));
    expect(jobs).toContain(`${number} 日常保洁 · 阳光小区3栋501`);
    expect(textOf(await press(workerChat, worker, '接单'))).toContain(`已接单 ${number}`);
    expect(await h.db.workOrder.findFirstOrThrow()).toMatchObject({ status: 'accepted' });
  });
});
