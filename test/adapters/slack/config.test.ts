import { describe, expect, it } from 'vitest';
import { slackConfigFromEnv } from '../../../adapters/slack/config.ts';
import { ConfigError } from '../../../src/lib/errors.ts';

const BOT = 'xoxb-1-2-abc';

describe('slackConfigFromEnv', () => {
  it('is off without a bot token (empty counts as unset)', () => {
    expect(slackConfigFromEnv({})).toBeUndefined();
    expect(slackConfigFromEnv({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: 's' })).toBeUndefined();
  });

  it('serves HTTP with defaults when there is no app token', () => {
    expect(slackConfigFromEnv({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 'abc123' })).toEqual({
      mode: 'http',
      botToken: BOT,
      signingSecret: 'abc123',
      port: 3000,
      eventsPath: '/slack/events',
      apiUrl: 'https://slack.com/api/',
      command: '/jiazheng',
    });
  });

  it('selects Socket Mode with an app token; no signing secret needed', () => {
    const config = slackConfigFromEnv({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: 'xapp-1-A-x', SLACK_API_URL: 'http://127.0.0.1:9/api' });
    expect(config).toEqual({ mode: 'socket', botToken: BOT, appToken: 'xapp-1-A-x', apiUrl: 'http://127.0.0.1:9/api/', command: '/jiazheng' });
  });

  it('reads port and path', () => {
    expect(slackConfigFromEnv({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 's', SLACK_PORT: '8080', SLACK_EVENTS_PATH: '/hooks/slack' })).toMatchObject({
      port: 8080,
      eventsPath: '/hooks/slack',
    });
  });

  it('reads the slash command', () => {
    expect(slackConfigFromEnv({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 's', SLACK_COMMAND: '/housekeeping' })).toMatchObject({ command: '/housekeeping' });
  });

  it.each([
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 's', SLACK_COMMAND: 'jiazheng' }, 'SLACK_COMMAND', BOT],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 's', SLACK_COMMAND: '/jia zheng' }, 'SLACK_COMMAND', BOT],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 's', SLACK_COMMAND: '/JiaZheng' }, 'SLACK_COMMAND', BOT],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN', 'xoxp-user-token'],
    [{ SLACK_BOT_TOKEN: BOT }, 'SLACK_SIGNING_SECRET', BOT],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: 'xoxb-not-an-app-token' }, 'SLACK_APP_TOKEN', 'xoxb-not-an-app-token'],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 's', SLACK_PORT: '70000' }, 'SLACK_PORT', BOT],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 's', SLACK_PORT: 'http' }, 'SLACK_PORT', BOT],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 's', SLACK_EVENTS_PATH: 'slack/events' }, 'SLACK_EVENTS_PATH', BOT],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'ftp://x/' }, 'SLACK_API_URL', BOT],
  ])('refuses %j naming %s, without echoing secrets', (env, variable, secret) => {
    let error: unknown;
    try {
      slackConfigFromEnv(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(variable);
    expect((error as Error).message).not.toContain(secret);
  });
});
