/**
 * A complaint over WeChat, end to end through the real Wechaty SDK on `wechaty-puppet-mock`: a
 * customer files it in a private chat, the outbox dispatcher posts it to the staff room (a room id
 * ends in `@chatroom`, which the adapter looks up as a room first) with its options as numbered
 * lines, a staff member who joined with an invite code claims it by typing the option's number in
 * the room, and the customer is told through the outbox. A room member who did not join is refused.
 *
 * WeChat has no buttons; the adapter remembers the options last shown per chat (for a room: per
 * room, whoever typed) until new options are shown, so staff may join before or after the post.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { types } from 'wechaty';
import type { mock } from 'wechaty-puppet-mock';
import { toFileBox } from '../../../adapters/wechat/outbound.ts';
import type { OutboxDispatcher } from '../../../src/outbox/dispatcher.ts';
import type { Harness } from '../../support/harness.ts';
import { type Sent, startWechatRig, WAIT, type WechatRig, type WechatTest } from './rig.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const NOW = '2026-11-23T10:00:00+08:00';
const PHONE = '13700001111';
/** The smallest valid PNG (1x1), as a customer's photo. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let rig: WechatRig;
let mocker: WechatRig['mocker'];
let bot: WechatRig['bot'];
/** What reached the core, in order. */
let inbounds: WechatRig['inbounds'];
let h: Harness;
let dispatcher: OutboxDispatcher;

const botMessagesTo: WechatRig['botMessagesTo'] = (...args) => rig.botMessagesTo(...args);
const say: WechatRig['say'] = (...args) => rig.say(...args);
const sayQuietly: WechatRig['sayQuietly'] = (...args) => rig.sayQuietly(...args);

/** Staff and a room of their own per test (the room ids are fixed by the complaint settings). */
function staffRoom(id: string) {
  const deskLi = mocker.createContact({ name: '前台小李' });
  const stranger = mocker.createContact({ name: '路人甲' });
  const room = mocker.createRoom({ id, topic: '客服前台群', memberIdList: [bot.id, deskLi.id, stranger.id] });
  return { deskLi, stranger, room, inbox: botMessagesTo(room) };
}

beforeAll(async () => {
  rig = await startWechatRig();
  ({ mocker, bot, inbounds } = rig);
});

afterAll(async () => {
  await rig?.stop();
});

let served: WechatTest;
let roomSeq: number;
let deskRoomId: string;

beforeEach(async () => {
  // Each test gets its own harness (database) behind the one adapter.
  served = await rig.serve({ now: NOW, inviteCodes: { 'DESK-2026': 'front_desk', 'HEAD-2026': 'department_head', 'GM-2026': 'general_manager' } });
  ({ h, dispatcher, deskRoomId, seq: roomSeq } = served);
});

afterEach(async () => {
  await served.close();
});

async function complaintRow() {
  const rows = await h.db.complaint.findMany();
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

/** A customer files a minor complaint in a private chat, answering options by label; returns the number. */
async function fileComplaint(customer: mock.ContactMock, inbox: Sent[]): Promise<string> {
  const first = await say(customer, bot, inbox, '阿姨态度很差，还一直玩手机');
  expect(first).toContain('有没有给您造成经济损失');
  expect(first).toMatch(/\d\. 没有损失/);
  expect(await say(customer, bot, inbox, '没有损失')).toContain('之前向我们反映过吗');
  await say(customer, bot, inbox, '第一次反映');
  await say(customer, bot, inbox, '王先生');
  const done = await say(customer, bot, inbox, PHONE);
  const number = /您的投诉已记录，编号：(TS\d+)/.exec(done)?.[1];
  expect(number, done).toBeDefined();
  return number!;
}

/** The dispatcher's next tick posts the escalation in the room; returns the post's text. */
async function deliverEscalation(number: string, roomInbox: Sent[]): Promise<string> {
  const before = roomInbox.length;
  expect(await dispatcher.tick()).toMatchObject({ sent: 1, retried: 0, dead: 0 });
  expect(roomInbox).toHaveLength(before + 1);
  const post = roomInbox.at(-1)?.text() ?? '';
  expect(post).toContain(`【投诉 ${number}】`);
  expect(post).toContain('王先生 · 137****1111');
  expect(post).not.toContain(PHONE);
  // The buttons as numbered options; "1" is the claim.
  expect(post).toContain('  1. 认领\n  2. 处理完成\n  3. 无效\n  4. 调整等级');
  return post;
}

describe('a complaint over WeChat', () => {
  it('is filed in a private chat, posted to the staff room, claimed there by typing the option number, and the customer told', async () => {
    const customer = mocker.createContact({ name: '王先生', id: `wxid_wang_${roomSeq}` });
    const customerInbox = botMessagesTo(customer);
    const { deskLi, room, inbox } = staffRoom(deskRoomId);

    const number = await fileComplaint(customer, customerInbox);
    expect(await complaintRow()).toMatchObject({ number, grade: 'minor', level: 'contact', status: 'open', phone: PHONE, channel: 'wechat', chatId: customer.id });
    expect(inbox).toHaveLength(0); // nothing reaches the room until the outbox runs

    expect(await say(deskLi, room, inbox, '/join DESK-2026')).toContain('已加入，身份：前台客服');
    await deliverEscalation(number, inbox);

    expect(await say(deskLi, room, inbox, '1')).toBe(`投诉 ${number} 已由前台小李认领。`);
    expect(await complaintRow()).toMatchObject({ status: 'claimed', handler: '前台小李' });

    // The customer's notice goes out through the outbox, to the private chat.
    const before = customerInbox.length;
    expect(await dispatcher.tick()).toMatchObject({ sent: 1, dead: 0 });
    expect(customerInbox).toHaveLength(before + 1);
    expect(customerInbox.at(-1)?.text()).toContain(`您的投诉（编号 ${number}）已由前台小李负责处理`);
    expect(inbox.map((m) => m.text()).join('\n')).not.toContain('您的投诉');
  });

  it('refuses a room member who did not join, and the complaint is unchanged', async () => {
    const customer = mocker.createContact({ name: '王先生', id: `wxid_wang_${roomSeq}` });
    const { stranger, room, inbox } = staffRoom(deskRoomId);
    const number = await fileComplaint(customer, botMessagesTo(customer));
    await deliverEscalation(number, inbox);
    const before = await complaintRow();

    expect(await say(stranger, room, inbox, '1')).toContain('只有公司员工可以操作');

    const after = await complaintRow();
    expect(after).toMatchObject({ status: 'open', claimedBy: null, handler: null, version: before.version });
    expect(after).toEqual(before);
    expect(await dispatcher.tick()).toMatchObject({ claimed: 0 });
  });

  // The join's reply has no options, and must not disarm the post that arrived before it.
  it('lets staff join after the post arrived and still claim with "1"', async () => {
    const customer = mocker.createContact({ name: '王先生', id: `wxid_wang_${roomSeq}` });
    const { deskLi, room, inbox } = staffRoom(deskRoomId);
    const number = await fileComplaint(customer, botMessagesTo(customer));
    await deliverEscalation(number, inbox);
    expect(await say(deskLi, room, inbox, '/join DESK-2026')).toContain('已加入，身份：前台客服');
    await sayQuietly(deskLi, room, '1');
    // Today it arrives as { text: '1' }: the join's reply cleared the room's options.
    expect(inbounds.at(-1)).toMatchObject({ chatId: room.id, userId: deskLi.id, action: `claim:${number}` });
    await vi.waitFor(async () => expect((await complaintRow()).status).toBe('claimed'), WAIT);
  });
});

describe('a handover from WeChat to a WeChat room', () => {
  it('passes the customer\'s image to the room by the message it came in, with the tagged line', async () => {
    const customer = mocker.createContact({ name: '王先生', id: `wxid_wang_${roomSeq}` });
    const { inbox } = staffRoom(deskRoomId);
    const toCustomer = botMessagesTo(customer);
    expect(await say(customer, bot, toCustomer, '转人工')).toContain('正在为您转接人工客服');
    await dispatcher.tick();
    await vi.waitFor(() => expect(inbox.map((m) => m.text() ?? '').join('\n')).toContain('🙋 转人工 RG'), WAIT);
    const number = (await h.db.handover.findFirstOrThrow()).number;

    // The image reaches the core as media (its message id) and the bot says nothing back.
    await sayQuietly(customer, bot, toFileBox({ name: 'leak.png', mime: 'image/png', data: new Uint8Array(PNG) }));
    expect(inbounds.at(-1)).toMatchObject({ text: '', media: { kind: 'photo', ref: expect.any(String) } });
    // The turn has committed once its relay is in the outbox.
    await vi.waitFor(async () => expect(await h.db.outbox.count({ where: { kind: 'handover-in' } })).toBe(1), WAIT);
    const before = inbox.length;
    await dispatcher.tick();
    await vi.waitFor(() => expect(inbox.length).toBe(before + 2), WAIT);
    const [image, line] = inbox.slice(before);
    expect(image?.type()).toBe(types.Message.Image);
    const box = await image!.toFileBox();
    expect(box.name).toBe('leak.png');
    expect(Buffer.from(await box.toBuffer())).toEqual(PNG);
    expect(line?.text()).toBe(`【${number} 客户】[图片]`);
    expect(toCustomer).toHaveLength(1);
  });
});
