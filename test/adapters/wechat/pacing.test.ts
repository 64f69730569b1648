/**
 * The account's sends are paced through one queue: across chats, and between a file and its text.
 */
import type { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { log as wechatyLog } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createWechatAdapter, type WechatAdapter } from '../../../adapters/wechat/index.ts';
import { ConfigError } from '../../../src/lib/errors.ts';
import { silentLogger } from '../../../src/lib/log.ts';

wechatyLog.level('silent');

const PACE_MS = 60;
const memoryName = () => join(mkdtempSync(join(tmpdir(), 'jz-wechat-')), 'bot');

let mocker: mock.Mocker;
let adapter: WechatAdapter;
let bot: mock.ContactMock;

/** When each message from the bot reached the target (ms). */
function arrivals(target: mock.ContactMock): number[] {
  const times: number[] = [];
  (target as unknown as EventEmitter).on('message', (msg: mock.MessageMock) => {
    if (msg.talker().id === bot.id) times.push(performance.now());
  });
  return times;
}

beforeAll(async () => {
  mocker = new mock.Mocker();
  bot = mocker.createContact({ name: '安家客服' });
  mocker.use((m) => {
    m.login(bot);
    return () => undefined;
  });
  const puppet = new PuppetMock({ mocker });
  adapter = createWechatAdapter(
    { puppet: 'wechaty-puppet-mock', name: memoryName(), token: undefined },
    { handle: async () => [], log: silentLogger },
    { puppet, paceMs: PACE_MS },
  );
  await adapter.start();
  // start() does not wait for the login (the mock logs in right after the puppet starts).
  await vi.waitFor(() => expect(adapter.bot?.isLoggedIn).toBe(true), { timeout: 15_000, interval: 5 });
});

afterAll(async () => {
  await adapter?.stop();
});

describe('pacing', () => {
  it('spaces messages to different chats of one account', async () => {
    const [a, b] = [mocker.createContact(), mocker.createContact()];
    const [ta, tb] = [arrivals(a), arrivals(b)];
    await Promise.all([adapter.send(a.id, { text: 'one' }), adapter.send(b.id, { text: 'two' }), adapter.send(a.id, { text: 'three' })]);
    const times = [...ta, ...tb].sort((x, y) => x - y);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(PACE_MS - 5);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(PACE_MS - 5);
    expect(ta[0]).toBeLessThan(ta[1]!); // one chat's messages keep their order
  });

  it('spaces a file and its text', async () => {
    const c = mocker.createContact();
    const times = arrivals(c);
    await adapter.send(c.id, { text: '报表', file: { name: 'r.txt', mime: 'text/plain', data: new TextEncoder().encode('x') } });
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(PACE_MS - 5);
  });
});

describe('start()', () => {
  it('names WECHATY_PUPPET when the puppet package is not installed', async () => {
    const missing = createWechatAdapter(
      { puppet: 'wechaty-puppet-not-installed-here', name: memoryName(), token: undefined },
      { handle: async () => [], log: silentLogger },
    );
    const error = await missing.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^WECHATY_PUPPET: the package wechaty-puppet-not-installed-here is not installed/);
    await missing.stop();
  });
});
