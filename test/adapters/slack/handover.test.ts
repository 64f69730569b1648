/**
 * A handover to a person over Slack, end to end: the customer asks in a direct message (signed
 * Events API requests into the real Bolt app); the post reaches the staff channel through the real
 * Web API client (local fake); staff claim it with its button and talk in the post's thread
 * (`thread_ts`, as Slack threads work); the customer's messages arrive in that thread; a
 * top-level message in the channel is not relayed; `@jiazheng end` in the thread ends it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxDispatcher } from '../../../src/outbox/dispatcher.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import type { FakeSlackWebApi, RecordedCall } from './fake-web-api.ts';
import { type SlackRig, slackDeskSettings, startSlackRig, textOf } from './rig.ts';

// Monday 2026-11-23 10:00 in Shanghai: the desk is open.
const NOW = '2026-11-23T10:00:00+08:00';
const DM = 'D0WANG';
const CUSTOMER = 'U0WANG';
const DESK = 'C0DESK';
const DESK_LI = { id: 'U0DESKLI', name: '小李' };

let h: Harness;
let fake: FakeSlackWebApi;
let dispatcher: OutboxDispatcher;
let rig: SlackRig;

beforeEach(async () => {
  h = await createHarness({ now: NOW, complaints: slackDeskSettings(DESK) });
  rig = await startSlackRig(h);
  ({ fake, dispatcher } = rig);
});

afterEach(async () => {
  await rig.stop();
  await h.close();
});

const say: SlackRig['say'] = (...args) => rig.say(...args);
const tap: SlackRig['tap'] = (...args) => rig.tap(...args);

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

  it('passes files both ways: a photo shared in the DM is uploaded into the post\'s thread, staff\'s file in the thread reaches the DM', async () => {
    await say(DESK, 'channel', DESK_LI.id, `<@UBOT> join DESK-2026`);
    await say(DM, 'im', CUSTOMER, '转人工');
    const [post] = await delivered(DESK);
    const postTs = String(post?.response.ts);
    const number = /转人工 (RG\d{10})/.exec(String(post?.args.text))?.[1];
    await tap(DESK, DESK_LI, '认领');
    await delivered(DM);

    // The customer shares a photo with a caption: no answer; it is downloaded with the bot token and uploaded into the thread.
    const photo = fake.addFile({ name: 'leak.jpg', mimetype: 'image/jpeg', bytes: Buffer.from('JPEG-bytes-of-the-leak') });
    expect(await rig.share(DM, 'im', CUSTOMER, '厨房漏水的地方', [photo])).toEqual([]);
    await dispatcher.tick();
    expect(fake.callsOf('download').map((c) => c.args)).toEqual([{ id: photo.id, authorized: true }]);
    expect(fake.callsOf('files.getUploadURLExternal').at(-1)?.args).toMatchObject({ filename: 'leak.jpg' });
    expect(fake.uploads.at(-1)?.bytes).toEqual(Buffer.from('JPEG-bytes-of-the-leak'));
    expect(fake.callsOf('files.completeUploadExternal').at(-1)?.args).toMatchObject({
      channel_id: DESK,
      thread_ts: postTs,
      initial_comment: `【${number} 客户】[图片 leak.jpg] 厨房漏水的地方`,
    });

    // Staff share a file in the thread, without words: it reaches the customer's DM.
    const plan = fake.addFile({ name: '维修方案.pdf', mimetype: 'application/pdf', bytes: Buffer.from('%PDF-1.4 plan') });
    expect(await rig.share(DESK, 'channel', DESK_LI.id, '', [plan], postTs)).toEqual([]);
    await dispatcher.tick();
    const toCustomer = fake.callsOf('files.completeUploadExternal').at(-1)?.args;
    expect(toCustomer).toMatchObject({ channel_id: DM, initial_comment: '【客服 小李】[文件 维修方案.pdf]' });
    expect(toCustomer?.thread_ts).toBeUndefined();
    expect(fake.uploads.at(-1)?.bytes).toEqual(Buffer.from('%PDF-1.4 plan'));

    // A file Slack no longer has: the words still go, in the thread.
    const gone = fake.addFile({ name: 'gone.png', mimetype: 'image/png', bytes: Buffer.from('x') });
    fake.deleteFile(String(gone.id));
    await rig.share(DM, 'im', CUSTOMER, '还有这里', [gone]);
    const [words] = await delivered(DESK);
    expect(words?.args).toMatchObject({ text: `【${number} 客户】[图片 gone.png] 还有这里`, thread_ts: postTs });
  });
});
