/**
 * A work order over Slack: the worker's card is posted with chat.postMessage to the worker's user
 * id, which Slack delivers in the app's direct message with them (docs.slack.dev, chat.postMessage:
 * "channel ... Pass a user ID to send a direct message"); their presses come back from that DM
 * (a D… channel) as signed block_actions payloads and act as them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, slackConfigFromEnv, type SlackAdapter } from '../../../adapters/slack/index.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import type { OutboxDispatcher } from '../../../src/outbox/dispatcher.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { BOT_TOKEN, BOT_USER_ID, FakeSlackWebApi, type RecordedCall } from './fake-web-api.ts';
import { blockActionsBody, FORM, messageEventBody, postSigned, SIGNING_SECRET } from './slack-requests.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const NOW = '2026-11-23T10:00:00+08:00';
const NOW_SEC = Date.parse(NOW) / 1000;

const DM = 'D0WANG';
const CUSTOMER = 'U0WANG';
/** Staff channels (public channel ids start with C). */
const DESK = 'C0DESK';
const HEADS = 'C0HEADS';
const MANAGERS = 'C0MANAGERS';
const DESK_LI = { id: 'U0DESKLI', name: '前台小李' };
const WORKER = { id: 'U0WORKER', name: 'wang.shifu' };
const WORKER_DM = 'D0WORKER';

let h: Harness;
let fake: FakeSlackWebApi;
let adapter: SlackAdapter;
let dispatcher: OutboxDispatcher;
let seq = 0;

beforeEach(async () => {
  h = await createHarness({
    now: NOW,
    complaints: {
      rooms: {
        contact: { channel: 'slack', chatId: DESK },
        department_head: { channel: 'slack', chatId: HEADS },
        general_manager: { channel: 'slack', chatId: MANAGERS },
      },
      inviteCodes: { 'DESK-2026': 'front_desk', 'ONSITE-2026': 'on_site' },
      consoleOnlyCodes: false,
    },
  });
  fake = new FakeSlackWebApi();
  await fake.start();
  fake.addUser({ ...DESK_LI, displayName: DESK_LI.name });
  fake.addUser({ ...WORKER, displayName: '王师傅' });
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

function endpoint(): string {
  return `http://127.0.0.1:${adapter.port}/slack/events`;
}

/** A fresh Slack ts at the harness's time (unique per call). */
function nextTs(): string {
  seq += 1;
  return `${NOW_SEC}.${String(seq).padStart(6, '0')}`;
}

/** What the bot posted in a channel since `before` posts. */
const postedSince = (channel: string, before: number): RecordedCall[] => fake.posted(channel).slice(before);
const textOf = (calls: RecordedCall[]) => calls.map((c) => String(c.args.text ?? '')).join('\n');

/** A signed message event from `user` in `channel`; returns what the bot posted there in reply. */
async function say(channel: string, channelType: 'im' | 'channel', user: string, text: string): Promise<RecordedCall[]> {
  const before = fake.posted(channel).length;
  const ts = nextTs();
  const body = messageEventBody({ channel, channelType, user, text, ts, eventId: `Ev${ts.replace('.', '')}` });
  expect((await postSigned(endpoint(), body)).status).toBe(200);
  await adapter.idle();
  return postedSince(channel, before);
}

/** A signed block_actions payload: `user` presses the button labelled `label` of the last post with buttons. */
async function tap(channel: string, user: { id: string; name: string }, label: string, shownIn = channel): Promise<RecordedCall[]> {
  const buttons = fake.lastButtons(shownIn);
  const button = buttons.find((b) => b.label === label);
  if (!button) throw new Error(`no button "${label}" in: ${buttons.map((b) => b.label).join(' | ')}`);
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
    messageTs: fake.lastTs(shownIn) ?? actionTs,
    triggerId: `trig.${actionTs}`,
  });
  expect((await postSigned(endpoint(), body, { contentType: FORM })).status).toBe(200);
  await adapter.idle();
  return postedSince(channel, before);
}

describe('a work order over Slack', () => {
  it("reaches the worker in the app's direct message by their user id, and their presses there act as them", async () => {
    await say(DESK, 'channel', DESK_LI.id, `<@${BOT_USER_ID}> join DESK-2026`);
    expect(textOf(await say(WORKER_DM, 'im', WORKER.id, 'join ONSITE-2026 cleaning'))).toContain('部门：保洁部');
    const customer = { id: CUSTOMER, name: 'zhang' };
    await say(DM, 'im', CUSTOMER, '明天上午9点保洁');
    await say(DM, 'im', CUSTOMER, '阳光小区3栋501');
    await say(DM, 'im', CUSTOMER, '张先生');
    await say(DM, 'im', CUSTOMER, '13800138000');
    await tap(DM, customer, '单次');
    const number = /JZ\d{10}/.exec(textOf(await tap(DM, customer, '确认预约')))![0];

    await dispatcher.tick();
    expect(fake.texts(DESK).at(-1)).toContain(`【派工单 ${number}】`);
    await tap(DESK, DESK_LI, '派单');
    expect(textOf(await tap(DESK, DESK_LI, '王师傅（当天0单）'))).toContain('派给王师傅');

    await dispatcher.tick();
    const card = fake.posted(WORKER.id).at(-1)!;
    expect(String(card.args.text)).toContain('联系人：张先生 13800138000');
    await tap(WORKER_DM, WORKER, '接单', WORKER.id);
    expect(fake.texts(WORKER_DM).at(-1)).toContain(`已接单 ${number}`);
    await dispatcher.tick();
    expect(fake.texts(DM).at(-1)).toContain('将由服务人员王师傅于11月24日（周二）09:00上门');
    expect(await h.db.workOrder.findFirstOrThrow()).toMatchObject({ status: 'accepted' });
  });
});
