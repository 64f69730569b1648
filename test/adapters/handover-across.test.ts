/**
 * A handover across platforms, end to end through the real SDKs against both fakes: the customer
 * writes to the Telegram bot, the front desk is a Slack channel. A photo's file_id means nothing to
 * Slack, so the outbox dispatcher fetches its bytes from Telegram (getFile, the file URL) and the
 * Slack adapter uploads them into the post's thread; a file of a type it does not carry, or one
 * Telegram no longer has, arrives as the line saying a file was sent that cannot be shown there.
 * Staff's file from the Slack thread reaches the Telegram customer the same way (downloaded with
 * the bot token, uploaded with sendPhoto).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxDispatcher } from '../../src/outbox/dispatcher.ts';
import { createHarness, type Harness } from '../support/harness.ts';
import { type SlackRig, slackDeskSettings, startSlackRig } from './slack/rig.ts';
import type { FakeChat, FakeUser } from './telegram/fake-bot-api.ts';
import { startTelegramRig, type TelegramRig } from './telegram/rig.ts';

// Monday 2026-11-23 10:00 in Shanghai: the desk is open.
const NOW = '2026-11-23T10:00:00+08:00';
const NOW_SEC = Math.floor(Date.parse(NOW) / 1000);
const DESK = 'C0DESK';
const DESK_LI = { id: 'U0DESKLI', name: '小李' };
const wang: FakeUser = { id: 1001, first_name: '王' };
const wangChat: FakeChat = { id: 1001, type: 'private' };
/** A JPEG's first bytes, as a phone's photo starts. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

let h: Harness;
let telegram: TelegramRig;
let slack: SlackRig;
let dispatcher: OutboxDispatcher;

beforeEach(async () => {
  h = await createHarness({ now: NOW, complaints: slackDeskSettings(DESK) });
  telegram = await startTelegramRig(h);
  slack = await startSlackRig(h);
  // One dispatcher with both platforms, as `npm start` runs them.
  dispatcher = h.dispatcher({ telegram: telegram.adapter, slack: slack.adapter });
});

afterEach(async () => {
  await dispatcher.stop();
  await slack.stop();
  await telegram.stop();
  await h.close();
});

describe('a handover from Telegram to a Slack front desk', () => {
  it('carries photos across by their bytes, both ways; a type it does not carry is named instead', async () => {
    const { fake: tg } = telegram;
    const { fake: sl } = slack;
    await slack.say(DESK, 'channel', DESK_LI.id, '<@UBOT> join DESK-2026');
    await telegram.deliver(wangChat, tg.pushText({ chat: wangChat, from: wang, text: '转人工', date: NOW_SEC }));
    await dispatcher.tick();
    const post = sl.posted(DESK).at(-1);
    const postTs = String(post?.response.ts);
    const number = /转人工 (RG\d{10})/.exec(String(post?.args.text))?.[1];
    await slack.tap(DESK, DESK_LI, '认领');
    await dispatcher.tick();

    // The customer's photo: fetched from Telegram, uploaded into the post's thread with the line as its comment.
    const photo = tg.pushMedia({ chat: wangChat, from: wang, kind: 'photo', caption: '厨房漏水的地方', bytes: JPEG, date: NOW_SEC });
    expect(await telegram.deliver(wangChat, photo.update)).toEqual([]);
    await dispatcher.tick();
    expect(tg.callsOf('download')).toHaveLength(1);
    expect(sl.uploads.at(-1)?.bytes).toEqual(JPEG);
    expect(sl.callsOf('files.getUploadURLExternal').at(-1)?.args).toMatchObject({ filename: expect.stringMatching(/\.jpg$/) });
    expect(sl.callsOf('files.completeUploadExternal').at(-1)?.args).toMatchObject({ channel_id: DESK, thread_ts: postTs, initial_comment: `【${number} 客户】[图片] 厨房漏水的地方` });

    // A document of a type the outbox does not carry (a zip): the line says so, in the thread.
    const zip = tg.pushMedia({ chat: wangChat, from: wang, kind: 'document', fileName: '资料.zip', mimeType: 'application/zip', date: NOW_SEC });
    await telegram.deliver(wangChat, zip.update);
    await dispatcher.tick();
    expect(sl.posted(DESK).at(-1)?.args).toMatchObject({ text: `【${number} 客户】[文件 资料.zip：来自其他平台，此处无法显示]`, thread_ts: postTs });

    // Staff share a photo in the thread: downloaded from Slack with the token, uploaded to the Telegram chat.
    const plan = sl.addFile({ name: 'valve.png', mimetype: 'image/png', bytes: Buffer.from('PNG-of-the-valve') });
    expect(await slack.share(DESK, 'channel', DESK_LI.id, '是这个阀门吗？', [plan], postTs)).toEqual([]);
    const before = tg.sentTo(wangChat.id).length;
    await dispatcher.tick();
    const [toCustomer] = tg.sentTo(wangChat.id).slice(before);
    expect(toCustomer).toMatchObject({ method: 'sendPhoto', caption: '【客服 小李】[图片 valve.png] 是这个阀门吗？', file: { filename: 'valve.png', size: 16 } });
  });
});
