/**
 * The Slack app manifest the operator pastes into the app's settings (adapters/slack/app-manifest.json)
 * agrees with what the adapter serves: the default slash command, the default events path for every
 * request URL, the events it listens to, and the scopes of the Web API methods it calls.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { slackConfigFromEnv } from '../../../adapters/slack/config.ts';

interface Manifest {
  features: { slash_commands: Array<{ command: string; url: string; should_escape: boolean }>; app_home: { messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = JSON.parse(readFileSync(new URL('../../../adapters/slack/app-manifest.json', import.meta.url), 'utf8')) as Manifest;
const defaults = slackConfigFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });

describe('the Slack app manifest', () => {
  it('declares the default slash command and sends everything to the default events path', () => {
    if (defaults?.mode !== 'http') throw new Error('expected HTTP defaults');
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([defaults.command]);
    const urls = [manifest.features.slash_commands[0]?.url, manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url];
    for (const url of urls) expect(new URL(String(url)).pathname).toBe(defaults.eventsPath);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false); // HTTP mode; the README says when to turn it on
  });

  it('subscribes to the messages and mentions the adapter reads, and lets people write to the bot', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['message.im', 'message.channels', 'message.groups', 'message.mpim', 'app_mention']),
    );
    expect(manifest.features.app_home).toMatchObject({ messages_tab_enabled: true, messages_tab_read_only_enabled: false });
  });

  it('asks for the scopes of what the adapter calls and reads', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'chat:write', // chat.postMessage
        'files:write', // files.getUploadURLExternal, files.completeUploadExternal
        'users:read', // users.info
        'commands', // the slash command
        'app_mentions:read',
        'im:history',
        'channels:history',
        'groups:history',
        'mpim:history',
      ]),
    );
  });
});
