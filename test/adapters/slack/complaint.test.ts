/**
 * A complaint over Slack, end to end: a customer files it in a direct message (signed Events API
 * requests into the real Bolt app), the outbox dispatcher posts it to the staff channel through the
 * real Web API client (local fake), a staff member joins with an invite code and claims it with
 * the post's Block Kit button (a signed block_actions payload), and the customer is told through
 * the outbox. A channel member who did not join is refused.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, slackConfigFromEnv, type SlackAdapter } from '../../../adapters/slack/index.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import type { OutboxDispatcher } from '../../../src/outbox/dispatcher.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { BOT_TOKEN, FakeSlackWebApi, type RecordedCall } from './fake-web-api.ts';
import { blockActionsBody, FORM, messageEventBody, postSigned, SIGNING_SECRET } from './slack-requests.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const NOW = '2026-11-23T10:00:00+08:00';
const NOW_SEC = Date.parse(NOW) / 1000;
const PHONE = '13700001111';

const DM = 'D0WANG';
const CUSTOMER = 'U0WANG';
/** Staff channels (public channel ids start with C). */
const DESK = 'C0DESK';
const HEADS = 'C0HEADS';
const MANAGERS = 'C0MANAGERS';
const DESK_LI = { id: 'U0DESKLI', name: '前台小李' };
const STRANGER = { id: 'U0STRANGER', name: '路人甲' };

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
      inviteCodes: { 'DESK-2026': 'front_desk', 'HEAD-2026': 'department_head', 'GM-2026': 'general_manager' },
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
async function tap(channel: string, user: { id: string; name: string }, label: string): Promise<RecordedCall[]> {
  const buttons = fake.lastButtons(channel);
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
    messageTs: fake.lastTs(channel) ?? actionTs,
    triggerId: `trig.${actionTs}`,
  });
  expect((await postSigned(endpoint(), body, { contentType: FORM })).status).toBe(200);
  await adapter.idle();
  return postedSince(channel, before);
}

async function complaintRow() {
  const rows = await h.db.complaint.findMany();
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

/** The customer files a minor complaint in the DM; returns its number. */
async function fileComplaint(): Promise<string> {
  const customer = { id: CUSTOMER, name: 'wang' };
  expect(textOf(await say(DM, 'im', CUSTOMER, '阿姨态度很差，还一直玩手机'))).toContain('有没有给您造成经济损失');
  await tap(DM, customer, '没有损失');
  await tap(DM, customer, '第一次反映');
  await say(DM, 'im', CUSTOMER, '王先生');
  const done = textOf(await say(DM, 'im', CUSTOMER, PHONE));
  const number = /您的投诉已记录，编号：(TS\d+)/.exec(done)?.[1];
  expect(number, done).toBeDefined();
  return number!;
}

/** The dispatcher's next tick posts the escalation in the desk channel; returns the post. */
async function deliverEscalation(number: string): Promise<RecordedCall> {
  expect(fake.posted(DESK)).toHaveLength(0); // nothing reaches the channel until the outbox runs
  expect(await dispatcher.tick()).toMatchObject({ sent: 1, retried: 0, dead: 0 });
  const posts = fake.posted(DESK);
  expect(posts).toHaveLength(1);
  const post = posts[0]!;
  expect(post.token).toBe(BOT_TOKEN);
  const text = String(post.args.text);
  expect(text).toContain(`【投诉 ${number}】`);
  expect(text).toContain('王先生 · 137****1111');
  // Nowhere in the request: not in the fallback text, not in the blocks.
  expect(JSON.stringify(post.args)).not.toContain(PHONE);
  const blocks = post.args.blocks as Array<{ type: string; text?: { text: string } }>;
  expect(blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn', text: expect.stringContaining(`【投诉 ${number}】`) } });
  expect(fake.lastButtons(DESK)).toContainEqual(expect.objectContaining({ label: '认领', value: `claim:${number}` }));
  expect(fake.lastButtons(DESK).map((b) => b.label)).toEqual(['认领', '处理完成', '无效', '调整等级']);
  return post;
}

describe('a complaint over Slack', () => {
  it('is filed in a DM, posted to the staff channel, claimed there with the Block Kit button, and the customer told', async () => {
    const number = await fileComplaint();
    expect(await complaintRow()).toMatchObject({ number, grade: 'minor', level: 'contact', status: 'open', phone: PHONE, channel: 'slack', chatId: DM });

    await deliverEscalation(number);

    expect(textOf(await say(DESK, 'channel', DESK_LI.id, '/join DESK-2026'))).toContain('已加入，身份：前台客服');

    const claimed = await tap(DESK, DESK_LI, '认领');
    expect(textOf(claimed)).toBe(`投诉 ${number} 已由前台小李认领。`);
    expect(await complaintRow()).toMatchObject({ status: 'claimed', handler: '前台小李' });

    // The customer's notice goes out through the outbox, to the DM.
    const before = fake.posted(DM).length;
    expect(await dispatcher.tick()).toMatchObject({ sent: 1, dead: 0 });
    const notices = postedSince(DM, before);
    expect(notices).toHaveLength(1);
    expect(String(notices[0]?.args.text)).toContain(`您的投诉（编号 ${number}）已由前台小李负责处理`);
    expect(textOf(fake.posted(DESK))).not.toContain('您的投诉');
  });

  it('refuses a channel member who did not join, and the complaint is unchanged', async () => {
    const number = await fileComplaint();
    await deliverEscalation(number);
    const before = await complaintRow();

    const refused = await tap(DESK, STRANGER, '认领');
    expect(textOf(refused)).toContain('只有公司员工可以操作');

    const after = await complaintRow();
    expect(after).toMatchObject({ status: 'open', claimedBy: null, handler: null, version: before.version });
    expect(after).toEqual(before);
    expect(await dispatcher.tick()).toMatchObject({ claimed: 0 });
  });
});
