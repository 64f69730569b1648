import { describe, expect, it } from 'vitest';
import { blockActionToInbound, messageToInbound, slackTextToPlain, slashCommandToInbound } from '../../../adapters/slack/inbound.ts';

const FALLBACK = new Date('2026-11-23T02:00:00Z');
const message = { type: 'message', channel: 'D1', channel_type: 'im', user: 'U1', text: '你好', ts: '1795399200.000100' };

describe('messageToInbound', () => {
  it('maps a direct message to a private chat keyed by channel and ts', () => {
    expect(messageToInbound(message, FALLBACK)).toEqual({
      inbound: {
        channel: 'slack',
        chatId: 'D1',
        userId: 'U1',
        messageId: 'D1:1795399200.000100',
        text: '你好',
        at: new Date(1_795_399_200_000),
        chatType: 'private',
      },
    });
  });

  it('maps channel, private-channel and group-DM messages to group chats', () => {
    for (const channel_type of ['channel', 'group', 'mpim']) {
      const t = messageToInbound({ ...message, channel: 'C1', channel_type }, FALLBACK);
      expect('inbound' in t && t.inbound.chatType).toBe('group');
    }
  });

  it('maps a file share to media by the first file\'s id, kind from its mime type, the text as the caption', () => {
    const files = [
      { id: 'F1', name: 'leak.jpg', mimetype: 'image/jpeg', size: 2048, url_private_download: 'https://files.slack.com/files-pri/T1-F1/download/leak.jpg' },
      { id: 'F2', name: 'b.pdf', mimetype: 'application/pdf' },
    ];
    const t = messageToInbound({ ...message, subtype: 'file_share', text: '厨房', files }, FALLBACK);
    expect(t).toMatchObject({ inbound: { text: '厨房', media: { kind: 'photo', ref: 'F1', name: 'leak.jpg', mime: 'image/jpeg', size: 2048 } } });
    // A Slack Connect share carries the id only (file_access: check_file_info): a document by id.
    expect(messageToInbound({ ...message, subtype: 'file_share', text: '', files: [{ id: 'F9', file_access: 'check_file_info' }] }, FALLBACK)).toMatchObject({
      inbound: { text: '', media: { kind: 'document', ref: 'F9' } },
    });
    // Files that are not a list of objects with ids: skipped with the path, not a crash.
    expect(messageToInbound({ ...message, subtype: 'file_share', files: 'F1' }, FALLBACK)).toMatchObject({ skipped: expect.stringContaining('files') });
  });

  it('skips subtypes, bot messages and malformed events with a reason', () => {
    expect(messageToInbound({ ...message, subtype: 'message_changed' }, FALLBACK)).toEqual({ skipped: 'message subtype message_changed' });
    expect(messageToInbound({ ...message, bot_id: 'B1' }, FALLBACK)).toEqual({ skipped: 'bot message' });
    expect(messageToInbound({ ...message, user: undefined }, FALLBACK)).toEqual({ skipped: 'message without a user' });
    expect(messageToInbound({ ...message, ts: 'yesterday' }, FALLBACK)).toMatchObject({ skipped: expect.stringContaining('ts') });
    expect(messageToInbound(null, FALLBACK)).toMatchObject({ skipped: expect.stringContaining('malformed') });
  });
});

describe('blockActionToInbound', () => {
  const body = {
    type: 'block_actions',
    user: { id: 'U1', name: 'li' },
    channel: { id: 'D1', name: 'directmessage' },
    trigger_id: '123.456.abc',
    actions: [{ type: 'button', action_id: 'b0', value: 'book:confirm', action_ts: '1795399260.123456' }],
  };

  it("maps a press to the button's value in the message's conversation", () => {
    expect(blockActionToInbound(body, FALLBACK)).toEqual({
      inbound: {
        channel: 'slack',
        chatId: 'D1',
        userId: 'U1',
        displayName: 'li',
        messageId: 'act:D1:1795399260.123456',
        action: 'book:confirm',
        at: new Date(1_795_399_260_123),
        chatType: 'private',
      },
    });
  });

  it('falls back to the container channel and the trigger id', () => {
    const t = blockActionToInbound(
      { ...body, channel: undefined, container: { channel_id: 'C9' }, actions: [{ type: 'button', action_id: 'b1', value: 'v' }] },
      FALLBACK,
    );
    expect(t).toMatchObject({ inbound: { chatId: 'C9', chatType: 'group', messageId: 'act:123.456.abc', at: FALLBACK } });
  });

  it('skips presses without a value or a channel', () => {
    expect(blockActionToInbound({ ...body, actions: [{ type: 'static_select', action_id: 's' }] }, FALLBACK)).toHaveProperty('skipped');
    expect(blockActionToInbound({ ...body, channel: undefined }, FALLBACK)).toEqual({ skipped: 'block_actions without a channel' });
  });
});

describe('slackTextToPlain', () => {
  it('undoes entities and reduces links and mentions to what was shown', () => {
    expect(slackTextToPlain('a &lt;b&gt; &amp;amp; <https://x.y|x.y> <mailto:a@b.c> <@U1> <tel:139|139 1234>')).toBe('a <b> &amp; x.y a@b.c @U1 139 1234');
  });
});

describe('staff words', () => {
  const text = (t: string, extra: Record<string, unknown> = {}) => {
    const r = messageToInbound({ ...message, text: t, ...extra }, FALLBACK, 'UBOT');
    return 'inbound' in r ? r.inbound.text : r.skipped;
  };
  const inChannel = { channel: 'C1', channel_type: 'channel' };

  it('are the core commands in a DM, and after a leading mention of the bot elsewhere', () => {
    expect(text('join DESK-2026')).toBe('/join DESK-2026');
    expect(text('  DONE  b123 ')).toBe('/done b123');
    expect(text('report 2026-10')).toBe('/report 2026-10');
    expect(text('<@UBOT> done B1', inChannel)).toBe('/done B1');
    expect(text('<@UBOT|jiazheng>: report', inChannel)).toBe('/report');
  });

  it('stay text elsewhere, or when they only start a word', () => {
    expect(text('done B1', inChannel)).toBe('done B1');
    expect(text('<@UOTHER> done B1', inChannel)).toBe('@UOTHER done B1');
    expect(text('joined yesterday')).toBe('joined yesterday');
    expect(text('reporting')).toBe('reporting');
    expect(text('<@UBOT> 你好', inChannel)).toBe('你好');
  });
});

describe('slashCommandToInbound', () => {
  const payload = { command: '/jiazheng', text: 'join X', channel_id: 'C1', user_id: 'U1', user_name: 'li', trigger_id: 't.1' };

  it('maps a subcommand to the core command, in the conversation it was typed in', () => {
    expect(slashCommandToInbound(payload, FALLBACK)).toEqual({
      word: 'join',
      inbound: { channel: 'slack', chatId: 'C1', userId: 'U1', displayName: 'li', messageId: 'cmd:t.1', text: '/join X', at: FALLBACK, chatType: 'group' },
    });
    expect(slashCommandToInbound({ ...payload, channel_id: 'D1', text: 'done' }, FALLBACK)).toMatchObject({ word: 'done', inbound: { chatType: 'private', text: '/done' } });
  });

  it('asks for the usage when empty, help or unknown, and skips a malformed payload', () => {
    for (const t of ['', 'help', 'cancel 3']) expect(slashCommandToInbound({ ...payload, text: t }, FALLBACK)).toEqual({ usage: true });
    expect(slashCommandToInbound({ ...payload, trigger_id: undefined }, FALLBACK)).toMatchObject({ skipped: expect.stringContaining('trigger_id') });
  });
});
