/**
 * A handover to a person over WeChat, end to end through the real Wechaty SDK on
 * `wechaty-puppet-mock`. WeChat has no reply ids: the front desk answers by quoting the post or a
 * relayed line (the puppet delivers the quote as text: 「昵称：内容」, a dashed line, the reply), or
 * in a private chat with the bot while holding the handover. The puppet here returns the id of a
 * sent text, as padlocal's `messageSendText` does, so the outbox stores the post's reference.
 */
import type { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { log as wechatyLog } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createWechatAdapter, type WechatAdapter } from '../../../adapters/wechat/index.ts';
import type { AdapterDeps } from '../../../src/contracts/adapter.ts';
import type { InboundInput } from '../../../src/contracts/messages.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import type { OutboxDispatcher } from '../../../src/outbox/dispatcher.ts';
import { createHarness, type Harness } from '../../support/harness.ts';

// Monday 2026-11-23 10:00 in Shanghai: the desk is open.
const NOW = '2026-11-23T10:00:00+08:00';
const WAIT = { timeout: 15_000, interval: 5 };
const SEPARATOR = '- - - - - - - - - - - - - - -';

wechatyLog.level('silent');

type Sent = mock.MessageMock;

/**
 * A mock puppet whose text sends resolve with the sent message's id, as the puppet interface allows
 * (`messageSendText(): Promise<void | string>`) and padlocal does; PuppetMock itself resolves with nothing.
 */
function withSentIds(puppet: PuppetMock): PuppetMock {
  const send = puppet.messageSendText.bind(puppet);
  const sender = puppet as unknown as { messageSendText: (conversationId: string, text: string) => Promise<string | undefined> };
  sender.messageSendText = async (conversationId, text) => {
    let id: string | undefined;
    const seen = (event: { messageId: string }) => {
      id ??= event.messageId;
    };
    puppet.on('message', seen);
    try {
      await send(conversationId, text);
    } finally {
      puppet.off('message', seen);
    }
    return id;
  };
  return puppet;
}

let mocker: mock.Mocker;
let adapter: WechatAdapter;
let bot: mock.ContactMock;
let h: Harness;
let dispatcher: OutboxDispatcher;
let handle: AdapterDeps['handle'] = async () => [];
const inbounds: InboundInput[] = [];

function events(target: mock.ContactMock | mock.RoomMock): EventEmitter {
  return target as unknown as EventEmitter;
}

/** Messages the bot's account sent to a contact or in a room, in order. */
function botMessagesTo(target: mock.ContactMock | mock.RoomMock): Sent[] {
  const sent: Sent[] = [];
  events(target).on('message', (msg: Sent) => {
    if (msg.talker().id === bot.id && (msg.room()?.id ?? msg.listener()?.id) === target.id) sent.push(msg);
  });
  return sent;
}

/** `who` says `text` and gets the text of the bot's next messages there. */
async function say(who: mock.ContactMock, where: mock.ContactMock | mock.RoomMock, inbox: Sent[], text: string): Promise<string> {
  const before = inbox.length;
  who.say(text).to(where);
  await vi.waitFor(() => expect(inbox.length).toBeGreaterThan(before), WAIT);
  return inbox.map((m) => m.text() ?? '').slice(before).join('\n');
}

/** `who` says `text` where the bot answers nothing; resolves once the core has handled it. */
async function sayQuietly(who: mock.ContactMock, where: mock.ContactMock | mock.RoomMock, text: string): Promise<void> {
  const before = inbounds.length;
  who.say(text).to(where);
  await vi.waitFor(() => expect(inbounds.length).toBeGreaterThan(before), WAIT);
}

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
  mocker = new mock.Mocker();
  bot = mocker.createContact({ name: '安家客服' });
  mocker.use((m) => {
    m.login(bot);
    return () => undefined;
  });
  adapter = createWechatAdapter(
    { puppet: 'wechaty-puppet-mock', name: join(mkdtempSync(join(tmpdir(), 'jz-wechat-')), 'bot'), token: undefined },
    {
      handle: (i) => {
        inbounds.push(i);
        return handle(i);
      },
      log: silentLogger,
    },
    { puppet: withSentIds(new PuppetMock({ mocker })), paceMs: 0 },
  );
  await adapter.start();
  await vi.waitFor(() => expect(adapter.bot?.isLoggedIn).toBe(true), WAIT);
});

afterAll(async () => {
  await adapter?.stop();
});

let seq = 0;
let deskRoomId: string;

beforeEach(async () => {
  seq += 1;
  deskRoomId = `${seq}-desk-room@chatroom`;
  h = await createHarness({
    now: NOW,
    complaints: {
      rooms: {
        contact: { channel: 'wechat', chatId: deskRoomId },
        department_head: { channel: 'wechat', chatId: 'heads-room@chatroom' },
        general_manager: { channel: 'wechat', chatId: 'managers-room@chatroom' },
      },
      inviteCodes: { 'DESK-2026': 'front_desk' },
      consoleOnlyCodes: false,
    },
  });
  handle = (i) => h.core.handle(i);
  dispatcher = h.dispatcher({ wechat: adapter });
});

afterEach(async () => {
  await dispatcher.stop();
  await h.close();
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
