/**
 * The Slack end-to-end rig the adapter tests share: the local fake Web API, the real Bolt adapter
 * on a free port handing the harness's core each signed request, and the harness's outbox
 * dispatcher sending through it. `say` posts a signed message event (optionally in a thread) and
 * `tap` a signed block_actions payload for a button the fake recorded, each returning what the bot
 * posted in that channel in reply.
 */
import { expect } from 'vitest';
import { createSlackAdapter, slackConfigFromEnv, type SlackAdapter } from '../../../adapters/slack/index.ts';
import type { ComplaintSettings } from '../../../src/domain/complaints/settings.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import type { OutboxDispatcher } from '../../../src/outbox/dispatcher.ts';
import type { Harness } from '../../support/harness.ts';
import { BOT_TOKEN, FakeSlackWebApi, type RecordedCall } from './fake-web-api.ts';
import { blockActionsBody, FORM, messageEventBody, postSigned, SIGNING_SECRET } from './slack-requests.ts';

/** The texts of some recorded posts, one a line. */
export const textOf = (calls: RecordedCall[]): string => calls.map((c) => String(c.args.text ?? '')).join('\n');

/** Complaint settings for a front desk in the Slack channel `desk` that staff join with the code DESK-2026 (heads and managers in channels of their own). */
export function slackDeskSettings(desk: string): Partial<ComplaintSettings> {
  return {
    rooms: { contact: { channel: 'slack', chatId: desk }, department_head: { channel: 'slack', chatId: 'C0HEADS' }, general_manager: { channel: 'slack', chatId: 'C0GM' } },
    inviteCodes: { 'DESK-2026': 'front_desk' },
    consoleOnlyCodes: false,
  };
}

export interface SlackRig {
  fake: FakeSlackWebApi;
  adapter: SlackAdapter;
  dispatcher: OutboxDispatcher;
  /** What the bot posted in a channel since `before` posts. */
  postedSince(channel: string, before: number): RecordedCall[];
  /** A signed message event from `user` in `channel` (in the thread of `threadTs` if given). */
  say(channel: string, channelType: 'im' | 'channel', user: string, text: string, threadTs?: string): Promise<RecordedCall[]>;
  /** A signed `file_share` message event: `user` shares `files` (from the fake's `addFile`) with `text`. */
  share(channel: string, channelType: 'im' | 'channel', user: string, text: string, files: Record<string, unknown>[], threadTs?: string): Promise<RecordedCall[]>;
  /** `user` presses the button labelled `label` of the last post with buttons in `shownIn` (default: `channel`). */
  tap(channel: string, user: { id: string; name: string }, label: string, shownIn?: string): Promise<RecordedCall[]>;
  stop(): Promise<void>;
}

/** Starts the fake Web API and the real adapter for the harness `h`, whose clock gives the event timestamps. */
export async function startSlackRig(h: Harness): Promise<SlackRig> {
  const nowSec = Math.floor(h.clock.now().getTime() / 1000);
  let seq = 0;
  const nextTs = (): string => {
    seq += 1;
    return `${nowSec}.${String(seq).padStart(6, '0')}`;
  };
  const fake = new FakeSlackWebApi();
  await fake.start();
  const config = slackConfigFromEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_PORT: '0', SLACK_API_URL: fake.apiUrl });
  if (!config) throw new Error('expected a Slack config');
  const adapter = createSlackAdapter(config, { handle: (i) => h.core.handle(i), log: silentLogger });
  await adapter.start();
  const dispatcher = h.dispatcher({ slack: adapter });
  const endpoint = () => `http://127.0.0.1:${adapter.port}/slack/events`;
  const postedSince = (channel: string, before: number): RecordedCall[] => fake.posted(channel).slice(before);

  /** Posts a signed message event; returns what the bot posted in that channel in reply. */
  const post = async (fields: { channel: string; channelType: 'im' | 'channel'; user: string; text: string; threadTs?: string; subtype?: string; files?: Record<string, unknown>[] }): Promise<RecordedCall[]> => {
    const before = fake.posted(fields.channel).length;
    const ts = nextTs();
    const body = messageEventBody({ ...fields, ts, eventId: `Ev${ts.replace('.', '')}` });
    expect((await postSigned(endpoint(), body)).status).toBe(200);
    await adapter.idle();
    return postedSince(fields.channel, before);
  };

  return {
    fake,
    adapter,
    dispatcher,
    postedSince,
    say(channel, channelType, user, text, threadTs) {
      return post({ channel, channelType, user, text, threadTs });
    },
    share(channel, channelType, user, text, files, threadTs) {
      return post({ channel, channelType, user, text, threadTs, subtype: 'file_share', files });
    },
    async tap(channel, user, label, shownIn = channel) {
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
    },
    async stop() {
      await dispatcher.stop();
      await adapter.stop();
      await fake.stop();
    },
  };
}
