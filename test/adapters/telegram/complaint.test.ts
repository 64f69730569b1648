/**
 * A complaint over Telegram, end to end: a customer files it in a private chat, the outbox
 * dispatcher posts it to the staff group through the real telegraf SDK (fake Bot API), a staff
 * member joins with an invite code and claims it with the post's inline button, and the customer
 * is told through the outbox. A group member who did not join is refused.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxDispatcher } from '../../../src/outbox/dispatcher.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import type { FakeBotApi, FakeChat, FakeUser, SentMessage } from './fake-bot-api.ts';
import { startTelegramRig, type TelegramRig, telegramRooms } from './rig.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const NOW = '2026-11-23T10:00:00+08:00';
const NOW_SEC = Math.floor(Date.parse(NOW) / 1000);
const PHONE = '13700001111';

/** Staff groups: Telegram gives groups negative ids. */
const DESK: FakeChat = { id: -1001234567890, type: 'supergroup', title: '客服前台群' };
const HEADS: FakeChat = { id: -1001234567891, type: 'supergroup', title: '部门负责人群' };
const MANAGERS: FakeChat = { id: -1001234567892, type: 'supergroup', title: '总经理群' };

const wang: FakeUser = { id: 1001, first_name: '王', username: 'wang_customer' };
const wangChat: FakeChat = { id: 1001, type: 'private' };
const deskLi: FakeUser = { id: 2001, first_name: '前台小李', username: 'desk_li' };
const stranger: FakeUser = { id: 2999, first_name: '路人甲', username: 'passerby' };

let h: Harness;
let fake: FakeBotApi;
let rig: TelegramRig;
let dispatcher: OutboxDispatcher;
/** Callback query ids of every press, in order. */
let pressed: string[];

beforeEach(async () => {
  h = await createHarness({
    now: NOW,
    complaints: {
      rooms: telegramRooms(DESK.id, HEADS.id, MANAGERS.id),
      inviteCodes: { 'DESK-2026': 'front_desk', 'HEAD-2026': 'department_head', 'GM-2026': 'general_manager' },
      consoleOnlyCodes: false,
    },
  });
  rig = await startTelegramRig(h);
  ({ fake, dispatcher } = rig);
  pressed = [];
});

afterEach(async () => {
  await rig.stop();
  await h.close();
});

const deliver: TelegramRig['deliver'] = (chat, update) => rig.deliver(chat, update);

const say = (chat: FakeChat, from: FakeUser, text: string) => deliver(chat, fake.pushText({ chat, from, text, date: NOW_SEC }));
async function press(chat: FakeChat, from: FakeUser, data: string): Promise<SentMessage[]> {
  const update = fake.pushPress({ chat, from, data });
  pressed.push((update.callback_query as { id: string }).id);
  return deliver(chat, update);
}
const textOf = (sent: SentMessage[]) => sent.map((m) => m.text ?? m.caption ?? '').join('\n');

/** Presses the button labelled `label` of the bot's last keyboard in the chat. */
function buttonData(chat: FakeChat, label: string): string {
  const buttons = fake.lastKeyboard(chat.id);
  const button = buttons.find((b) => b.text === label);
  if (!button) throw new Error(`no button "${label}" in: ${buttons.map((b) => b.text).join(' | ')}`);
  return button.callback_data;
}

async function complaintRow() {
  const rows = await h.db.complaint.findMany();
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

/** The customer files a minor complaint in the private chat; returns its number. */
async function fileComplaint(): Promise<string> {
  expect(textOf(await say(wangChat, wang, '阿姨态度很差，还一直玩手机'))).toContain('有没有给您造成经济损失');
  await press(wangChat, wang, buttonData(wangChat, '没有损失'));
  await press(wangChat, wang, buttonData(wangChat, '第一次反映'));
  await say(wangChat, wang, '王先生');
  const done = textOf(await say(wangChat, wang, PHONE));
  const number = /您的投诉已记录，编号：(TS\d+)/.exec(done)?.[1];
  expect(number, done).toBeDefined();
  return number!;
}

/** The dispatcher's next tick posts the escalation in the desk group; returns the post. */
async function deliverEscalation(number: string): Promise<SentMessage> {
  expect(fake.sentTo(DESK.id)).toHaveLength(0); // nothing reaches the group until the outbox runs
  const tick = await dispatcher.tick();
  expect(tick).toMatchObject({ sent: 1, retried: 0, dead: 0 });
  const posts = fake.sentTo(DESK.id);
  expect(posts).toHaveLength(1);
  const post = posts[0]!;
  expect(post.method).toBe('sendMessage');
  expect(post.text).toContain(`【投诉 ${number}】`);
  expect(post.text).toContain('王先生 · 137****1111');
  expect(post.text).not.toContain(PHONE);
  expect(post.keyboard?.flat()).toContainEqual({ text: '认领', callback_data: `claim:${number}` });
  expect(post.keyboard?.flat().map((b) => b.text)).toEqual(['认领', '处理完成', '无效', '调整等级']);
  return post;
}

describe('a complaint over Telegram', () => {
  it('is filed in a private chat, posted to the staff group, claimed there with the inline button, and the customer told', async () => {
    const number = await fileComplaint();
    expect(await complaintRow()).toMatchObject({ number, grade: 'minor', level: 'contact', status: 'open', phone: PHONE, channel: 'telegram', chatId: '1001' });

    await deliverEscalation(number);

    const joined = await say(DESK, deskLi, '/join DESK-2026');
    expect(textOf(joined)).toContain('已加入，身份：前台客服');

    const claimed = await press(DESK, deskLi, buttonData(DESK, '认领'));
    expect(textOf(claimed)).toBe(`投诉 ${number} 已由前台小李认领。`);
    // Every press was answered, the claim included, so no client keeps spinning.
    expect(fake.answeredQueries).toEqual(pressed);
    expect(await complaintRow()).toMatchObject({ status: 'claimed', handler: '前台小李' });

    // The customer's notice goes out through the outbox, to the private chat.
    const before = fake.sentTo(wangChat.id).length;
    expect(await dispatcher.tick()).toMatchObject({ sent: 1, dead: 0 });
    const notices = fake.sentTo(wangChat.id).slice(before);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.text).toContain(`您的投诉（编号 ${number}）已由前台小李负责处理`);
    expect(fake.sentTo(DESK.id).map((m) => m.text).join('\n')).not.toContain('您的投诉');
    expect(fake.tooManyRequests).toBe(0);
  });

  it('refuses a group member who did not join, and the complaint is unchanged', async () => {
    const number = await fileComplaint();
    await deliverEscalation(number);
    const before = await complaintRow();

    const refused = await press(DESK, stranger, buttonData(DESK, '认领'));
    expect(textOf(refused)).toContain('只有公司员工可以操作');

    const after = await complaintRow();
    expect(after).toMatchObject({ status: 'open', claimedBy: null, handler: null, version: before.version });
    expect(after).toEqual(before);
    // Nothing for the customer.
    expect(await dispatcher.tick()).toMatchObject({ claimed: 0 });
  });
});
