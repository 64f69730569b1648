/**
 * The official-account (公众号) mode end to end against a local fake of the platform: the fake
 * posts signed text-message XML to the adapter's webhook as WeChat does, the real core answers, and
 * the adapter sends the reply through the fake's customer-service message API
 * (`/cgi-bin/message/custom/send`) with a token from its `/cgi-bin/stable_token`. A forged
 * signature is refused; the platform's errors map to permanent or retryable SendErrors.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAdapters } from '../../../adapters/index.ts';
import { wechatConfigFromEnv, type WechatOfficialAccountConfig } from '../../../adapters/wechat/config.ts';
import { createOfficialAccountAdapter, type OfficialAccountAdapter } from '../../../adapters/wechat/official-account.ts';
import type { InboundInput, Outbound } from '../../../src/contracts/messages.ts';
import { SendError } from '../../../src/lib/errors.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { RateLimiter } from '../../../src/lib/rate-limit.ts';
import { createHarness, type Harness } from '../../support/harness.ts';

const NOW = '2026-11-23T10:00:00+08:00';
const WAIT = { timeout: 10_000, interval: 5 };
const APP_ID = 'wx0123456789abcdef';
const SECRET = 'fake-app-secret-0123456789abcdef';
const TOKEN = 'jiazhengToken2026';
const OA_ID = 'gh_0123456789ab';

/** The fake platform: what it was asked, and how it answers custom/send. */
interface Fake {
  tokenRequests: { appid: string; secret: string; grant_type: string }[];
  sends: { accessToken: string | null; body: { touser: string; msgtype: string; text?: { content: string } } }[];
  /** Answers of the next custom/send calls, first first; default `{ errcode: 0 }`. */
  sendAnswers: { status?: number; body: Record<string, unknown> }[];
  tokenSeq: number;
}

const fake: Fake = { tokenRequests: [], sends: [], sendAnswers: [], tokenSeq: 0 };
let api: Server;
let apiBase: string;
let h: Harness;
let adapter: OfficialAccountAdapter;
let webhook: string;
const handled: { inbound: InboundInput; replies: Outbound[] }[] = [];

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sign(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

/** The query WeChat adds to every webhook request, signed with `token`. */
function signedQuery(token = TOKEN, extra: Record<string, string> = {}): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  return new URLSearchParams({ signature: sign(token, timestamp, nonce), timestamp, nonce, ...extra }).toString();
}

let msgSeq = 7_000_000_000_000_000_000n;
function textXml(openId: string, content: string, fixedId?: string): string {
  msgSeq += 1n;
  const msgId = fixedId ?? String(msgSeq);
  return (
    `<xml><ToUserName><![CDATA[${OA_ID}]]></ToUserName><FromUserName><![CDATA[${openId}]]></FromUserName>` +
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`
  );
}

/** The platform posts a message to the webhook, as WeChat does. */
function post(xml: string, query = signedQuery()): Promise<Response> {
  return fetch(`${webhook}?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
}

/** Texts the fake received for one customer. */
const sentTo = (openId: string) => fake.sends.filter((s) => s.body.touser === openId).map((s) => s.body.text?.content ?? '');

beforeAll(async () => {
  api = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = await body(req);
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && url.pathname === '/cgi-bin/stable_token') {
        const asked = JSON.parse(text) as Fake['tokenRequests'][number];
        fake.tokenRequests.push(asked);
        if (asked.appid !== APP_ID || asked.secret !== SECRET) return res.end(JSON.stringify({ errcode: 40125, errmsg: 'invalid appsecret' }));
        fake.tokenSeq += 1;
        return res.end(JSON.stringify({ access_token: `ACCESS_TOKEN_${fake.tokenSeq}`, expires_in: 7200 }));
      }
      if (req.method === 'POST' && url.pathname === '/cgi-bin/message/custom/send') {
        const answer = fake.sendAnswers.shift() ?? { body: { errcode: 0, errmsg: 'ok' } };
        if ((answer.status ?? 200) === 200 && answer.body.errcode === 0) {
          fake.sends.push({ accessToken: url.searchParams.get('access_token'), body: JSON.parse(text) as Fake['sends'][number]['body'] });
        }
        res.statusCode = answer.status ?? 200;
        return res.end(JSON.stringify(answer.body));
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ errcode: 404 }));
    })();
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}/`;

  h = await createHarness({ now: NOW });
  const config = wechatConfigFromEnv({
    WECHAT_MODE: 'official-account',
    WECHAT_OA_APPID: APP_ID,
    WECHAT_OA_SECRET: SECRET,
    WECHAT_OA_TOKEN: TOKEN,
    WECHAT_OA_API_BASE: apiBase,
    WECHAT_OA_PORT: '0',
  }) as WechatOfficialAccountConfig;
  adapter = createOfficialAccountAdapter(config, {
    handle: async (inbound) => {
      const replies = await h.core.handle({ ...inbound, at: h.clock.now() });
      handled.push({ inbound, replies });
      return replies;
    },
    log: silentLogger,
  });
  await adapter.start();
  webhook = `http://127.0.0.1:${adapter.port}/wechat`;
});

afterAll(async () => {
  await adapter?.stop();
  await h?.close();
  await new Promise((resolve) => api?.close(resolve));
});

beforeEach(() => {
  fake.sendAnswers = [];
});

describe('settings', () => {
  it('reads the official-account mode, and names what is missing', () => {
    expect(wechatConfigFromEnv({ WECHAT_MODE: 'official-account', WECHAT_OA_APPID: APP_ID, WECHAT_OA_SECRET: SECRET, WECHAT_OA_TOKEN: TOKEN })).toEqual({
      mode: 'official-account',
      appId: APP_ID,
      secret: SECRET,
      webhookToken: TOKEN,
      apiBase: 'https://api.weixin.qq.com/',
      port: 8090,
      path: '/wechat',
    });
    expect(() => wechatConfigFromEnv({ WECHAT_MODE: 'official-account', WECHAT_OA_APPID: APP_ID })).toThrow(/WECHAT_OA_SECRET[\s\S]*WECHAT_OA_TOKEN/);
    expect(() => wechatConfigFromEnv({ WECHAT_MODE: 'official-account', WECHAT_OA_APPID: APP_ID, WECHAT_OA_SECRET: SECRET, WECHAT_OA_TOKEN: 'a b' })).toThrow(/WECHAT_OA_TOKEN/);
    expect(() => wechatConfigFromEnv({ WECHAT_MODE: 'personal' })).toThrow(/WECHATY_PUPPET/);
    expect(() => wechatConfigFromEnv({ WECHAT_MODE: 'kf' })).toThrow(/WECHAT_MODE/);
  });
});

describe('start', () => {
  it('is reported as not started, naming the variables, when the platform refuses the AppID or secret', async () => {
    const wechat = wechatConfigFromEnv({
      WECHAT_MODE: 'official-account',
      WECHAT_OA_APPID: APP_ID,
      WECHAT_OA_SECRET: 'a-wrong-secret',
      WECHAT_OA_TOKEN: TOKEN,
      WECHAT_OA_API_BASE: apiBase,
      WECHAT_OA_PORT: '0',
    });
    const report = await startAdapters({ telegram: undefined, slack: undefined, wechat }, { handle: async () => [], log: silentLogger }, { limiter: new RateLimiter() });
    expect(report.started).toEqual([]);
    expect(report.lines[2]).toMatch(/^wechat: not started: .*errcode 40125.*WECHAT_OA_APPID, WECHAT_OA_SECRET/);
    expect(report.lines[2]).not.toContain('a-wrong-secret');
  });
});

describe('the webhook', () => {
  it('answers the platform\'s URL check with echostr, and refuses a forged one', async () => {
    const ok = await fetch(`${webhook}?${signedQuery(TOKEN, { echostr: '5838479218127813673' })}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('5838479218127813673');
    const forged = await fetch(`${webhook}?${signedQuery('not-the-token', { echostr: '5838479218127813673' })}`);
    expect(forged.status).toBe(403);
    expect(await forged.text()).not.toContain('5838479218127813673');
  });

  it('passes a signed text message to the core and sends the answer through custom/send', async () => {
    const openId = 'oCustomer_0001';
    const res = await post(textXml(openId, '你好'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('success');
    await vi.waitFor(() => expect(sentTo(openId)).toHaveLength(1), WAIT);
    expect(sentTo(openId)[0]).toContain('欢迎来到');
    const send = fake.sends.find((s) => s.body.touser === openId);
    expect(send).toMatchObject({ accessToken: expect.stringMatching(/^ACCESS_TOKEN_\d+$/), body: { msgtype: 'text' } });
    expect(fake.tokenRequests[0]).toEqual({ grant_type: 'client_credential', appid: APP_ID, secret: SECRET, force_refresh: false });
    expect(handled.find((x) => x.inbound.chatId === openId)?.inbound).toMatchObject({
      channel: 'wechat',
      chatType: 'private',
      chatId: openId,
      userId: openId,
      text: '你好',
    });
  });

  it('turns an answer by number into the option\'s action', async () => {
    const openId = 'oCustomer_0002';
    await post(textXml(openId, '明天上午9点保洁'));
    await vi.waitFor(() => expect(sentTo(openId)).toHaveLength(1), WAIT);
    await post(textXml(openId, '阳光小区3栋501'));
    await vi.waitFor(() => expect(sentTo(openId)).toHaveLength(2), WAIT);
    await post(textXml(openId, '李先生'));
    await vi.waitFor(() => expect(sentTo(openId)).toHaveLength(3), WAIT);
    await post(textXml(openId, '13912345678'));
    await vi.waitFor(() => expect(sentTo(openId)).toHaveLength(4), WAIT);
    expect(sentTo(openId)[3]).toContain('  1. 单次');
    await post(textXml(openId, '1'));
    await vi.waitFor(() => expect(sentTo(openId)).toHaveLength(5), WAIT);
    expect(handled.filter((x) => x.inbound.chatId === openId).at(-1)?.inbound).toMatchObject({ action: 'freq:once' });
    expect(sentTo(openId)[4]).toContain('服务频次：单次');
  });

  it('answers a message the platform delivers twice once', async () => {
    const openId = 'oCustomer_0003';
    const xml = textXml(openId, '你好', '7100000000000000001');
    await post(xml);
    await vi.waitFor(() => expect(sentTo(openId)).toHaveLength(1), WAIT);
    await post(xml);
    await vi.waitFor(() => expect(handled.filter((x) => x.inbound.chatId === openId)).toHaveLength(2), WAIT);
    expect(handled.filter((x) => x.inbound.chatId === openId)[1]?.replies).toEqual([]);
    expect(sentTo(openId)).toHaveLength(1);
  });

  it('refuses a message with a forged signature: the core never sees it and nothing is sent', async () => {
    const openId = 'oIntruder_0001';
    const forged = await post(textXml(openId, '你好'), signedQuery('guessed-token'));
    expect(forged.status).toBe(403);
    const unsigned = await fetch(webhook, { method: 'POST', body: textXml(openId, '你好') });
    expect(unsigned.status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(handled.some((x) => x.inbound.chatId === openId)).toBe(false);
    expect(sentTo(openId)).toEqual([]);
  });
});

describe('send() for the outbox', () => {
  it('sends a text to a customer\'s openid', async () => {
    await adapter.send('oCustomer_0100', { text: '明天上午9点上门，请留意电话。' });
    expect(sentTo('oCustomer_0100')).toEqual(['明天上午9点上门，请留意电话。']);
  });

  it('is permanent when the customer has not written within the window (45015)', async () => {
    fake.sendAnswers = [{ body: { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' } }];
    const error = await adapter.send('oCustomer_0101', { text: 'hi' }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ permanent: true });
    expect((error as Error).message).not.toContain('ACCESS_TOKEN');
  });

  it('fetches a new token when the platform says it expired (42001), and sends', async () => {
    const before = fake.tokenRequests.length;
    fake.sendAnswers = [{ body: { errcode: 42001, errmsg: 'access_token expired' } }];
    await adapter.send('oCustomer_0102', { text: '您好' });
    expect(fake.tokenRequests.length).toBe(before + 1);
    expect(sentTo('oCustomer_0102')).toEqual(['您好']);
  });

  it('is retryable when the platform fails or is busy', async () => {
    fake.sendAnswers = [{ status: 502, body: {} }, { body: { errcode: -1, errmsg: 'system error' } }];
    for (let i = 0; i < 2; i += 1) {
      const error = await adapter.send('oCustomer_0103', { text: 'hi' }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(SendError);
      expect(error).toMatchObject({ permanent: false });
    }
  });

  it('splits a text longer than one message allows, at line ends', async () => {
    const line = '服务内容：厨房、卫生间、客厅和卧室的日常保洁。';
    const text = Array.from({ length: 60 }, (_, i) => `${i + 1}. ${line}`).join('\n');
    expect(Buffer.byteLength(text)).toBeGreaterThan(2_000);
    await adapter.send('oCustomer_0105', { text });
    const parts = sentTo('oCustomer_0105');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => Buffer.byteLength(p) <= 2_000)).toBe(true);
    expect(parts.join('\n')).toBe(text);
  });

  it('sends a file reply as its text and a note', async () => {
    await adapter.send('oCustomer_0104', { text: '这是本月报表', file: { name: 'report.png', mime: 'image/png', data: new Uint8Array([1, 2, 3]) } });
    expect(sentTo('oCustomer_0104')).toEqual(['这是本月报表\n\n（文件「report.png」无法在微信里发送，请联系我们另行获取。）']);
  });
});
