/**
 * The account's sends are paced through one queue: across chats, and between a file and its text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { mock } from 'wechaty-puppet-mock';
import { createWechatAdapter } from '../../../adapters/wechat/index.ts';
import { ConfigError } from '../../../src/lib/errors.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { events, memoryName, startWechatRig, type WechatRig } from './rig.ts';

const PACE_MS = 60;

let rig: WechatRig;
let mocker: WechatRig['mocker'];
let adapter: WechatRig['adapter'];

/** When each message from the bot reached the target (ms). */
function arrivals(target: mock.ContactMock): number[] {
  const times: number[] = [];
  events(target).on('message', (msg: mock.MessageMock) => {
    if (msg.talker().id === rig.bot.id) times.push(performance.now());
  });
  return times;
}

beforeAll(async () => {
  rig = await startWechatRig({ paceMs: PACE_MS });
  ({ mocker, adapter } = rig);
});

afterAll(async () => {
  await rig?.stop();
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
