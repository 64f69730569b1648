/**
 * The WeChat adapter through the real Wechaty SDK on `wechaty-puppet-mock`: mock contacts and rooms
 * talk to the bot's account, and what the bot says reaches them back. The core is the real one on a
 * fresh SQLite file with a set clock.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { types } from 'wechaty';
import type { mock } from 'wechaty-puppet-mock';
import { toFileBox } from '../../../adapters/wechat/outbound.ts';
import type { InboundInput, Outbound } from '../../../src/contracts/messages.ts';
import { SendError } from '../../../src/lib/errors.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { events, type Sent, startWechatRig, WAIT, type WechatRig } from './rig.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const NOW = '2026-11-23T10:00:00+08:00';
/** The smallest valid PNG (1x1), as a report image would be. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let h: Harness;
let rig: WechatRig;
let mocker: WechatRig['mocker'];
let puppet: WechatRig['puppet'];
let adapter: WechatRig['adapter'];
let bot: WechatRig['bot'];
/** Every inbound the core was asked about, with what it answered. */
const handled: { inbound: InboundInput; replies: Outbound[] }[] = [];
/** Replaces the core's answer for a test (default: the real core). */
let respond: ((inbound: InboundInput) => Promise<Outbound[]>) | undefined;
/** The adapter's log lines, parsed. */
const logLines: Record<string, unknown>[] = [];

const botMessagesTo: WechatRig['botMessagesTo'] = (...args) => rig.botMessagesTo(...args);

/** The id of the next message a contact says (the mock makes it up). */
function nextMessageId(contact: mock.ContactMock): Promise<string> {
  return new Promise((resolve) => {
    const listener = (msg: Sent) => {
      if (msg.talker().id !== contact.id) return;
      events(contact).off('message', listener);
      resolve(msg.id);
    };
    events(contact).on('message', listener);
  });
}

/** A customer says a line and gets the bot's next message text. */
const ask = (customer: mock.ContactMock, inbox: Sent[], text: string): Promise<string> => rig.say(customer, bot, inbox, text);

beforeAll(async () => {
  h = await createHarness({ now: NOW });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  rig = await startWechatRig({
    handle: async (inbound) => {
      const replies = await (respond ?? ((i: InboundInput) => h.core.handle(i)))(inbound);
      handled.push({ inbound, replies });
      return replies;
    },
    log: pino({ level: 'debug' }, sink),
  });
  ({ mocker, puppet, adapter, bot } = rig);
});

afterAll(async () => {
  await rig?.stop();
  await h?.close();
});

describe('a customer in a private chat', () => {
  it('books a cleaning, choosing options by number and by label', async () => {
    const customer = mocker.createContact({ name: '李先生' });
    const inbox = botMessagesTo(customer);

    expect(await ask(customer, inbox, '明天上午9点保洁')).toContain('服务地址');
    expect(await ask(customer, inbox, '阳光小区3栋501')).toContain('称呼您“李先生”可以吗');
    expect(await ask(customer, inbox, '李先生')).toContain('李先生，请留下手机号码');
    const frequency = await ask(customer, inbox, '13912345678');
    expect(frequency).toContain('一次性服务，还是需要定期上门');
    expect(frequency).toContain('  1. 单次');
    const summary = await ask(customer, inbox, '1');
    expect(summary).toContain('服务频次：单次');
    expect(summary).toContain('上门时间：11月24日（周二）09:00');
    expect(summary).toMatch(/\d\. 确认预约/);
    const done = await ask(customer, inbox, '确认预约');
    expect(done).toMatch(/预约成功！预约号：JZ261123\d{4}/);

    const mine = handled.filter((x) => x.inbound.chatId === customer.id);
    expect(mine.every((x) => x.inbound.channel === 'wechat' && x.inbound.chatType === 'private' && x.inbound.userId === customer.id)).toBe(true);
    // "1" and "确认预约" reached the core as the buttons' actions, not as text.
    expect(mine[4]?.inbound.action).toBe('freq:once');
    expect(mine[4]?.inbound).not.toHaveProperty('text');
    expect(mine[5]?.inbound.action).toEqual(expect.any(String));
    expect(mine[5]?.inbound).not.toHaveProperty('text');
    expect(mine[0]?.inbound.displayName).toBe('李先生');

    const bookings = await h.db.booking.findMany();
    expect(bookings).toHaveLength(1);
    expect(bookings[0]).toMatchObject({ address: '阳光小区3栋501', phone: '13912345678', status: 'confirmed', contactName: '李' });
    expect(bookings[0]?.start.toISOString()).toBe('2026-11-24T01:00:00.000Z');
    expect(done).toContain(bookings[0]?.number);
  });

  it('ignores the bot account\'s own messages', async () => {
    const customer = mocker.createContact();
    const id = nextMessageId(bot);
    bot.say('我是客服，从手机上发的').to(customer);
    const messageId = await id;
    await vi.waitFor(() => expect(logLines.some((l) => l.messageId === messageId && l.msg === 'WeChat own message ignored')).toBe(true), WAIT);
    expect(handled.some((x) => x.inbound.messageId === messageId)).toBe(false);
  });

  it('answers an image without words politely, offering a person or a problem report', async () => {
    const customer = mocker.createContact();
    const inbox = botMessagesTo(customer);
    const id = nextMessageId(customer);
    customer.say(toFileBox({ name: 'photo.png', mime: 'image/png', data: new Uint8Array(PNG) })).to(bot);
    const messageId = await id;
    await vi.waitFor(() => expect(inbox).toHaveLength(1), WAIT);
    expect(handled.find((x) => x.inbound.messageId === messageId)?.inbound).toMatchObject({ text: '', media: { kind: 'photo', ref: messageId } });
    expect(inbox[0]?.text()).toContain('收到您发来的图片');
    expect(inbox[0]?.text()).toContain('1. 转人工');
  });

  it('answers a message delivered twice once', async () => {
    const customer = mocker.createContact();
    const inbox = botMessagesTo(customer);
    const id = nextMessageId(customer);
    expect(await ask(customer, inbox, '你好')).toContain('欢迎');
    const messageId = await id;
    // The puppet announces the same message again, as after a reconnect.
    puppet.emit('message', { messageId });
    await vi.waitFor(() => expect(handled.filter((x) => x.inbound.messageId === messageId)).toHaveLength(2), WAIT);
    const second = handled.filter((x) => x.inbound.messageId === messageId)[1];
    expect(second?.replies).toEqual([]);
    expect(inbox).toHaveLength(1);
  });

  it('sends a file reply as a FileBox, before its text', async () => {
    const customer = mocker.createContact();
    const inbox = botMessagesTo(customer);
    respond = async () => [{ text: '这是本月报表', file: { name: 'report.png', mime: 'image/png', data: new Uint8Array(PNG) } }];
    try {
      customer.say('报表').to(bot);
      await vi.waitFor(() => expect(inbox).toHaveLength(2), WAIT);
    } finally {
      respond = undefined;
    }
    const [file, text] = inbox;
    expect(file?.type()).toBe(types.Message.Image);
    const box = await file!.toFileBox();
    expect(box.name).toBe('report.png');
    expect(Buffer.compare(await box.toBuffer(), PNG)).toBe(0);
    expect(text?.text()).toBe('这是本月报表');
  });
});

describe('rooms', () => {
  it('passes a room message to the core as a group message from its writer', async () => {
    const staff = mocker.createContact({ name: '王主管' });
    const room = mocker.createRoom({ topic: '客服群', memberIdList: [bot.id, staff.id] });
    const id = nextMessageId(staff);
    staff.say('今天有新单吗').to(room);
    const messageId = await id;
    await vi.waitFor(() => expect(handled.some((x) => x.inbound.messageId === messageId)).toBe(true), WAIT);
    expect(handled.find((x) => x.inbound.messageId === messageId)?.inbound).toMatchObject({
      channel: 'wechat',
      chatType: 'group',
      chatId: room.id,
      userId: staff.id,
      text: '今天有新单吗',
    });
  });
});

describe('send() for the outbox', () => {
  it('reaches a room by its id, and an answer by number there becomes the option\'s action', async () => {
    const staff = mocker.createContact();
    const room = mocker.createRoom({ topic: '值班群', memberIdList: [bot.id, staff.id] });
    const inbox = botMessagesTo(room);
    await adapter.send(room.id, { text: '新投诉：JZ2611230001', buttons: [[{ label: '我来处理', action: 'claim:1' }]] });
    expect(inbox.map((m) => m.text())).toEqual(['新投诉：JZ2611230001\n  1. 我来处理']);

    const id = nextMessageId(staff);
    staff.say('1').to(room);
    const messageId = await id;
    await vi.waitFor(() => expect(handled.some((x) => x.inbound.messageId === messageId)).toBe(true), WAIT);
    expect(handled.find((x) => x.inbound.messageId === messageId)?.inbound).toMatchObject({ action: 'claim:1', chatType: 'group' });
  });

  it('reaches a contact by its id', async () => {
    const customer = mocker.createContact();
    const inbox = botMessagesTo(customer);
    await adapter.send(customer.id, { text: '明天上午9点上门，请留意电话。' });
    expect(inbox.map((m) => m.text())).toEqual(['明天上午9点上门，请留意电话。']);
  });

  it('refuses an unknown id with a permanent SendError', async () => {
    for (const id of ['nobody@chatroom', 'wxid_nobody']) {
      const error = await adapter.send(id, { text: 'hi' }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(SendError);
      expect(error).toMatchObject({ permanent: true });
    }
  });

  it('treats a puppet outage while looking up a room or contact as retryable, not as "no such chat"', async () => {
    const staff = mocker.createContact();
    const room = mocker.createRoom({ topic: '夜班群', memberIdList: [bot.id, staff.id] });
    const customer = mocker.createContact();
    const outage = () => Promise.reject(new Error('14 UNAVAILABLE: No connection established'));
    const spies = [
      vi.spyOn(puppet, 'roomRawPayload').mockImplementation(outage),
      vi.spyOn(puppet, 'contactRawPayload').mockImplementation(outage),
      vi.spyOn(puppet, 'roomList').mockImplementation(outage),
      vi.spyOn(puppet, 'contactList').mockImplementation(outage),
    ];
    const errors: unknown[] = [];
    try {
      for (const id of [room.id, customer.id, 'nobody@chatroom']) {
        errors.push(await adapter.send(id, { text: 'hi' }).then(() => undefined, (e: unknown) => e));
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    for (const error of errors) {
      expect(error).toBeInstanceOf(SendError);
      expect(error).toMatchObject({ permanent: false });
    }
    // Once the puppet answers again, the same sends go through.
    const inbox = botMessagesTo(room);
    await adapter.send(room.id, { text: '恢复了' });
    expect(inbox.map((m) => m.text())).toEqual(['恢复了']);
  });

  it('treats a failed lookup of a chat the puppet lists as retryable', async () => {
    const customer = mocker.createContact();
    const spy = vi.spyOn(puppet, 'contactRawPayload').mockRejectedValue(new Error('timeout after 30 s'));
    let error: unknown;
    try {
      error = await adapter.send(customer.id, { text: 'hi' }).then(() => undefined, (e: unknown) => e);
    } finally {
      spy.mockRestore();
    }
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ permanent: false });
  });

  it('falls back to the text and a note when the puppet cannot send the file', async () => {
    const customer = mocker.createContact();
    const inbox = botMessagesTo(customer);
    const spy = vi.spyOn(puppet, 'messageSendFile').mockRejectedValueOnce(new Error('files are not supported by this puppet'));
    try {
      await adapter.send(customer.id, { text: '这是本月报表', file: { name: 'report.png', mime: 'image/png', data: new Uint8Array(PNG) } });
    } finally {
      spy.mockRestore();
    }
    expect(inbox.map((m) => m.text())).toEqual(['这是本月报表\n\n（文件「report.png」无法在微信里发送，请联系我们另行获取。）']);
    expect(logLines.some((l) => l.msg === 'WeChat file not sent; sending a text note instead' && l.file === 'report.png')).toBe(true);
  });

  it('sends a relayed line alone when the puppet no longer has the message its photo came in', async () => {
    const customer = mocker.createContact();
    const inbox = botMessagesTo(customer);
    await adapter.send(customer.id, { text: '【客服 小李】[图片] 是这个阀门吗？', media: { kind: 'photo', ref: 'message-the-puppet-forgot' } });
    expect(inbox.map((m) => m.text())).toEqual(['【客服 小李】[图片] 是这个阀门吗？']);
    expect(logLines.some((l) => l.msg === 'WeChat media not passed on; sending the words alone' && l.kind === 'photo')).toBe(true);
  });
});
