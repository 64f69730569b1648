/**
 * WeChat's login does not hold up the rest of the process: with a puppet that waits for a QR scan
 * (the mock puppet whose account never logs in), `start()` resolves, the outbox delivers other
 * platforms' messages (a 重大 complaint's escalation to a Telegram room), WeChat's own sends fail
 * as retryable until the scan, and the adapter stops cleanly while still waiting. The QR code is
 * drawn on a terminal (stderr) and its URL logged; login, logout and a second login are logged.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { log as wechatyLog, types } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { startAdapters } from '../../../adapters/index.ts';
import { createWechatAdapter, type WechatAdapter } from '../../../adapters/wechat/index.ts';
import type { Outbound } from '../../../src/contracts/messages.ts';
import { SendError } from '../../../src/lib/errors.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { RateLimiter } from '../../../src/lib/rate-limit.ts';
import { createHarness, type Harness } from '../../support/harness.ts';

const NOW = '2026-11-23T10:00:00+08:00';
const WAIT = { timeout: 10_000, interval: 5 };

wechatyLog.level('silent');

const memoryCard = () => join(mkdtempSync(join(tmpdir(), 'jz-wechat-')), 'bot');

/** Resolves with the promise's outcome, or rejects when it takes longer than `ms`. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)),
  ]);
}

/** A pino logger whose lines are parsed into `lines`. */
function captureLog(lines: Record<string, unknown>[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level: 'debug' }, sink);
}

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('while the account waits for a QR scan', () => {
  it('starts the other parts: a 重大 complaint from Telegram is posted, and WeChat sends are retried later', async () => {
    const h: Harness = await createHarness({
      now: NOW,
      complaints: {
        rooms: {
          contact: { channel: 'telegram', chatId: '-100111' },
          department_head: { channel: 'telegram', chatId: '-100222' },
          general_manager: { channel: 'telegram', chatId: '-100333' },
        },
      },
    });
    cleanup.push(() => h.close());
    // The process's start path: the mock puppet from its package, whose account never logs in.
    const adapters = await within(
      5_000,
      startAdapters(
        { telegram: undefined, slack: undefined, wechat: { puppet: 'wechaty-puppet-mock', name: memoryCard(), token: undefined } },
        { handle: (i) => h.core.handle(i), log: silentLogger },
        { limiter: new RateLimiter() },
      ),
      'startAdapters',
    );
    const [wechat] = adapters.started;
    expect(adapters.lines).toContain('wechat (wechaty-puppet-mock): enabled');
    cleanup.push(() => within(5_000, wechat!.stop(), 'stop'));

    const posted: { chatId: string; message: Outbound }[] = [];
    const dispatcher = h.dispatcher({ telegram: { send: async (chatId, message) => void posted.push({ chatId, message }) }, wechat: wechat! });
    cleanup.push(() => dispatcher.stop());

    const c = h.chat('tg-777', 'telegram');
    await c.say('阿姨把花瓶打碎了');
    await c.tap('有损失');
    await c.say('三千块');
    await c.tap('第一次反映');
    if (c.text.includes('怎么称呼')) await c.say('张先生');
    if (c.text.includes('手机号码')) await c.say('13800138000');
    // The customer hears the committed times (立即转交 for 重大), never the grade; staff see the grade.
    expect(c.text).toContain('立即转交');
    expect(c.text).not.toContain('重大');
    await dispatcher.tick();
    expect(posted.some((p) => p.message.text.includes('【投诉') && p.message.text.includes('重大'))).toBe(true);

    // WeChat's own sends are refused as retryable until the scan.
    const error = await wechat!.send('12345@chatroom', { text: '新投诉' }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ permanent: false });
  });

  it('stops cleanly before anyone scanned', async () => {
    const adapter = createWechatAdapter(
      { puppet: 'wechaty-puppet-mock', name: memoryCard(), token: undefined },
      { handle: async () => [], log: silentLogger },
      { puppet: new PuppetMock({ mocker: new mock.Mocker() }), paceMs: 0 },
    );
    await within(5_000, adapter.start(), 'start');
    expect(adapter.bot?.isLoggedIn).toBe(false);
    await within(5_000, adapter.stop(), 'stop');
    expect(adapter.bot).toBeUndefined();
  });
});

describe('login', () => {
  function build(terminal: { isTTY: boolean; write: (s: string) => unknown }) {
    const lines: Record<string, unknown>[] = [];
    const mocker = new mock.Mocker();
    const puppet = new PuppetMock({ mocker });
    const adapter: WechatAdapter = createWechatAdapter(
      { puppet: 'wechaty-puppet-mock', name: memoryCard(), token: undefined },
      { handle: async () => [], log: captureLog(lines) },
      { puppet, paceMs: 0, terminal },
    );
    cleanup.push(() => within(5_000, adapter.stop(), 'stop'));
    return { lines, mocker, puppet, adapter };
  }

  it('draws the QR code on a terminal and logs its URL', async () => {
    const drawn: string[] = [];
    const { lines, puppet, adapter } = build({ isTTY: true, write: (s) => drawn.push(s) });
    await within(5_000, adapter.start(), 'start');
    puppet.emit('scan', { qrcode: 'https://login.weixin.qq.com/l/jiazheng-test', status: types.ScanStatus.Waiting });
    await vi.waitFor(() => expect(lines.some((l) => l.msg === 'WeChat: scan the QR code to log in')).toBe(true), WAIT);
    const line = lines.find((l) => l.msg === 'WeChat: scan the QR code to log in');
    expect(line).toMatchObject({ status: 'Waiting' });
    expect(String(line?.url)).toContain(encodeURIComponent('https://login.weixin.qq.com/l/jiazheng-test'));
    await vi.waitFor(() => expect(drawn.join('')).toMatch(/[█▀▄]/), WAIT);
    expect(drawn.join('').split('\n').length).toBeGreaterThan(10);
  });

  it('draws nothing when stderr is not a terminal, but still logs the URL', async () => {
    const drawn: string[] = [];
    const { lines, puppet, adapter } = build({ isTTY: false, write: (s) => drawn.push(s) });
    await within(5_000, adapter.start(), 'start');
    puppet.emit('scan', { qrcode: 'https://login.weixin.qq.com/l/jiazheng-test', status: types.ScanStatus.Waiting });
    await vi.waitFor(() => expect(lines.some((l) => l.msg === 'WeChat: scan the QR code to log in')).toBe(true), WAIT);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(drawn).toEqual([]);
  });

  it('logs login, logout and the login after it as a reconnect; sends work once logged in', async () => {
    const { lines, mocker, puppet, adapter } = build({ isTTY: false, write: () => undefined });
    await within(5_000, adapter.start(), 'start');
    const bot = mocker.createContact({ name: '安家客服' });
    const customer = mocker.createContact({ name: '李先生' });
    await expect(adapter.send(customer.id, { text: '您好' })).rejects.toMatchObject({ permanent: false });

    mocker.login(bot);
    await vi.waitFor(() => expect(lines.filter((l) => l.msg === 'WeChat logged in')).toHaveLength(1), WAIT);
    await adapter.send(customer.id, { text: '您好' });

    await puppet.logout();
    await vi.waitFor(() => expect(lines.some((l) => l.msg === 'WeChat logged out')).toBe(true), WAIT);
    await expect(adapter.send(customer.id, { text: '您好' })).rejects.toMatchObject({ permanent: false });

    mocker.login(bot);
    await vi.waitFor(() => expect(lines.some((l) => l.msg === 'WeChat logged in again (reconnected)')).toBe(true), WAIT);
    expect(lines.find((l) => l.msg === 'WeChat logged in again (reconnected)')).toMatchObject({ userId: bot.id, level: 30 });
    await adapter.send(customer.id, { text: '您好' });
  });
});
