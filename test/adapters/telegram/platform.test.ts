/**
 * The Telegram platform's harder edges, through the real telegraf SDK against the fake Bot API
 * behaving as Telegram documents it: a second poller (409) and a revoked token (401), slow chats
 * next to quick ones, commands addressed with @botusername in groups, privacy mode and
 * force_reply, replies that cannot be delivered in time, and spent buttons.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter, type TelegramAdapter, type TelegramAdapterOptions } from '../../../adapters/telegram/index.ts';
import type { TelegramConfig } from '../../../adapters/telegram/config.ts';
import type { AdapterDeps, AdapterFatal } from '../../../src/contracts/adapter.ts';
import type { InboundInput, Outbound } from '../../../src/contracts/messages.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { RateLimiter } from '../../../src/lib/rate-limit.ts';
import { enqueue } from '../../../src/store/outbox.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { FakeBotApi, type FakeChat, type FakeUser, type SentMessage } from './fake-bot-api.ts';
import { telegramRooms } from './rig.ts';

const NOW = '2026-11-23T10:00:00+08:00';
const NOW_SEC = Math.floor(Date.parse(NOW) / 1000);
const TOKEN = '123456789:TESTtoken_0123456789abcdefghijklmno';

const DESK: FakeChat = { id: -1001234567890, type: 'supergroup', title: '客服前台群' };
const HEADS: FakeChat = { id: -1001234567891, type: 'supergroup', title: '部门负责人群' };
const MANAGERS: FakeChat = { id: -1001234567892, type: 'supergroup', title: '总经理群' };
const wang: FakeUser = { id: 1001, first_name: '王', username: 'wang_customer' };
const wangChat: FakeChat = { id: 1001, type: 'private' };
const zhao: FakeUser = { id: 1002, first_name: '赵', username: 'zhao_customer' };
const zhaoChat: FakeChat = { id: 1002, type: 'private' };
const deskLi: FakeUser = { id: 2001, first_name: '前台小李', username: 'desk_li' };

let h: Harness;
let fake: FakeBotApi;
let running: TelegramAdapter[];

beforeEach(async () => {
  h = await createHarness({
    now: NOW,
    complaints: {
      rooms: telegramRooms(DESK.id, HEADS.id, MANAGERS.id),
      inviteCodes: { 'DESK-2026': 'front_desk', 'HEAD-2026': 'department_head', 'GM-2026': 'general_manager' },
      consoleOnlyCodes: false,
    },
  });
  fake = await FakeBotApi.start({ token: TOKEN });
  running = [];
});

afterEach(async () => {
  for (const adapter of running) await adapter.stop();
  await fake.close();
  await h.close();
});

interface Start {
  handle?: (inbound: InboundInput) => Promise<Outbound[]>;
  deps?: Partial<AdapterDeps>;
  config?: Partial<TelegramConfig>;
  opts?: TelegramAdapterOptions;
}

async function startAdapter(s: Start = {}): Promise<{ adapter: TelegramAdapter; inbound: InboundInput[] }> {
  const inbound: InboundInput[] = [];
  const deps: AdapterDeps = {
    handle: async (i) => {
      inbound.push(i);
      return s.handle ? s.handle(i) : h.core.handle(i);
    },
    log: silentLogger,
    ...s.deps,
  };
  const config = { token: TOKEN, apiRoot: fake.apiRoot, mode: 'polling', ...s.config } as TelegramConfig;
  const adapter = createTelegramAdapter(config, deps, { pacer: new RateLimiter({ limits: { telegram: {} } }), now: () => h.clock.now(), ...s.opts });
  await adapter.start();
  running.push(adapter);
  return { adapter, inbound };
}

/** Waits (real time) until `condition` holds. */
async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function deliver(chat: FakeChat, update: Record<string, unknown>): Promise<SentMessage[]> {
  const before = fake.sentTo(chat.id).length;
  await fake.acknowledged(update.update_id as number);
  return fake.sentTo(chat.id).slice(before);
}
const say = (chat: FakeChat, from: FakeUser, text: string) => deliver(chat, fake.pushText({ chat, from, text, date: NOW_SEC }));
const textOf = (sent: SentMessage[]) => sent.map((m) => m.text ?? m.caption ?? '').join('\n');

/** A virtual clock and sleep for the poller's backoff: a wait moves the clock and yields. */
function virtualTime(start = Date.parse(NOW)) {
  const clock = { t: start };
  return {
    clock,
    now: () => new Date(clock.t),
    sleep: async (ms: number) => {
      clock.t += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('polling failures (409, 401)', () => {
  it('retries getUpdates after a 409 Conflict and carries on once the other poller is gone', async () => {
    const time = virtualTime();
    const fatal: AdapterFatal[] = [];
    // A long limit: this test is about retrying, however many retries a loaded machine fits in.
    await startAdapter({ deps: { onFatal: (f) => fatal.push(f) }, config: { conflictExitAfterMs: 24 * 3600_000 }, opts: { now: time.now, sleep: time.sleep } });
    fake.conflict();
    await until(() => fake.callsOf('getUpdates').filter((c) => c.status === 409).length >= 3, 'three 409 answers');
    fake.conflict(false);

    const sent = await say(wangChat, wang, '你好');
    expect(sent.length).toBeGreaterThan(0);
    expect(fatal).toEqual([]);
  });

  it('reports a fatal error (exit code 1) when the conflict lasts TELEGRAM_CONFLICT_EXIT_AFTER_MS, and polls no more', async () => {
    const time = virtualTime();
    const fatal: AdapterFatal[] = [];
    await startAdapter({ deps: { onFatal: (f) => fatal.push(f) }, config: { conflictExitAfterMs: 120_000 }, opts: { now: time.now, sleep: time.sleep } });
    const from = time.clock.t;
    fake.conflict();
    await until(() => fatal.length > 0, 'the fatal report');
    expect(time.clock.t - from).toBeGreaterThanOrEqual(120_000);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ channel: 'telegram', exitCode: 1 });
    expect(fatal[0]?.message).toMatch(/409/);
    const calls = fake.callsOf('getUpdates').length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.callsOf('getUpdates').length).toBe(calls);
  });

  it('reports a fatal error (exit code 2) when Telegram refuses the token (401)', async () => {
    const time = virtualTime();
    const fatal: AdapterFatal[] = [];
    await startAdapter({ deps: { onFatal: (f) => fatal.push(f) }, opts: { now: time.now, sleep: time.sleep } });
    fake.revokeToken();
    await until(() => fatal.length > 0, 'the fatal report');
    expect(fatal).toEqual([expect.objectContaining({ channel: 'telegram', exitCode: 2 })]);
    expect(fatal[0]?.message).toMatch(/401/);
    expect(fatal[0]?.message).not.toContain(TOKEN.split(':')[1]);
  });
});

describe('no head-of-line blocking', () => {
  it("answers other chats while one chat waits out a 429, keeps polling meanwhile, and keeps each chat's order", async () => {
    await startAdapter({ handle: async (i) => [{ text: `echo ${i.text}` }], opts: { idlePollMs: 50 } });
    // Wang's first reply meets a 429 asking for 3 s.
    fake.failNextTo(wangChat.id, 1, 3);
    const started = Date.now();
    const a1 = fake.pushText({ chat: wangChat, from: wang, text: 'a1' });
    fake.pushText({ chat: wangChat, from: wang, text: 'a2' });
    fake.pushText({ chat: zhaoChat, from: zhao, text: 'b1' });
    await until(() => fake.sentTo(zhaoChat.id).length === 1, "zhao's first answer");
    // A later update, fetched while wang's chat still waits.
    fake.pushText({ chat: zhaoChat, from: zhao, text: 'b2' });
    await until(() => fake.sentTo(zhaoChat.id).length === 2, "zhao's second answer");
    expect(Date.now() - started).toBeLessThan(2500);
    expect(fake.sentTo(wangChat.id)).toHaveLength(0);

    await fake.acknowledged(a1.update_id as number);
    await until(() => fake.sentTo(wangChat.id).length === 2, "wang's answers");
    expect(fake.sentTo(wangChat.id).map((m) => m.text)).toEqual(['echo a1', 'echo a2']);
    expect(fake.sentTo(zhaoChat.id).map((m) => m.text)).toEqual(['echo b1', 'echo b2']);
  });

  it('does not confirm an update before it is handled, so a crash cannot lose it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await startAdapter({
      handle: async (i) => {
        if (i.text === 'slow') await gate;
        return [{ text: `echo ${i.text}` }];
      },
      opts: { idlePollMs: 50 },
    });
    const slow = fake.pushText({ chat: wangChat, from: wang, text: 'slow' });
    fake.pushText({ chat: zhaoChat, from: zhao, text: 'quick' });
    await until(() => fake.sentTo(zhaoChat.id).length === 1, 'the quick answer');
    // Polling goes on, but the slow update is not confirmed while it is being handled.
    const polls = fake.callsOf('getUpdates').length;
    await until(() => fake.callsOf('getUpdates').length > polls + 1, 'more polls');
    expect(fake.callsOf('getUpdates').at(-1)?.params.offset).toBe(slow.update_id);
    release();
    await fake.acknowledged(slow.update_id as number);
  });

  it('keeps at most maxUpdatesInFlight updates in hand, and fetches more as they finish', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { inbound } = await startAdapter({
      handle: async (i) => {
        await gate;
        return [{ text: `echo ${i.text}` }];
      },
      opts: { idlePollMs: 20, maxUpdatesInFlight: 2 },
    });
    const users = [1, 2, 3, 4].map((n) => ({ chat: { id: 3000 + n, type: 'private' as const }, from: { id: 3000 + n, first_name: `u${n}` } }));
    const last = users.map((u) => fake.pushText({ ...u, text: 'x' })).at(-1)!;
    await until(() => inbound.length === 2, 'two updates in hand');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(inbound).toHaveLength(2);
    expect(fake.callsOf('getUpdates').every((c) => c.params.limit === undefined || Number(c.params.limit) <= 2)).toBe(true);
    release();
    await fake.acknowledged(last.update_id as number);
    expect(inbound).toHaveLength(4);
  });
});

describe('commands in groups', () => {
  it('takes /join@<bot> code like /join code and ignores a command addressed to another bot', async () => {
    fake.privacyMode = true;
    const { inbound } = await startAdapter();
    expect(await say(DESK, deskLi, '/join@other_bot DESK-2026')).toEqual([]);
    expect(inbound).toHaveLength(0);
    expect(await h.db.staff.count()).toBe(0);

    const joined = await say(DESK, deskLi, '/join@desk_test_bot DESK-2026');
    expect(textOf(joined)).toContain('已加入，身份：前台客服');
    expect(inbound.at(-1)?.text).toBe('/join DESK-2026');

    // /report@<bot> in the group reaches the core as /report.
    await say(DESK, deskLi, '/report@Desk_Test_Bot');
    expect(inbound.at(-1)?.text).toBe('/report');
  });
});

// ---- a complaint in the staff group ----------------------------------------------------------

/** The button labelled `label` of the bot's last keyboard in the chat. */
function buttonData(chat: FakeChat, label: string): string {
  const buttons = fake.lastKeyboard(chat.id);
  const button = buttons.find((b) => b.text === label);
  if (!button) throw new Error(`no button "${label}" in: ${buttons.map((b) => b.text).join(' | ')}`);
  return button.callback_data;
}
const press = (chat: FakeChat, from: FakeUser, data: string) => deliver(chat, fake.pushPress({ chat, from, data }));

/** The customer files a minor complaint; the outbox posts it to the desk group; Li joins. */
async function complaintInDesk(adapter: TelegramAdapter): Promise<string> {
  await say(wangChat, wang, '阿姨态度很差，还一直玩手机');
  await press(wangChat, wang, buttonData(wangChat, '没有损失'));
  await press(wangChat, wang, buttonData(wangChat, '第一次反映'));
  await say(wangChat, wang, '王先生');
  const done = textOf(await say(wangChat, wang, '13700001111'));
  const number = /编号：(TS\d+)/.exec(done)?.[1];
  expect(number, done).toBeDefined();
  const dispatcher = h.dispatcher({ telegram: adapter });
  expect(await dispatcher.tick()).toMatchObject({ sent: 1 });
  await dispatcher.stop();
  expect(textOf(await say(DESK, deskLi, '/join DESK-2026'))).toContain('已加入');
  return number!;
}

describe('privacy mode in the staff group', () => {
  it('asks for the resolution with force_reply and takes the reply as the staff member’s text', async () => {
    fake.privacyMode = true;
    const { adapter } = await startAdapter();
    const number = await complaintInDesk(adapter);

    const prompt = await press(DESK, deskLi, buttonData(DESK, '处理完成'));
    expect(textOf(prompt)).toContain(`请输入投诉 ${number} 的处理结果`);
    expect(prompt.find((m) => m.text?.includes('处理结果'))?.forceReply).toBeDefined();

    // Li types the result; the client sends it as a reply to the prompt, which privacy mode lets through.
    const answered = await deliver(DESK, fake.typeAsClient({ chat: DESK, from: deskLi, text: '已安排阿姨上门道歉并免费返工一次', date: NOW_SEC }));
    expect(fake.withheld).toHaveLength(0);
    expect(textOf(answered)).toContain(number);
    expect(await h.db.complaint.findFirst()).toMatchObject({ status: 'resolved', resolution: '已安排阿姨上门道歉并免费返工一次' });
  });

  it('asks why a complaint is invalid with force_reply and takes the reply', async () => {
    fake.privacyMode = true;
    const { adapter } = await startAdapter();
    await complaintInDesk(adapter);
    const asked = await press(DESK, deskLi, buttonData(DESK, '无效'));
    expect(asked.find((m) => m.forceReply)).toBeDefined();
    await deliver(DESK, fake.typeAsClient({ chat: DESK, from: deskLi, text: '客户所说的服务并非本公司提供', date: NOW_SEC }));
    expect(fake.withheld).toHaveLength(0);
    expect(await h.db.complaint.findFirst()).toMatchObject({ status: 'invalid', invalidReason: '客户所说的服务并非本公司提供' });
  });
});

describe('replies that cannot be delivered in time', () => {
  /** The app's wiring: a late reply becomes an outbox row on the harness database. */
  const lateToOutbox: AdapterDeps['enqueue'] = async (late) => {
    await enqueue(h.db, { channel: late.channel, chatId: late.chatId, kind: 'reply', dedupeKey: late.key, message: late.message, notBefore: late.notBefore }, h.clock.now());
  };

  it('hands a reply that meets a retry_after over 60 s to the outbox, which delivers it late, in order', async () => {
    const { adapter } = await startAdapter({ handle: async () => [{ text: 'first' }, { text: 'second' }], deps: { enqueue: lateToOutbox } });
    fake.failNextTo(wangChat.id, 1, 120);
    await say(wangChat, wang, '你好');
    expect(fake.sentTo(wangChat.id)).toHaveLength(0);
    const rows = await h.db.outbox.findMany({ orderBy: { id: 'asc' } });
    expect(rows).toHaveLength(2);

    const dispatcher = h.dispatcher({ telegram: adapter });
    expect(await dispatcher.tick()).toMatchObject({ sent: 0 });
    h.clock.advance(121_000);
    await dispatcher.tick();
    await dispatcher.stop();
    expect(fake.sentTo(wangChat.id).map((m) => m.text)).toEqual(['first', 'second']);
  });

  it('hands a reply to the outbox after several 429s in a row', async () => {
    const time = virtualTime();
    const handedOver: string[] = [];
    await startAdapter({
      handle: async () => [{ text: 'answer' }],
      deps: { enqueue: async (late) => void handedOver.push(late.message.text) },
      opts: { sleep: time.sleep, maxReplyAttempts: 3, pacer: new RateLimiter({ limits: { telegram: {} }, now: () => time.clock.t, sleep: time.sleep }) },
    });
    fake.failNextTo(wangChat.id, 3, 5);
    await say(wangChat, wang, '你好');
    expect(handedOver).toEqual(['answer']);
    expect(fake.sentTo(wangChat.id)).toHaveLength(0);
  });
});

describe('a customer who blocked the bot (403)', () => {
  it('is reported unreachable, from a reply and from an outbox send, and gets no retries', async () => {
    const marked: string[] = [];
    const { adapter } = await startAdapter({ handle: async () => [{ text: 'one' }, { text: 'two' }], deps: { markUnreachable: async (_channel, chatId) => void marked.push(chatId) } });
    fake.block(wangChat.id);
    await say(wangChat, wang, '你好');
    expect(marked).toEqual(['1001']);
    // The second reply was not tried after the 403.
    expect(fake.callsOf('sendMessage').filter((c) => String(c.params.chat_id) === '1001')).toHaveLength(1);

    await expect(adapter.send(String(wangChat.id), { text: 'survey' })).rejects.toMatchObject({ name: 'SendError', permanent: true });
    expect(marked).toEqual(['1001', '1001']);
    // A group that removed the bot is not a customer.
    fake.block(DESK.id);
    await expect(adapter.send(String(DESK.id), { text: 'post' })).rejects.toMatchObject({ permanent: true });
    expect(marked).toEqual(['1001', '1001']);
  });
});

describe('spent buttons', () => {
  it('removes a prompt’s keyboard once it is answered, by a press or by typing', async () => {
    await startAdapter();
    await say(wangChat, wang, '明天上午9点保洁');
    await say(wangChat, wang, '阳光小区3栋501');
    await say(wangChat, wang, '李先生');
    await say(wangChat, wang, '13912345678');
    const frequency = fake.sentTo(wangChat.id).filter((m) => m.keyboard).at(-1)!;
    expect(frequency.keyboard?.flat().map((b) => b.text).join()).toContain('单次');

    await press(wangChat, wang, buttonData(wangChat, '单次'));
    expect(fake.edits).toContainEqual(expect.objectContaining({ method: 'editMessageReplyMarkup', chatId: '1001', messageId: frequency.messageId }));
    expect(fake.sentTo(wangChat.id).find((m) => m.messageId === frequency.messageId)?.keyboard).toBeUndefined();

    // The confirmation's buttons, answered by typing instead.
    const confirm = fake.sentTo(wangChat.id).filter((m) => m.keyboard).at(-1)!;
    expect(confirm.messageId).not.toBe(frequency.messageId);
    await say(wangChat, wang, '确认');
    expect(fake.edits.map((e) => e.messageId)).toContain(confirm.messageId);
    expect(fake.edits.every((e) => e.method !== 'editMessageReplyMarkup' || e.keyboard === undefined)).toBe(true);
  });

  it('leaves the buttons of a staff group’s complaint post alone (they serve every step)', async () => {
    const { adapter } = await startAdapter();
    await complaintInDesk(adapter);
    const post = fake.sentTo(DESK.id).find((m) => m.text?.includes('【投诉'))!;
    await press(DESK, deskLi, buttonData(DESK, '认领'));
    expect(fake.edits.filter((e) => e.chatId === String(DESK.id))).toEqual([]);
    expect(fake.sentTo(DESK.id).find((m) => m.messageId === post.messageId)?.keyboard).toBeDefined();
  });
});
