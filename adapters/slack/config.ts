/**
 * Slack settings from the environment, as a zod schema (`slackEnvSchema`) that `src/config`
 * validates with every other setting. The adapter is on when `SLACK_BOT_TOKEN`
 * is set. An app token selects Socket Mode (no public URL needed); without one the adapter serves
 * the Events API over HTTP and needs the signing secret to verify requests. A bad value stops the
 * start with a message naming the variable, never its value.
 */
import { z } from 'zod';
import { envSection } from '../../src/lib/env-section.ts';
import { ConfigError, formatZodIssues } from '../../src/lib/errors.ts';

const VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_PORT',
  'SLACK_EVENTS_PATH',
  'SLACK_API_URL',
  'SLACK_COMMAND',
] as const;

/**
 * The Slack variables of an environment (pass the whole environment), validated: the adapter's
 * `SlackConfig`, or undefined when `SLACK_BOT_TOKEN` is unset or empty (the adapter is off and the
 * other variables are not read). Issues name the variable, never its value, which may be a secret.
 * `src/config` validates it together with every other setting.
 */
export const slackEnvSchema = z.preprocess(
  envSection(VARIABLES, 'SLACK_BOT_TOKEN'),
  z
    .object({
      /** Bot User OAuth token of the installed app. */
      SLACK_BOT_TOKEN: z.string().regex(/^xoxb-\S+$/, 'must be a bot token starting with xoxb-').optional(),
      /** App's signing secret (Basic Information page); verifies HTTP requests. */
      SLACK_SIGNING_SECRET: z.string().regex(/^\S+$/, 'must not contain spaces').optional(),
      /** App-level token with connections:write; when set, events arrive over Socket Mode. */
      SLACK_APP_TOKEN: z.string().regex(/^xapp-\S+$/, 'must be an app-level token starting with xapp-').optional(),
      /** Port of the HTTP events endpoint (0 picks a free port). */
      SLACK_PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
      /** Path of the HTTP events endpoint (Event Subscriptions and Interactivity request URL). */
      SLACK_EVENTS_PATH: z.string().regex(/^\/[^\s?#]*$/, 'must be a path starting with /').default('/slack/events'),
      /**
       * The app's slash command, as created in the app's settings (see deploy/slack-app-manifest.yaml):
       * `<command> join <code>`, `<command> done [number]`, `<command> report [period]`.
       */
      SLACK_COMMAND: z
        .string()
        .regex(/^\/[^\s/A-Z]{1,31}$/, 'must be a slash command such as /jiazheng (lowercase, no spaces, at most 32 characters)')
        .default('/jiazheng'),
      /** Web API base URL; tests point it at a local fake. */
      SLACK_API_URL: z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
        .default('https://slack.com/api/')
        .transform((url) => (url.endsWith('/') ? url : `${url}/`)),
    })
    .superRefine((env, ctx) => {
      if (env.SLACK_BOT_TOKEN === undefined) return;
      if (env.SLACK_APP_TOKEN === undefined && env.SLACK_SIGNING_SECRET === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_SIGNING_SECRET'],
          message: 'required in HTTP mode (set it, or set SLACK_APP_TOKEN to use Socket Mode)',
        });
      }
    })
    .transform((env): SlackConfig | undefined => {
      if (env.SLACK_BOT_TOKEN === undefined) return undefined;
      const common = { botToken: env.SLACK_BOT_TOKEN, apiUrl: env.SLACK_API_URL, command: env.SLACK_COMMAND };
      if (env.SLACK_APP_TOKEN !== undefined) return { ...common, mode: 'socket', appToken: env.SLACK_APP_TOKEN };
      return {
        ...common,
        mode: 'http',
        // Present: the refinement above refuses HTTP mode without it.
        signingSecret: env.SLACK_SIGNING_SECRET ?? '',
        port: env.SLACK_PORT,
        eventsPath: env.SLACK_EVENTS_PATH,
      };
    }),
);

interface SlackCommonConfig {
  /** xoxb-... Secret: keep it out of logs. */
  botToken: string;
  /** Web API base URL, ending with a slash. */
  apiUrl: string;
  /** The app's slash command, e.g. `/jiazheng`. */
  command: string;
}

/** Events API over HTTP: Slack posts signed requests to `eventsPath` on `port`. */
export interface SlackHttpConfig extends SlackCommonConfig {
  mode: 'http';
  /** Secret: keep it out of logs. */
  signingSecret: string;
  port: number;
  eventsPath: string;
}

/** Socket Mode: the adapter opens a WebSocket to Slack, no public URL needed. */
export interface SlackSocketConfig extends SlackCommonConfig {
  mode: 'socket';
  /** xapp-... Secret: keep it out of logs. */
  appToken: string;
}

/** What the Slack adapter is configured with. */
export type SlackConfig = SlackHttpConfig | SlackSocketConfig;

/**
 * Reads the Slack settings alone (tests, tools); the process reads them through `src/config`.
 * Returns undefined when `SLACK_BOT_TOKEN` is unset or empty (the adapter
 * is off). Empty strings count as unset.
 * @throws ConfigError naming each bad or missing variable (never its value, which may be a secret).
 */
export function slackConfigFromEnv(env: Record<string, string | undefined> = process.env): SlackConfig | undefined {
  const parsed = slackEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid Slack settings:\n${formatZodIssues(parsed.error)}`);
  }
  return parsed.data;
}
