/**
 * The WeChat end-to-end rig the adapter tests share: the real Wechaty SDK on `wechaty-puppet-mock`
 * whose bot account logs in as soon as the puppet starts (as after a QR scan), and the real adapter
 * on it. The adapter lives for a test file; `serve` gives a test its own harness behind it, with
 * WeChat staff rooms and an outbox dispatcher sending through the adapter. `say` has a mock contact
 * say a line (to the bot, or in a room) and returns the bot's next messages there; `sayQuietly`
 * waits until the core has the line where the bot answers nothing.
 */
import type { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { log as wechatyLog } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createWechatAdapter, type WechatAdapter } from '../../../adapters/wechat/index.ts';
import type { AdapterDeps } from '../../../src/contracts/adapter.ts';
import type { InboundInput } from '../../../src/contracts/messages.ts';
import type { ComplaintSettings } from '../../../src/domain/complaints/settings.ts';
import { type Logger, silentLogger } from '../../../src/lib/log.ts';
import type { OutboxDispatcher } from '../../../src/outbox/dispatcher.ts';
import { createHarness, type Harness } from '../../support/harness.ts';

wechatyLog.level('silent');

// Waits on an event; the limit only bounds a failure, below the 20 s test timeout.
export const WAIT = { timeout: 15_000, interval: 5 };

/** A message the mock delivered to a contact or a room. */
export type Sent = mock.MessageMock;
/** Where a mock contact talks: the bot (a private chat) or a room. */
type Place = mock.ContactMock | mock.RoomMock;

/** A fresh folder for the bot's memory card. */
export const memoryName = (): string => join(mkdtempSync(join(tmpdir(), 'jz-wechat-')), 'bot');

/** The mock's contacts and rooms are event emitters; their typings do not resolve here. */
export function events(target: Place): EventEmitter {
  return target as unknown as EventEmitter;
}

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

/**
 * One test's part behind the file's one adapter: its own harness (database), whose complaints and
 * handovers go to WeChat staff rooms, and its outbox dispatcher sending through the adapter.
 */
export interface WechatTest {
  h: Harness;
  dispatcher: OutboxDispatcher;
  /** This test's number in the file (1, 2, ...), for ids of its own. */
  seq: number;
  /** The front desk's room: a fresh id per test, so one test's room (and its shown options) never meets another's. */
  deskRoomId: string;
  close(): Promise<void>;
}

export interface WechatRig {
  mocker: mock.Mocker;
  /** The bot's own account. */
  bot: mock.ContactMock;
  puppet: PuppetMock;
  adapter: WechatAdapter;
  /** What reached the core, in order. */
  inbounds: InboundInput[];
  /** Starts one test's part: a fresh harness whose core gets the inbounds from now on (see `WechatTest`). */
  serve(opts: { now: string; inviteCodes: ComplaintSettings['inviteCodes'] }): Promise<WechatTest>;
  /** Messages the bot's account sent to a contact or in a room from now on, in order. */
  botMessagesTo(target: Place): Sent[];
  /** `who` says `text` (to the bot, or in a room) and gets the text of the bot's next messages there. */
  say(who: mock.ContactMock, where: Place, inbox: Sent[], text: string): Promise<string>;
  /** `who` says `what` where the bot answers nothing; resolves once the core has handled it. */
  sayQuietly(who: mock.ContactMock, where: Place, what: Parameters<mock.ContactMock['say']>[0]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the mock puppet and the real adapter, and waits for the login. Inbounds go to `handle`
 * (default: nothing answered) until `serve` names a harness; `sentIds` makes the puppet's text
 * sends resolve with the message's id, as padlocal's do.
 */
export async function startWechatRig(opts: { handle?: AdapterDeps['handle']; log?: Logger; paceMs?: number; sentIds?: boolean } = {}): Promise<WechatRig> {
  const mocker = new mock.Mocker();
  const bot = mocker.createContact({ name: '安家客服' });
  mocker.use((m) => {
    m.login(bot);
    return () => undefined;
  });
  const puppet = new PuppetMock({ mocker });
  const inbounds: InboundInput[] = [];
  let seq = 0;
  let handle: AdapterDeps['handle'] = opts.handle ?? (async () => []);
  const adapter = createWechatAdapter(
    { puppet: 'wechaty-puppet-mock', name: memoryName(), token: undefined },
    {
      handle: (i) => {
        inbounds.push(i);
        return handle(i);
      },
      log: opts.log ?? silentLogger,
    },
    { puppet: opts.sentIds ? withSentIds(puppet) : puppet, paceMs: opts.paceMs ?? 0 },
  );
  await adapter.start();
  // start() does not wait for the login (the mock logs in right after the puppet starts).
  await vi.waitFor(() => expect(adapter.bot?.isLoggedIn).toBe(true), WAIT);

  return {
    mocker,
    bot,
    puppet,
    adapter,
    inbounds,
    async serve({ now, inviteCodes }) {
      seq += 1;
      const deskRoomId = `${seq}-desk-room@chatroom`;
      // Staff rooms, with ids as WeChat gives them (`...@chatroom`).
      const rooms: ComplaintSettings['rooms'] = {
        contact: { channel: 'wechat', chatId: deskRoomId },
        department_head: { channel: 'wechat', chatId: 'heads-room@chatroom' },
        general_manager: { channel: 'wechat', chatId: 'managers-room@chatroom' },
      };
      const h = await createHarness({ now, complaints: { rooms, inviteCodes, consoleOnlyCodes: false } });
      handle = (i) => h.core.handle(i);
      const dispatcher = h.dispatcher({ wechat: adapter });
      return {
        h,
        dispatcher,
        seq,
        deskRoomId,
        async close() {
          await dispatcher.stop();
          await h.close();
        },
      };
    },
    botMessagesTo(target) {
      const sent: Sent[] = [];
      events(target).on('message', (msg: Sent) => {
        if (msg.talker().id === bot.id && (msg.room()?.id ?? msg.listener()?.id) === target.id) sent.push(msg);
      });
      return sent;
    },
    async say(who, where, inbox, text) {
      const before = inbox.length;
      who.say(text).to(where);
      await vi.waitFor(() => expect(inbox.length).toBeGreaterThan(before), WAIT);
      return inbox.map((m) => m.text() ?? '').slice(before).join('\n');
    },
    async sayQuietly(who, where, what) {
      const before = inbounds.length;
      who.say(what).to(where);
      await vi.waitFor(() => expect(inbounds.length).toBeGreaterThan(before), WAIT);
    },
    async stop() {
      await adapter.stop();
    },
  };
}
