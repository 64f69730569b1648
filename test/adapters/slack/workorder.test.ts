/**
 * A work order over Slack: the worker's card is posted with chat.postMessage to the worker's user
 * id, which Slack delivers in the app's direct message with them (docs.slack.dev, chat.postMessage:
 * "channel ... Pass a user ID to send a direct message"); their presses come back from that DM
 * (a D… channel) as signed block_actions payloads and act as them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxDispatcher } from '../../../src/outbox/dispatcher.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { BOT_USER_ID, type FakeSlackWebApi } from './fake-web-api.ts';
import { type SlackRig, startSlackRig, textOf } from './rig.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const NOW = '2026-11-23T10:00:00+08:00';

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
      inviteCodes: { 'DESK-2026': 'front_desk', 'ONSITE-2026': 'on_site' },
      consoleOnlyCodes: false,
    },
  });
  rig = await startSlackRig(h);
  ({ fake, dispatcher } = rig);
  fake.addUser({ ...DESK_LI, displayName: DESK_LI.name });
  fake.addUser({ ...WORKER, displayName: '王师傅' });
});

afterEach(async () => {
  await rig.stop();
  await h.close();
});

const say: SlackRig['say'] = (...args) => rig.say(...args);
const tap: SlackRig['tap'] = (...args) => rig.tap(...args);

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
