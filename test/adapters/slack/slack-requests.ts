/**
 * Requests as Slack sends them to an app's HTTP endpoint: Events API callbacks (JSON) and
 * interactivity payloads (form-encoded `payload=`), signed with v0 HMAC-SHA256 over
 * `v0:<timestamp>:<body>` using the test signing secret.
 */
import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret-0123456789ab';

/** The `X-Slack-Signature` of a body sent at `timestampSec`. */
export function sign(body: string, timestampSec: number, secret: string = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export interface SendOptions {
  /** Seconds since the epoch for X-Slack-Request-Timestamp (default: now). */
  timestamp?: number;
  /** Overrides the computed signature (forgeries). */
  signature?: string;
  /** Sets X-Slack-Retry-Num (and a retry reason), as Slack does on redelivery. */
  retryNum?: number;
  contentType?: string;
}

export interface SlackResponse {
  status: number;
  body: string;
}

/** Posts `body` to the adapter's endpoint with Slack's headers. */
export async function postSigned(url: string, body: string, opts: SendOptions = {}): Promise<SlackResponse> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? 'application/json',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': opts.signature ?? sign(body, timestamp),
  };
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
}

export interface MessageFields {
  channel: string;
  /** im for direct messages; channel, group or mpim otherwise. */
  channelType: string;
  user: string;
  text: string;
  ts: string;
  eventId: string;
  subtype?: string;
  botId?: string;
  /** A reply in a thread: the parent message's ts. */
  threadTs?: string;
  /** Shared files (subtype `file_share`), as the fake's `addFile` describes them. */
  files?: Record<string, unknown>[];
}

/** An `event_callback` body carrying a `message` event. */
export function messageEventBody(m: MessageFields): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: 'T1',
    api_app_id: 'A1',
    event: {
      type: 'message',
      ...(m.subtype !== undefined ? { subtype: m.subtype } : {}),
      ...(m.botId !== undefined ? { bot_id: m.botId } : {}),
      user: m.user,
      text: m.text,
      ts: m.ts,
      ...(m.threadTs !== undefined ? { thread_ts: m.threadTs } : {}),
      ...(m.files !== undefined ? { files: m.files, upload: false, display_as_bot: false } : {}),
      channel: m.channel,
      channel_type: m.channelType,
      event_ts: m.ts,
    },
    type: 'event_callback',
    event_id: m.eventId,
    event_time: Math.floor(Number(m.ts)),
    authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
  });
}

export interface ActionFields {
  channel: string;
  user: string;
  userName: string;
  actionId: string;
  blockId: string;
  value: string;
  label: string;
  actionTs: string;
  messageTs: string;
  triggerId: string;
}

/** A `block_actions` interactivity payload, form-encoded as Slack posts it. */
export function blockActionsBody(a: ActionFields): string {
  const payload = {
    type: 'block_actions',
    user: { id: a.user, username: a.userName, name: a.userName, team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: a.messageTs, channel_id: a.channel, is_ephemeral: false },
    trigger_id: a.triggerId,
    team: { id: 'T1', domain: 'fake' },
    channel: { id: a.channel, name: a.channel.startsWith('D') ? 'directmessage' : 'staff' },
    message: { type: 'message', ts: a.messageTs, bot_id: 'BBOT', text: '' },
    actions: [
      {
        type: 'button',
        action_id: a.actionId,
        block_id: a.blockId,
        text: { type: 'plain_text', text: a.label, emoji: true },
        value: a.value,
        action_ts: a.actionTs,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export const FORM = 'application/x-www-form-urlencoded';

export interface SlashCommandFields {
  command: string;
  text: string;
  channel: string;
  /** directmessage, privategroup, or the channel's name. */
  channelName: string;
  user: string;
  userName: string;
  responseUrl: string;
  triggerId: string;
}

/** A slash command invocation, form-encoded as Slack posts it to the command's request URL. */
export function slashCommandBody(c: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T1',
    team_domain: 'fake',
    channel_id: c.channel,
    channel_name: c.channelName,
    user_id: c.user,
    user_name: c.userName,
    command: c.command,
    text: c.text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: c.responseUrl,
    trigger_id: c.triggerId,
  }).toString();
}

/** An `event_callback` body carrying an `app_mention` event (sent besides the channel's `message` event). */
export function appMentionBody(m: Omit<MessageFields, 'channelType' | 'subtype' | 'botId'>): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: 'T1',
    api_app_id: 'A1',
    event: { type: 'app_mention', user: m.user, text: m.text, ts: m.ts, channel: m.channel, event_ts: m.ts },
    type: 'event_callback',
    event_id: m.eventId,
    event_time: Math.floor(Number(m.ts)),
    authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
  });
}
