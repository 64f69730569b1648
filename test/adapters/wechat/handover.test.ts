/**
 * A handover to a person over WeChat, end to end through the real Wechaty SDK on
 * `wechaty-puppet-mock`. WeChat has no reply ids: the front desk answers by quoting the post or a
 * relayed line (the puppet delivers the quote as text: 「昵称：内容」, a dashed line, the reply), or
 * in a private chat with the bot while holding the handover. The puppet here returns the id of a
 * sent text, as padlocal's `messageSendText` does, so the outbox stores the post's reference.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboxDispatcher } from '../../../src/outbox/dispatcher.ts';
import type { Harness } from '../../support/harness.ts';
import { type Sent, startWechatRig, WAIT, type WechatRig, type WechatTest } from './rig.ts';

// Monday 2026-11-23 10:00 in Shanghai: the desk is open.
const NOW = '2026-11-23T10:00:00+08:00';
const SEPARATOR = '- - - - - - - - - - - - - - -';

let rig: WechatRig;
let mocker: WechatRig['mocker'];
let bot: WechatRig['bot'];
let inbounds: WechatRig['inbounds'];
let h: Harness;
let dispatcher: OutboxDispatcher;

const botMessagesTo: WechatRig['botMessagesTo'] = (...args) => rig.botMessagesTo(...args);
const say: WechatRig['say'] = (...args) => rig.say(...args);
const sayQuietly: WechatRig['sayQuietly'] = (...args) => rig.sayQuietly(...args);

/** Ticks the outbox until `inbox` got a message, and returns its text. */
async function delivered(inbox: Sent[]): Promise<string> {
  const before = inbox.length;
  await vi.waitFor(async () => {
    await dispatcher.tick();
    expect(inbox.length).toBeGreaterThan(before);
  }, WAIT);
  return inbox.map((m) => m.text() ?? '').slice(before).join('\n');
}

beforeAll(async () => {
  // The puppet returns a sent text's id, so the outbox stores the post's reference.
  rig = await startWechatRig({ sentIds: true });
  ({ mocker, bot, inbounds } = rig);
});

afterAll(async () => {
  await rig?.stop();
});

let served: WechatTest;
let seq: number;
let deskRoomId: string;

beforeEach(async () => {
  // Each test gets its own harness (database) behind the one adapter.
  served = await rig.serve({ now: NOW, inviteCodes: { 'DESK-2026': 'front_desk' } });
  ({ h, dispatcher, deskRoomId, seq } = served);
});

afterEach(async () => {
  await served.close();
});

describe('a handover over WeChat', () => {
  it('is answered by quoting a relayed line in the room, and from a private chat by its holder', async () => {
    const customer = mocker.createContact({ name: '张先生', id: `wxid_zhang_${seq}` });
    const customerInbox = botMessagesTo(customer);
    const deskLi = mocker.createContact({ name: '前台小李', id: `wxid_li_${seq}` });
    const room = mocker.createRoom({ id: deskRoomId, topic: '客服前台群', memberIdList: [bot.id, deskLi.id] });
    const roomInbox = botMessagesTo(room);
    const liInbox = botMessagesTo(deskLi);
    expect(await say(deskLi, room, roomInbox, '/join DESK-2026')).toContain('已加入，身份：前台客服');

    expect(await say(customer, bot, customerInbox, '转人工')).toMatch(/正在为您转接人工客服（编号 RG261123\d{4}）/);
    const post = await delivered(roomInbox);
    const number = /转人工 (RG\d{10})/.exec(post)?.[1] ?? '';
    expect(post).toContain('1. 认领');
    // The puppet gave the post's message id: stored as its reference, as on the other platforms.
    const stored = await h.db.outbox.findFirst({ where: { kind: 'handover-post' } });
    expect(stored?.platformRef).toBe(roomInbox.at(-1)?.id);

    expect(await say(deskLi, room, roomInbox, '1')).toContain(`前台小李 已认领转人工 ${number}`);
    expect(await delivered(customerInbox)).toBe('客服 前台小李 已接入，正在为您服务。');

    await sayQuietly(customer, bot, '阿姨明天几点到');
    const line = await delivered(roomInbox);
    expect(line).toBe(`【${number} 客户】阿姨明天几点到`);

    // A reply-with-quote of the relayed line, as the puppet delivers it.
    await sayQuietly(deskLi, room, `「安家客服：${line}」\n${SEPARATOR}\n九点前到，请放心`);
    expect(inbounds.at(-1)).toMatchObject({ chatType: 'group', text: '九点前到，请放心', quoted: line });
    expect(await delivered(customerInbox)).toBe('【客服 前台小李】九点前到，请放心');

    // Holding this one handover, plain text in the private chat with the bot reaches the customer.
    await sayQuietly(deskLi, bot, '我是前台小李，有事随时找我');
    expect(await delivered(customerInbox)).toBe('【客服 前台小李】我是前台小李，有事随时找我');
    expect(liInbox).toHaveLength(0);

    // /end quoting the post ends it.
    expect(await say(deskLi, room, roomInbox, `「安家客服：🙋 转人工 ${number}」\n${SEPARATOR}\n/end`)).toContain(`转人工 ${number} 已由前台小李结束`);
    expect(await delivered(customerInbox)).toContain('人工服务已结束，智能客服回来为您服务了');
  });
});
