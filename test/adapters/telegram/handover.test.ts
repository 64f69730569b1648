/**
 * A handover to a person over Telegram, end to end through the real telegraf SDK against the
 * fake Bot API, with the group in privacy mode (the default: a bot in a group sees only commands
 * and replies to its own messages). The customer asks for a person in a private chat; the post
 * reaches the desk group through the outbox; staff claim it with its button and talk by replying
 * to the post or to the customer's relayed messages (which arrive as replies to the post);
 * `/end` sent as a reply ends it and gives the customer the bot back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../support/harness.ts';
import type { FakeBotApi, FakeChat, FakeUser, SentMessage } from './fake-bot-api.ts';
import { startTelegramRig, type TelegramRig, telegramRooms } from './rig.ts';

// Monday 2026-11-23 10:00 in Shanghai: the desk is open.
const NOW = '2026-11-23T10:00:00+08:00';
const NOW_SEC = Math.floor(Date.parse(NOW) / 1000);

const DESK: FakeChat = { id: -1001234567890, type: 'supergroup', title: '客服前台群' };
const HEADS: FakeChat = { id: -1001234567891, type: 'supergroup', title: '部门负责人群' };
const MANAGERS: FakeChat = { id: -1001234567892, type: 'supergroup', title: '总经理群' };
const wang: FakeUser = { id: 1001, first_name: '王', username: 'wang_customer' };
const wangChat: FakeChat = { id: 1001, type: 'private' };
const deskLi: FakeUser = { id: 2001, first_name: '小李', username: 'desk_li' };

let h: Harness;
let fake: FakeBotApi;
let rig: TelegramRig;

beforeEach(async () => {
  h = await createHarness({
    now: NOW,
    complaints: {
      rooms: telegramRooms(DESK.id, HEADS.id, MANAGERS.id),
      inviteCodes: { 'DESK-2026': 'front_desk' },
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
const say = (chat: FakeChat, from: FakeUser, text: string, replyTo?: number) => deliver(chat, fake.pushText({ chat, from, text, date: NOW_SEC, replyTo }));
const press = (chat: FakeChat, from: FakeUser, data: string) => deliver(chat, fake.pushPress({ chat, from, data }));
const textOf = (sent: SentMessage[]) => sent.map((m) => m.text ?? '').join('\n');

const delivered: TelegramRig['drain'] = (chat) => rig.drain(chat);

function button(sent: SentMessage | undefined, label: string): string {
  const found = sent?.keyboard?.flat().find((b) => b.text === label);
  if (!found) throw new Error(`no button "${label}"`);
  return found.callback_data;
}

describe('handover over Telegram (privacy mode on)', () => {
  it('claim by button, talk by replying, the customer\'s words under the post, /end as a reply', async () => {
    expect(textOf(await say(DESK, deskLi, '/join DESK-2026'))).toContain('前台');
    const asked = await say(wangChat, wang, '转人工');
    expect(textOf(asked)).toContain('正在为您转接人工客服');
    const number = /编号 (RG\d{10})/.exec(textOf(asked))?.[1];
    expect(number).toBeDefined();

    const [post] = await delivered(DESK);
    expect(post?.text).toContain(`🙋 转人工 ${number}`);
    // How to answer, in Telegram's terms (no Slack thread on Telegram).
    expect(post?.text).toContain('回复本消息或客户的消息即可与客户对话');
    expect(post?.text).not.toContain('Slack');
    expect(post?.keyboard?.flat().map((b) => b.text)).toEqual(['认领', '结束']);

    // Group chatter that is not a reply never reaches the bot in privacy mode; nothing is relayed.
    fake.pushText({ chat: DESK, from: deskLi, text: '谁在处理这个？', date: NOW_SEC });
    expect(fake.withheld.at(-1)).toBeDefined();

    const claimed = await press(DESK, deskLi, button(post, '认领'));
    expect(textOf(claimed)).toContain(`小李 已认领转人工 ${number}`);
    expect(textOf(await delivered(wangChat))).toBe('客服 小李 已接入，正在为您服务。');

    // Staff reply to the post: the customer hears them; the group hears nothing more.
    expect(await say(DESK, deskLi, '王先生您好，我是小李，请问有什么可以帮您？', post?.messageId)).toEqual([]);
    expect(textOf(await delivered(wangChat))).toBe('【客服 小李】王先生您好，我是小李，请问有什么可以帮您？');

    // The customer's words: no answer from the bot, relayed to the group as a reply to the post.
    expect(await say(wangChat, wang, '明天的保洁能改到下午吗')).toEqual([]);
    const [relayed] = await delivered(DESK);
    expect(relayed?.text).toBe(`【${number} 客户】明天的保洁能改到下午吗`);
    expect(relayed?.replyTo).toBe(post?.messageId);

    // A reply to the relayed message reaches the customer too.
    await say(DESK, deskLi, '可以，已帮您改到明天下午两点', relayed?.messageId);
    expect(textOf(await delivered(wangChat))).toBe('【客服 小李】可以，已帮您改到明天下午两点');

    // /end as a reply to the post ends it; the customer gets the bot back with its menu.
    expect(textOf(await say(DESK, deskLi, '/end', post?.messageId))).toContain(`转人工 ${number} 已由小李结束`);
    const back = await delivered(wangChat);
    expect(textOf(back)).toContain('人工服务已结束，智能客服回来为您服务了');
    expect(back.at(-1)?.keyboard?.flat().map((b) => b.text)).toContain('预约服务');
    expect(textOf(await say(wangChat, wang, '价格'))).toContain('服务价目表');
    const [row] = await h.db.handover.findMany();
    expect(row).toMatchObject({ status: 'ended', handler: '小李', endedBy: expect.stringMatching(/^staff:\d+$/) });
  });

  it('passes photos both ways by file_id: the customer\'s under the post with the caption, staff\'s replying to a relayed line', async () => {
    await say(DESK, deskLi, '/join DESK-2026');
    const number = /编号 (RG\d{10})/.exec(textOf(await say(wangChat, wang, '转人工')))?.[1];
    const [post] = await delivered(DESK);

    // The customer's photo with a caption: nothing back, sendPhoto to the group by the same file_id, under the post.
    const photo = fake.pushMedia({ chat: wangChat, from: wang, kind: 'photo', caption: '厨房漏水的地方', date: NOW_SEC });
    expect(await deliver(wangChat, photo.update)).toEqual([]);
    const [relayed] = await delivered(DESK);
    expect(relayed).toMatchObject({ method: 'sendPhoto', fileId: photo.fileId, caption: `【${number} 客户】[图片] 厨房漏水的地方`, replyTo: post?.messageId });

    // Staff answer the relayed photo with a photo of their own (a reply, as privacy mode needs): it claims and reaches the customer.
    const answer = fake.pushMedia({ chat: DESK, from: deskLi, kind: 'photo', caption: '是这个阀门吗？', date: NOW_SEC, replyTo: relayed?.messageId });
    expect(await deliver(DESK, answer.update)).toEqual([]);
    const toCustomer = await delivered(wangChat);
    expect(toCustomer.map((m) => m.method)).toEqual(['sendMessage', 'sendPhoto']);
    expect(toCustomer[1]).toMatchObject({ fileId: answer.fileId, caption: '【客服 小李】[图片] 是这个阀门吗？' });

    // A voice note and a document go by their own methods; a file_id Telegram refuses leaves the words.
    const voice = fake.pushMedia({ chat: wangChat, from: wang, kind: 'voice', mimeType: 'audio/ogg', date: NOW_SEC });
    await deliver(wangChat, voice.update);
    const doc = fake.pushMedia({ chat: wangChat, from: wang, kind: 'document', fileName: '报价单.pdf', mimeType: 'application/pdf', date: NOW_SEC });
    await deliver(wangChat, doc.update);
    fake.forgetFile(doc.fileId);
    const more = await delivered(DESK);
    expect(more.map((m) => [m.method, m.fileId ?? null, m.caption ?? m.text])).toEqual([
      ['sendVoice', voice.fileId, `【${number} 客户】[语音]`],
      ['sendMessage', null, `【${number} 客户】[文件 报价单.pdf]`],
    ]);
    expect(more[1]?.replyTo).toBe(post?.messageId);
  });

  it('outside a handover a photo without words is answered with 转人工 and 反映问题; a caption is read as the message', async () => {
    const bare = await deliver(wangChat, fake.pushMedia({ chat: wangChat, from: wang, kind: 'photo', date: NOW_SEC }).update);
    expect(textOf(bare)).toContain('收到您发来的图片');
    expect(bare.at(-1)?.keyboard?.flat().map((b) => b.text)).toEqual(['转人工', '反映问题']);
    const captioned = await deliver(wangChat, fake.pushMedia({ chat: wangChat, from: wang, kind: 'photo', caption: '价格', date: NOW_SEC }).update);
    expect(textOf(captioned)).toContain('服务价目表');
  });

  it('the holder writes from their private chat with the bot, no reply needed; in the group, privacy mode hides a line with the number', async () => {
    const deskLiChat: FakeChat = { id: deskLi.id, type: 'private' };
    await say(DESK, deskLi, '/join DESK-2026');
    const number = /编号 (RG\d{10})/.exec(textOf(await say(wangChat, wang, '转人工')))?.[1] ?? '';
    const [post] = await delivered(DESK);
    await press(DESK, deskLi, button(post, '认领'));
    await delivered(wangChat);

    expect(await say(deskLiChat, deskLi, '王先生您好，我在私聊里回复您')).toEqual([]);
    expect(textOf(await delivered(wangChat))).toBe('【客服 小李】王先生您好，我在私聊里回复您');
    expect(await say(deskLiChat, deskLi, `${number} 还有别的问题吗？`)).toEqual([]);
    expect(textOf(await delivered(wangChat))).toBe('【客服 小李】还有别的问题吗？');
    // In the group without a reply the bot never sees the line (privacy mode): nothing is relayed.
    fake.pushText({ chat: DESK, from: deskLi, text: `${number} 这条不会转给客户`, date: NOW_SEC });
    expect(JSON.stringify(fake.withheld.at(-1))).toContain('这条不会转给客户');
    expect(await delivered(wangChat)).toEqual([]);
  });
});
