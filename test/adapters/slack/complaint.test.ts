/**
 * A complaint over Slack, end to end: a customer files it in a direct message (signed Events API
 * requests into the real Bolt app), the outbox dispatcher posts it to the staff channel through the
 * real Web API client (local fake), a staff member joins with an invite code and claims it with
 * the post's Block Kit button (a signed block_actions payload), and the customer is told through
 * the outbox. A channel member who did not join is refused.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxDispatcher } from '../../../src/outbox/dispatcher.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { BOT_TOKEN, type FakeSlackWebApi, type RecordedCall } from './fake-web-api.ts';
import { type SlackRig, startSlackRig, textOf } from './rig.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const NOW = '2026-11-23T10:00:00+08:00';
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
let dispatcher: OutboxDispatcher;
let rig: SlackRig;

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
  rig = await startSlackRig(h);
  ({ fake, dispatcher } = rig);
});

afterEach(async () => {
  await rig.stop();
  await h.close();
});

const say: SlackRig['say'] = (...args) => rig.say(...args);
const tap: SlackRig['tap'] = (...args) => rig.tap(...args);
const postedSince: SlackRig['postedSince'] = (...args) => rig.postedSince(...args);

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
