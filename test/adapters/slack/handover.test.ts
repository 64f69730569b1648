/**
 * A handover to a person over Slack, end to end: the customer asks in a direct message (signed
 * Events API requests into the real Bolt app); the post reaches the staff channel through the real
 * Web API client (local fake); staff claim it with its button and talk in the post's thread
 * (`thread_ts`, as Slack threads work); the customer's messages arrive in that thread; a
 * top-level message in the channel is not relayed; `@jiazheng end` in the thread ends it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, slackConfigFromEnv, type SlackAdapter } from '../../../adapters/slack/index.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import type { OutboxDispatcher } from '../../../src/outbox/dispatcher.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { BOT_TOKEN, FakeSlackWebApi, type RecordedCall } from './fake-web-api.ts';
import { blockActionsBody, FORM, messageEventBody, postSigned, SIGNING_SECRET } from './slack-requests.ts';

// Monday 2026-11-23 10:00 in Shanghai: the desk is open.
const NOW = '2026-11-23T10:00:00+08:00';
const NOW_SEC = Date.parse(NOW) / 1000;
const DM = 'D0WANG';
const CUSTOMER = 'U0WANG';
const DESK = 'C0DESK';
const DESK_LI = { id: 'U0DESKLI', name: '小李' };

let h: Harness;
let fake: FakeSlackWebApi;
let adapter: SlackAdapter;
let dispatcher: OutboxDispatcher;
let seq = 0;

beforeEach(async () => {
  h = await createHarness({
    now: NOW,
    complaints: {
      rooms: { contact: { channel: 'slack', chatId: DESK }, department_head: { channel: 'slack', chatId: 'C0HEADS' }, general_manager: { channel: 'slack', chatId: 'C0GM' } },
      inviteCodes: { 'DESK-2026': 'front_desk' },
      consoleOnlyCodes: false,
    },
  });
  fake = new FakeSlackWebApi();
  await fake.start();
  const config = slackConfigFromEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_PORT: '0', SLACK_API_URL: fake.apiUrl });
  if (!config) throw new Error('expected a Slack config');
  adapter = createSlackAdapter(config, { handle: (i) => h.core.handle(i), log: silentLogger });
  await adapter.start();
  dispatcher = h.dispatcher({ slack: adapter });
});

afterEach(async () => {
  await dispatcher.stop();
  await adapter.stop();
  await fake.stop();
  await h.close();
});

const endpoint = () => `http://127.0.0.1:${adapter.port}/slack/events`;
function nextTs(): string {
  seq += 1;
  return `${NOW_SEC}.${String(seq).padStart(6, '0')}`;
}
const textOf = (calls: RecordedCall[]) => calls.map((c) => String(c.args.text ?? '')).join('\n');

async function say(channel: string, channelType: 'im' | 'channel', user: string, text: string, threadTs?: string): Promise<RecordedCall[]> {
  const before = fake.posted(channel).length;
  const ts = nextTs();
  const body = messageEventBody({ channel, channelType, user, text, ts, eventId: `Ev${ts.replace('.', '')}`, threadTs });
  expect((await postSigned(endpoint(), body)).status).toBe(200);
  await adapter.idle();
  return fake.posted(channel).slice(before);
}

async function tap(channel: string, user: { id: string; name: string }, label: string): Promise<RecordedCall[]> {
  const button = fake.lastButtons(channel).find((b) => b.label === label);
  if (!button) throw new Error(`no button "${label}"`);
  const before = fake.posted(channel).length;
  const actionTs = nextTs();
  const body = blockActionsBody({
    channel,
    user: user.id,
    userName: user.name,
    actionId: button.actionId,
    blockId: button.blockId,
    value: button.value,
    label: button.label,
    actionTs,
    messageTs: fake.lastTs(channel) ?? actionTs,
    triggerId: `trig.${actionTs}`,
  });
  expect((await postSigned(endpoint(), body, { contentType: FORM })).status).toBe(200);
  await adapter.idle();
  return fake.posted(channel).slice(before);
}

/** Runs the outbox and returns what it posted in `channel`. */
async function delivered(channel: string): Promise<RecordedCall[]> {
  const before = fake.posted(channel).length;
  await dispatcher.tick();
  return fake.posted(channel).slice(before);
}

describe('handover over Slack', () => {
  it('claim by button, talk in the post\'s thread, the customer\'s words in that thread, end by mention', async () => {
    await say(DESK, 'channel', DESK_LI.id, `<@UBOT> join DESK-2026`);
    const asked = await say(DM, 'im', CUSTOMER, '找个真人');
    expect(textOf(asked)).toContain('正在为您转接人工客服');
    const [post] = await delivered(DESK);
    expect(String(post?.args.text)).toContain('🙋 转人工 RG');
    const postTs = String(post?.response.ts);

    expect(textOf(await tap(DESK, DESK_LI, '认领'))).toContain('小李 已认领转人工');
    expect(textOf(await delivered(DM))).toBe('客服 小李 已接入，正在为您服务。');

    // In the post's thread: to the customer, silently.
    expect(await say(DESK, 'channel', DESK_LI.id, '王先生您好，我是小李', postTs)).toEqual([]);
    expect(textOf(await delivered(DM))).toBe('【客服 小李】王先生您好，我是小李');
    // At the channel's top level: staff chatter, not for the customer.
    expect(await say(DESK, 'channel', DESK_LI.id, '这位客户我来跟')).toEqual([]);
    expect(await delivered(DM)).toEqual([]);

    // The customer's words land in the thread.
    expect(await say(DM, 'im', CUSTOMER, '阿姨明天几点到？')).toEqual([]);
    const [relayed] = await delivered(DESK);
    expect(String(relayed?.args.text)).toContain('客户】阿姨明天几点到？');
    expect(relayed?.args.thread_ts).toBe(postTs);

    expect(textOf(await say(DESK, 'channel', DESK_LI.id, '<@UBOT> end', postTs))).toContain('已由小李结束');
    expect(textOf(await delivered(DM))).toContain('人工服务已结束，智能客服回来为您服务了');
    expect((await h.db.handover.findFirstOrThrow()).status).toBe('ended');
  });
});
