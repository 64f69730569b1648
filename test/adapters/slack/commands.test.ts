/**
 * Staff commands over Slack, through the real Bolt SDK: the app's one slash command
 * (`/jiazheng join|done|report|help`, signed form posts as Slack sends them to the command's
 * request URL, answered through the payload's response_url on the local fake), and the same words
 * without a slash in a direct message or after an @-mention of the bot. Slack keeps `/join` for
 * itself, so `/join` typed in Slack never reaches the app.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, slackConfigFromEnv, type SlackAdapter } from '../../../adapters/slack/index.ts';
import type { InboundInput, Outbound } from '../../../src/contracts/messages.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { createHarness, type Harness } from '../../support/harness.ts';
import { BOT_TOKEN, BOT_USER_ID, FakeSlackWebApi } from './fake-web-api.ts';
import { appMentionBody, FORM, messageEventBody, postSigned, SIGNING_SECRET, slashCommandBody, type SlackResponse } from './slack-requests.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const NOW = '2026-11-23T10:00:00+08:00';
const NOW_SEC = Date.parse(NOW) / 1000;
const DESK = 'C0DESK';
const LI = { id: 'U0DESKLI', name: 'desk.li' };
const GM = { id: 'U0GM', name: 'gm.zhao' };

let h: Harness;
let fake: FakeSlackWebApi;
let adapter: SlackAdapter;
let handled: InboundInput[];
let seq = 0;

beforeEach(async () => {
  h = await createHarness({
    now: NOW,
    complaints: {
      rooms: {
        contact: { channel: 'slack', chatId: DESK },
        department_head: { channel: 'slack', chatId: 'C0HEADS' },
        general_manager: { channel: 'slack', chatId: 'C0MANAGERS' },
      },
      inviteCodes: { 'DESK-2026': 'front_desk', 'GM-2026': 'general_manager' },
      consoleOnlyCodes: false,
    },
  });
  fake = new FakeSlackWebApi();
  await fake.start();
  fake.addUser({ id: LI.id, name: LI.name, displayName: '小李', realName: '李娜' });
  fake.addUser({ id: GM.id, name: GM.name, displayName: '', realName: '赵总' });
});

afterEach(async () => {
  await adapter?.stop();
  await fake.stop();
  await h.close();
});

async function startAdapter(opts: { env?: Record<string, string>; handle?: (i: InboundInput) => Promise<Outbound[]> } = {}) {
  handled = [];
  const config = slackConfigFromEnv({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_PORT: '0',
    SLACK_API_URL: fake.apiUrl,
    ...opts.env,
  });
  if (!config) throw new Error('expected a Slack config');
  const handle = opts.handle ?? ((i: InboundInput) => h.core.handle(i));
  adapter = createSlackAdapter(config, {
    handle: async (inbound) => {
      handled.push(inbound);
      return handle(inbound);
    },
    log: silentLogger,
  });
  await adapter.start();
}

function endpoint(): string {
  return `http://127.0.0.1:${adapter.port}/slack/events`;
}

function nextTs(): string {
  seq += 1;
  return `${NOW_SEC}.${String(seq).padStart(6, '0')}`;
}

interface CommandResult {
  response: SlackResponse;
  /** Milliseconds until Slack got its HTTP answer (the ack). */
  ackMs: number;
  /** The response_url id of this invocation. */
  id: string;
}

/** Posts a slash command as Slack does; resolves at the ack, before the adapter is idle. */
async function invoke(user: { id: string; name: string }, text: string, opts: { channel?: string; command?: string } = {}): Promise<CommandResult> {
  const channel = opts.channel ?? DESK;
  const id = `cmd-${nextTs()}`;
  const body = slashCommandBody({
    command: opts.command ?? '/jiazheng',
    text,
    channel,
    channelName: channel.startsWith('D') ? 'directmessage' : 'staff',
    user: user.id,
    userName: user.name,
    responseUrl: fake.responseUrl(id),
    triggerId: `trig.${id}`,
  });
  const started = Date.now();
  const response = await postSigned(endpoint(), body, { contentType: FORM });
  return { response, ackMs: Date.now() - started, id };
}

/** Posts a slash command and waits until its answers are out. */
async function command(user: { id: string; name: string }, text: string, opts: { channel?: string; command?: string } = {}) {
  const result = await invoke(user, text, opts);
  expect(result.response.status).toBe(200);
  await adapter.idle();
  return { ...result, answers: fake.responsesTo(result.id).map((r) => r.body) };
}

/** A signed message event; waits until it is handled. */
async function say(channel: string, channelType: string, user: string, text: string, ts = nextTs()) {
  const response = await postSigned(endpoint(), messageEventBody({ channel, channelType, user, text, ts, eventId: `Ev${ts}` }));
  expect(response.status).toBe(200);
  await adapter.idle();
  return ts;
}

describe('the slash command (default /jiazheng)', () => {
  it('acks at once, hands the core /join <code>, and answers the join result only to the person who joined', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await startAdapter({
      handle: async (i) => {
        await gate; // the core is slow: Slack must have its answer anyway
        return h.core.handle(i);
      },
    });
    const { response, ackMs, id } = await invoke(LI, 'join DESK-2026');
    expect(response.status).toBe(200);
    expect(response.body).toBe(''); // a bare ack: Slack shows nothing in the channel for it
    expect(ackMs).toBeLessThan(3000);
    expect(fake.responsesTo(id)).toEqual([]);
    release();
    await adapter.idle();

    expect(handled).toEqual([
      expect.objectContaining({ channel: 'slack', chatId: DESK, userId: LI.id, chatType: 'group', text: '/join DESK-2026', displayName: '小李' }),
    ]);
    const answers = fake.responsesTo(id).map((r) => r.body);
    expect(answers).toEqual([expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining('已加入') })]);
    expect(fake.posted(DESK)).toEqual([]); // nothing in the channel for everyone
    const staff = await h.db.staff.findMany();
    expect(staff).toEqual([expect.objectContaining({ channel: 'slack', platformUserId: LI.id, role: 'front_desk', displayName: '小李' })]);
  });

  it('answers done in the channel: /jiazheng done and /jiazheng done <number>', async () => {
    await startAdapter();
    await command(LI, 'join DESK-2026');
    const list = await command(LI, 'done');
    expect(handled.at(-1)?.text).toBe('/done');
    expect(list.answers).toEqual([expect.objectContaining({ response_type: 'in_channel', text: expect.any(String) })]);
    const unknown = await command(LI, 'done B99999');
    expect(handled.at(-1)?.text).toBe('/done B99999');
    expect(unknown.answers).toEqual([expect.objectContaining({ response_type: 'in_channel', text: expect.stringContaining('没有找到这个预约号') })]);
  });

  it('names the core\'s commands as Slack can type them in its answers (/jiazheng join, not /join)', async () => {
    await startAdapter();
    const { answers } = await command(LI, 'done'); // not staff yet: told to join first
    const text = String(answers[0]?.text);
    expect(text).toContain('/jiazheng join');
    expect(text).not.toMatch(/(^|[^g] )\/join/);
  });

  it('refuses a report to a non-manager, and gives a manager the report in the channel with its files', async () => {
    await startAdapter();
    await command(LI, 'join DESK-2026');
    const refused = await command(LI, 'report');
    expect(handled.at(-1)?.text).toBe('/report');
    expect(refused.answers).toEqual([expect.objectContaining({ text: expect.stringContaining('仅向部门负责人和总经理提供') })]);
    expect(fake.uploads).toEqual([]);

    await command(GM, 'join GM-2026');
    const report = await command(GM, 'report 2026-10');
    expect(handled.at(-1)).toMatchObject({ text: '/report 2026-10', displayName: '赵总' });
    expect(report.answers.length).toBeGreaterThan(0);
    expect(report.answers.every((a) => a.response_type === 'in_channel')).toBe(true);
    expect(fake.uploads.length).toBeGreaterThan(0);
    expect(fake.callsOf('files.completeUploadExternal').every((c) => c.args.channel_id === DESK)).toBe(true);
  });

  it('answers an empty command or help with the usage, to the person only, without the core', async () => {
    await startAdapter();
    for (const text of ['', 'help', '  HELP ']) {
      const { answers } = await command(LI, text);
      expect(answers).toHaveLength(1);
      expect(answers[0]).toMatchObject({ response_type: 'ephemeral' });
      const usage = String(answers[0]?.text);
      expect(usage).toContain('/jiazheng join');
      expect(usage).toContain('/jiazheng done');
      expect(usage).toContain('/jiazheng report');
    }
    expect(handled).toEqual([]);
  });

  it('answers an unknown subcommand with the usage, without the core', async () => {
    await startAdapter();
    const { answers } = await command(LI, 'cancel everything');
    expect(answers).toEqual([expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining('/jiazheng join') })]);
    expect(handled).toEqual([]);
  });

  it('uses the name set in SLACK_COMMAND', async () => {
    await startAdapter({ env: { SLACK_COMMAND: '/housekeeping' } });
    const { answers } = await command(LI, 'join DESK-2026', { command: '/housekeeping' });
    expect(handled.at(-1)?.text).toBe('/join DESK-2026');
    expect(answers[0]?.text).toContain('已加入');
    const help = await command(LI, 'help', { command: '/housekeeping' });
    expect(String(help.answers[0]?.text)).toContain('/housekeeping join');
  });

  it('works in a direct message with the bot too', async () => {
    await startAdapter();
    const { answers } = await command(LI, 'join DESK-2026', { channel: 'D0LI' });
    expect(handled.at(-1)).toMatchObject({ chatId: 'D0LI', chatType: 'private', text: '/join DESK-2026' });
    expect(answers[0]).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('已加入') });
  });
});

describe('the same words without a slash', () => {
  it('takes join <code> in a direct message with the bot as /join', async () => {
    await startAdapter();
    await say('D0LI', 'im', LI.id, 'join DESK-2026');
    expect(handled.at(-1)).toMatchObject({ chatType: 'private', text: '/join DESK-2026' });
    expect(fake.texts('D0LI').at(-1)).toContain('已加入');
    await say('D0LI', 'im', LI.id, 'Done');
    expect(handled.at(-1)?.text).toBe('/done');
  });

  it('takes done <number> and report after an @-mention of the bot in a channel, answering once', async () => {
    await startAdapter();
    await command(LI, 'join DESK-2026');
    const ts = nextTs();
    const text = `<@${BOT_USER_ID}> done B99999`;
    await say(DESK, 'channel', LI.id, text, ts);
    // Slack sends the same message again as app_mention; it is the same message, answered once.
    expect((await postSigned(endpoint(), appMentionBody({ channel: DESK, user: LI.id, text, ts, eventId: `EvM${ts}` }))).status).toBe(200);
    await adapter.idle();
    expect(handled.map((i) => i.text)).toEqual(['/join DESK-2026', '/done B99999', '/done B99999']);
    expect(new Set(handled.slice(1).map((i) => i.messageId))).toEqual(new Set([`${DESK}:${ts}`]));
    expect(fake.texts(DESK)).toHaveLength(1);

    await say(DESK, 'channel', LI.id, `<@${BOT_USER_ID}>  report`);
    expect(handled.at(-1)?.text).toBe('/report');
  });

  it('leaves the words alone in a channel without a mention, and other text after a mention', async () => {
    await startAdapter({ handle: async () => [] });
    await say(DESK, 'channel', LI.id, 'done B99999');
    await say(DESK, 'channel', LI.id, `<@${BOT_USER_ID}> 今天几点上门`);
    await say('D0LI', 'im', LI.id, 'joined the team yesterday');
    expect(handled.map((i) => i.text)).toEqual(['done B99999', '今天几点上门', 'joined the team yesterday']);
  });
});
