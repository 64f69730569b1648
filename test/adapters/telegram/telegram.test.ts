/**
 * The Telegram adapter through the real telegraf SDK against a local fake of the Bot API, with the
 * real dialogue core on a migrated SQLite file behind it.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTelegramAdapter, MemoryCallbackDataStore, type TelegramAdapter, type TelegramAdapterOptions } from '../../../adapters/telegram/index.ts';
import type { TelegramConfig } from '../../../adapters/telegram/config.ts';
import type { AdapterDeps } from '../../../src/contracts/adapter.ts';
import type { InboundInput, Outbound } from '../../../src/contracts/messages.ts';
import type { Logger } from '../../../src/lib/log.ts';
import { RateLimiter } from '../../../src/lib/rate-limit.ts';
import { SendError } from '../../../src/lib/errors.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { FakeBotApi, type FakeChat, type FakeUser, type SentMessage } from './fake-bot-api.ts';

const NOW = '2026-11-23T10:00:00+08:00';
const TOKEN = '123456789:TESTtoken_0123456789abcdefghijklmno';
const SECRET = 'hook_secret-0123456789';

const li: FakeUser = { id: 1001, first_name: '小', last_name: '李', username: 'xiaoli' };
const liChat: FakeChat = { id: 1001, type: 'private' };

let h: Harness;
let fake: FakeBotApi;
let logLines: string[];
let log: Logger;
let running: TelegramAdapter[];

beforeEach(async () => {
  h = await createHarness({ now: NOW });
  fake = await FakeBotApi.start({ token: TOKEN });
  logLines = [];
  log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  running = [];
});

afterEach(async () => {
  for (const adapter of running) await adapter.stop();
  await fake.close();
  await h.close();
  // Whatever happened, the token never reached the log.
  expect(logLines.join('\n')).not.toContain(TOKEN.split(':')[1]);
});

interface StartOptions {
  /** Replaces the core (for replies the core does not make: files, long actions). */
  handle?: (inbound: InboundInput) => Promise<Outbound[]>;
  mode?: 'polling' | 'webhook';
  opts?: TelegramAdapterOptions;
}

/** Starts an adapter on the fake; `inbound` records what reached the core. */
async function startAdapter(s: StartOptions = {}): Promise<{ adapter: TelegramAdapter; inbound: InboundInput[] }> {
  const inbound: InboundInput[] = [];
  const deps: AdapterDeps = {
    handle: async (i) => {
      inbound.push(i);
      return s.handle ? s.handle(i) : h.core.handle(i);
    },
    log,
  };
  const config: TelegramConfig =
    s.mode === 'webhook'
      ? { token: TOKEN, apiRoot: fake.apiRoot, mode: 'webhook', webhook: { url: 'https://bot.example.com/tg/hook', path: '/tg/hook', secret: SECRET, port: 0 } }
      : { token: TOKEN, apiRoot: fake.apiRoot, mode: 'polling' };
  // No pacing unless a test asks: the booking would otherwise take a second per reply.
  const adapter = createTelegramAdapter(config, deps, { pacer: new RateLimiter({ limits: { telegram: {} } }), ...s.opts });
  await adapter.start();
  running.push(adapter);
  return { adapter, inbound };
}

/** One person in one chat, talking to the bot over the fake. */
class Customer {
  replies: SentMessage[] = [];
  readonly pressed: string[] = [];
  constructor(
    readonly chat: FakeChat = liChat,
    readonly from: FakeUser = li,
  ) {}

  async say(text: string): Promise<SentMessage[]> {
    return this.#deliver(fake.pushText({ chat: this.chat, from: this.from, text }));
  }

  /** Presses the button (of the bot's last keyboard in this chat) whose label contains `label`. */
  async tap(label: string): Promise<SentMessage[]> {
    const buttons = fake.lastKeyboard(this.chat.id);
    const button = buttons.find((b) => b.text.includes(label));
    if (!button) throw new Error(`no button "${label}" in: ${buttons.map((b) => b.text).join(' | ')}`);
    return this.press(button.callback_data);
  }

  async press(data: string): Promise<SentMessage[]> {
    const update = fake.pushPress({ chat: this.chat, from: this.from, data });
    this.pressed.push((update.callback_query as { id: string }).id);
    return this.#deliver(update);
  }

  /** Waits until the bot confirmed the update: by then it has sent all its replies. */
  async #deliver(update: Record<string, unknown>): Promise<SentMessage[]> {
    const before = fake.sentTo(this.chat.id).length;
    await fake.acknowledged(update.update_id as number);
    this.replies = fake.sentTo(this.chat.id).slice(before);
    return this.replies;
  }

  get text(): string {
    return this.replies.map((m) => m.text ?? m.caption ?? '').join('\n');
  }
}

describe('long polling', () => {
  it('carries a whole booking: text in, inline keyboards out, presses answered', async () => {
    const { inbound } = await startAdapter();
    const c = new Customer();
    await c.say('明天上午9点保洁');
    expect(c.text).toContain('服务地址');
    await c.say('阳光小区3栋501');
    await c.say('李先生');
    expect(c.text).toContain('手机号码');
    await c.say('13912345678');
    await c.tap('单次');
    expect(c.text).toContain('服务项目：日常保洁');
    await c.tap('确认预约');
    expect(c.text).toContain('预约成功');

    const bookings = await h.db.booking.findMany();
    expect(bookings).toHaveLength(1);
    expect(bookings[0]).toMatchObject({ address: '阳光小区3栋501', phone: '13912345678', status: 'confirmed', frequency: 'once' });
    expect(bookings[0]?.start.toISOString()).toBe('2026-11-24T01:00:00.000Z');

    // Every press answered, so no client keeps spinning.
    expect(c.pressed).toHaveLength(2);
    expect(fake.answeredQueries).toEqual(c.pressed);
    // The inbound shape the core saw.
    expect(inbound[0]).toMatchObject({ channel: 'telegram', chatId: '1001', userId: '1001', displayName: '李小', text: '明天上午9点保洁', chatType: 'private' });
    expect(inbound[0]?.messageId).toMatch(/^\d+$/);
    expect(inbound.at(-1)).toMatchObject({ messageId: `cb:${c.pressed[1]}`, chatType: 'private' });
    expect(inbound.at(-1)?.action).toBeTruthy();
    // Customers' words stay out of the log.
    expect(logLines.join('\n')).not.toContain('13912345678');
  });

  it('answers an update Telegram delivers twice only once', async () => {
    const first = await startAdapter();
    const c = new Customer();
    const update = fake.pushText({ chat: liChat, from: li, text: '你好' });
    await fake.acknowledged(update.update_id as number);
    const answered = fake.sentTo(liChat.id).length;
    expect(answered).toBeGreaterThan(0);

    // The process dies before its acknowledgement reaches Telegram: the next one gets it again.
    await first.adapter.stop();
    fake.rewind(update.update_id as number);
    const second = await startAdapter();
    await fake.acknowledged(update.update_id as number);
    expect(second.inbound.map((i) => i.messageId)).toEqual([String(update.update_id)]);
    expect(fake.sentTo(liChat.id)).toHaveLength(answered);

    // And the conversation goes on.
    await c.say('价目表');
    expect(c.replies.length).toBeGreaterThan(0);
  });

  it('ignores a malformed update, channel posts and anonymous senders, and keeps going', async () => {
    const { inbound } = await startAdapter();
    fake.pushRaw({ message: { message_id: 1, date: 'yesterday', chat: 'nope', text: 5 } });
    fake.pushRaw({ callback_query: { id: 7, data: ['x'] } });
    fake.pushRaw({ channel_post: { message_id: 2, date: 1, chat: { id: -1009, type: 'channel' }, text: 'news' } });
    fake.pushRaw({ message: { message_id: 3, date: 1, chat: { id: -1008, type: 'supergroup' }, sender_chat: { id: -1009, type: 'channel' }, text: 'anon' } });
    const c = new Customer();
    await c.say('你好');
    expect(c.replies.length).toBeGreaterThan(0);
    expect(inbound).toHaveLength(1);
    const warnings = logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40);
    expect(warnings.filter((w) => w.msg.includes('malformed update'))).toHaveLength(2);
  });

  it('maps group and supergroup messages to chatType group', async () => {
    const { inbound } = await startAdapter();
    const staff = new Customer({ id: -100777, type: 'supergroup', title: '客服组' }, { id: 2002, first_name: 'Wang', username: 'wang' });
    const old = new Customer({ id: -555, type: 'group', title: '老群' }, { id: 2003, first_name: '', username: 'zhao' });
    await staff.say('JZ2611230001 已派单');
    await old.say('收到');
    expect(inbound).toEqual([
      expect.objectContaining({ chatId: '-100777', userId: '2002', displayName: 'Wang', chatType: 'group' }),
      expect.objectContaining({ chatId: '-555', userId: '2003', displayName: 'zhao', chatType: 'group' }),
    ]);
  });
});

describe('buttons', () => {
  const LONG = `note:${'请在下午两点以后上门，谢谢'.repeat(4)}`;

  it('keeps actions over 64 bytes behind a short key and resolves it when pressed', async () => {
    expect(Buffer.byteLength(LONG)).toBeGreaterThan(64);
    const store = new MemoryCallbackDataStore();
    const { inbound } = await startAdapter({
      opts: { callbackStore: store },
      handle: async (i) =>
        i.text !== undefined ? [{ text: '请选择', buttons: [[{ label: '长', action: LONG }], [{ label: '短', action: 'menu:home' }]] }] : [{ text: 'ok' }],
    });
    const c = new Customer();
    await c.say('hi');
    const [long, short] = fake.lastKeyboard(liChat.id);
    expect(long?.callback_data).toMatch(/^~[A-Za-z0-9_-]{22}$/);
    expect(short?.callback_data).toBe('menu:home');
    await c.tap('长');
    // The first press spent the keyboard (its buttons are removed); the second comes from a
    // client that still shows it.
    await c.press(short!.callback_data);
    expect(inbound.slice(1).map((i) => i.action)).toEqual([LONG, 'menu:home']);
    expect(fake.answeredQueries).toEqual(c.pressed);
  });

  it('after a restart an unknown key reaches the core as a stale button', async () => {
    const first = await startAdapter({ handle: async () => [{ text: '请选择', buttons: [[{ label: '长', action: LONG }]] }] });
    const c = new Customer();
    await c.say('hi');
    const key = fake.lastKeyboard(liChat.id)[0]!.callback_data;
    await first.adapter.stop();

    const second = await startAdapter(); // a fresh in-memory store, the real core
    await c.press(key);
    expect(second.inbound[0]?.action).toBe(key);
    expect(c.text).toContain('这个选项已经过期了');
    expect(fake.answeredQueries).toEqual(c.pressed);
  });

  it('answers the press even when the core fails', async () => {
    await startAdapter({
      handle: async (i) => {
        if (i.action !== undefined) throw new Error('core down');
        return [{ text: '请选择', buttons: [[{ label: 'A', action: 'menu:home' }]] }];
      },
    });
    const c = new Customer();
    await c.say('hi');
    await c.tap('A');
    expect(fake.answeredQueries).toEqual(c.pressed);
    expect(logLines.some((l) => l.includes('core failed'))).toBe(true);
  });
});

describe('webhook', () => {
  async function post(port: number, body: unknown, headers: Record<string, string> = {}, path = '/tg/hook', method = 'POST') {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(method === 'POST' ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    await res.arrayBuffer();
    return res.status;
  }

  it('handles updates with the right secret once, refuses the rest', async () => {
    const { adapter, inbound } = await startAdapter({ mode: 'webhook' });
    expect(fake.webhook).toEqual({ url: 'https://bot.example.com/tg/hook', secret: SECRET });
    const port = adapter.webhookPort!;
    const update = { update_id: 5001, message: { message_id: 1, date: 1_795_000_000, chat: liChat, from: li, text: '你好' } };
    const good = { 'x-telegram-bot-api-secret-token': SECRET };

    expect(await post(port, update, good)).toBe(200);
    const answered = fake.sentTo(liChat.id).length;
    expect(answered).toBeGreaterThan(0); // handled before the response
    expect(await post(port, update, good)).toBe(200); // redelivered
    expect(fake.sentTo(liChat.id)).toHaveLength(answered);

    const other = { ...update, update_id: 5002 };
    expect(await post(port, other, { 'x-telegram-bot-api-secret-token': `${SECRET}x` })).toBe(401);
    expect(await post(port, other)).toBe(401);
    expect(await post(port, other, { 'x-telegram-bot-api-secret-token': '' })).toBe(401);
    expect(await post(port, other, good, '/elsewhere')).toBe(404);
    expect(await post(port, other, good, '/tg/hook', 'GET')).toBe(405);
    expect(await post(port, '{not json', good)).toBe(400);
    expect(inbound.map((i) => i.messageId)).toEqual(['5001', '5001']);
    expect(fake.sentTo(liChat.id)).toHaveLength(answered);
    const refusals = logLines.filter((l) => l.includes('request refused') && l.includes('"level":40'));
    expect(refusals).toHaveLength(3);
    expect(logLines.join('\n')).not.toContain(SECRET);

    // A button press over the webhook is answered too.
    const press = { update_id: 5003, callback_query: { id: 'wq1', from: li, message: { message_id: 2, date: 1, chat: liChat }, chat_instance: 'c', data: 'menu:price' } };
    expect(await post(port, press, good)).toBe(200);
    expect(fake.answeredQueries).toEqual(['wq1']);
  });
});

describe('limits', () => {
  it('waits out a 429 on a reply and delivers it once', async () => {
    await startAdapter({ handle: async () => [{ text: '第一条' }, { text: '第二条' }] });
    fake.failNext(1, 1);
    const started = Date.now();
    const c = new Customer();
    await c.say('hi');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(c.replies.map((m) => m.text)).toEqual(['第一条', '第二条']);
    expect(fake.callsOf('sendMessage').map((call) => call.status)).toEqual([429, 200, 200]);
  });

  it('send() does not wait: 429 -> SendError with retryAfterMs; blocked or unknown chat -> permanent', async () => {
    const { adapter } = await startAdapter();
    fake.failNext(1, 2);
    const started = Date.now();
    const limited = await adapter.send('1001', { text: '提醒' }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2000); // did not wait out the retry-after
    expect(limited).toBeInstanceOf(SendError);
    expect(limited).toMatchObject({ retryAfterMs: 2000, permanent: false });
    expect(fake.sentTo('1001')).toHaveLength(0);

    fake.block('1002');
    await expect(adapter.send('1002', { text: '提醒' })).rejects.toMatchObject({ name: 'SendError', permanent: true });
    fake.forget('-100404');
    const gone = await adapter.send('-100404', { text: '新投诉' }).catch((e: unknown) => e);
    expect(gone).toMatchObject({ permanent: true });
    expect(String((gone as Error).message)).toContain('chat not found');
    expect(String((gone as Error).message)).not.toContain(TOKEN);

    await adapter.send('-100405', { text: '新投诉', buttons: [[{ label: '接单', action: 'menu:home' }]] });
    expect(fake.sentTo('-100405')[0]).toMatchObject({ text: '新投诉', keyboard: [[{ text: '接单', callback_data: 'menu:home' }]] });
  });

  it('paces replies to one chat so Telegram never answers 429', async () => {
    // The adapter's own default limiter (1 message/s per chat), against a fake enforcing it.
    await startAdapter({ handle: async () => [{ text: '一' }, { text: '二' }, { text: '三' }], opts: { pacer: undefined } });
    fake.enforceLimits();
    const started = Date.now();
    const c = new Customer();
    await c.say('hi');
    expect(c.replies.map((m) => m.text)).toEqual(['一', '二', '三']);
    expect(fake.tooManyRequests).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });
});

describe('files and long text', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  const pdf = new Uint8Array(Buffer.from('%PDF-1.4 report'));

  function replyWith(out: Outbound[]): StartOptions {
    return { handle: async () => out };
  }

  it('sends an image with sendPhoto and the text as caption, buttons attached', async () => {
    await startAdapter(replyWith([{ text: '11月报表', file: { name: 'chart.png', mime: 'image/png', data: png }, buttons: [[{ label: '下载', action: 'menu:home' }]] }]));
    const c = new Customer();
    await c.say('报表');
    expect(c.replies).toEqual([
      expect.objectContaining({ method: 'sendPhoto', caption: '11月报表', file: { filename: 'chart.png', size: png.length }, keyboard: [[{ text: '下载', callback_data: 'menu:home' }]] }),
    ]);
  });

  it('sends other files with sendDocument; a caption over 1024 characters goes first as text', async () => {
    const long = '报表说明。'.repeat(250); // 1250 characters
    await startAdapter(replyWith([{ text: long, file: { name: 'report.pdf', mime: 'application/pdf', data: pdf } }]));
    const c = new Customer();
    await c.say('报表');
    expect(c.replies.map((m) => m.method)).toEqual(['sendMessage', 'sendDocument']);
    expect(c.replies[0]?.text).toBe(long);
    expect(c.replies[1]).toMatchObject({ file: { filename: 'report.pdf', size: pdf.length } });
    expect(c.replies[1]?.caption).toBeUndefined();
  });

  it('falls back to a document when Telegram refuses the photo', async () => {
    fake.refusePhotos = true;
    await startAdapter(replyWith([{ text: '图表', file: { name: 'wide.png', mime: 'image/png', data: png } }]));
    const c = new Customer();
    await c.say('报表');
    expect(c.replies).toEqual([expect.objectContaining({ method: 'sendDocument', caption: '图表' })]);
  });

  it('splits text over 4096 characters, keyboard on the last piece', async () => {
    const line = `${'很长的一行'.repeat(20)}\n`; // 101 characters
    const text = line.repeat(100);
    await startAdapter(replyWith([{ text, buttons: [[{ label: '好', action: 'yes' }]] }]));
    const c = new Customer();
    await c.say('hi');
    expect(c.replies).toHaveLength(3);
    expect(c.replies.every((m) => (m.text ?? '').length <= 4096)).toBe(true);
    expect(c.replies.map((m) => m.text).join("\n")).toBe(text);
    expect(c.replies.map((m) => Boolean(m.keyboard))).toEqual([false, false, true]);
  });
});

describe('lifecycle', () => {
  it('refuses to start with a token Telegram rejects, without printing it', async () => {
    const other = '987654321:OTHERtoken_0123456789abcdefghijklm';
    const adapter = createTelegramAdapter({ token: other, apiRoot: fake.apiRoot, mode: 'polling' }, { handle: async () => [], log });
    const error = await adapter.start().catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toContain('401');
    expect(error?.message).not.toContain(other.split(':')[1]);
  });

  it('stops right after starting, twice without harm, and polls no more', async () => {
    const { adapter, inbound } = await startAdapter({ handle: async () => [] });
    await expect(adapter.stop()).resolves.toBeUndefined();
    await expect(adapter.stop()).resolves.toBeUndefined();
    // An update sent now goes to the next adapter, none of it to the stopped one.
    const update = fake.pushText({ chat: { id: 4242, type: 'private' }, from: { id: 4242, first_name: '停' }, text: 'hi' });
    const next = await startAdapter({ handle: async () => [] });
    await fake.acknowledged(Number(update.update_id));
    await vi.waitFor(() => expect(next.inbound.map((i) => i.text)).toEqual(['hi']));
    expect(inbound).toEqual([]);
  });
});
