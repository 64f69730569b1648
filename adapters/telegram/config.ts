/**
 * The Telegram adapter's settings from the environment, as a zod schema (`telegramEnvSchema`) that
 * `src/config` validates with every other setting. The adapter is enabled by setting
 * `TELEGRAM_BOT_TOKEN`; everything else has a default except the two webhook settings, which
 * webhook mode needs. A bad value stops the start with a `ConfigError` naming the variable (never
 * echoing the token).
 */
import { z } from 'zod';
import { envSection } from '../../src/lib/env-section.ts';
import { ConfigError, formatZodIssues } from '../../src/lib/errors.ts';

/** BotFather's token shape: the bot's numeric id, a colon, 35 characters. */
const TOKEN = /^\d+:[A-Za-z0-9_-]{35}$/;
/** Telegram's rule for `secret_token` (setWebhook). */
const SECRET = /^[A-Za-z0-9_-]{1,256}$/;

const DEFAULT_API_ROOT = 'https://api.telegram.org';
const DEFAULT_WEBHOOK_PORT = 8443;

const urlWith = (protocols: string[], message: string) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, message);

const VARIABLES = [
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_MODE',
  'TELEGRAM_WEBHOOK_URL',
  'TELEGRAM_WEBHOOK_SECRET',
  'TELEGRAM_WEBHOOK_PORT',
  'TELEGRAM_API_ROOT',
  'TELEGRAM_CONFLICT_EXIT_AFTER_MS',
] as const;

/** How long getUpdates may keep answering 409 Conflict before the process gives up (exit 1). */
export const DEFAULT_CONFLICT_EXIT_AFTER_MS = 120_000;

/**
 * The Telegram variables of an environment (pass the whole environment), validated: the adapter's
 * `TelegramConfig`, or undefined when `TELEGRAM_BOT_TOKEN` is unset or empty (the adapter is off
 * and the other variables are not read). Issues name the variable, never its value.
 * `src/config` validates it together with every other setting.
 */
export const telegramEnvSchema = z.preprocess(
  envSection(VARIABLES, 'TELEGRAM_BOT_TOKEN'),
  z
    .object({
      TELEGRAM_BOT_TOKEN: z.string().regex(TOKEN, 'must look like <digits>:<35 letters, digits, _ or -> as @BotFather gives it').optional(),
      TELEGRAM_MODE: z.enum(['polling', 'webhook']).default('polling'),
      TELEGRAM_WEBHOOK_URL: urlWith(['https:'], 'must be a public https:// URL (Telegram calls only https webhooks)').optional(),
      TELEGRAM_WEBHOOK_SECRET: z.string().regex(SECRET, 'must be 1-256 characters of A-Z, a-z, 0-9, _ and -').optional(),
      TELEGRAM_WEBHOOK_PORT: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_WEBHOOK_PORT),
      TELEGRAM_API_ROOT: urlWith(['https:', 'http:'], 'must be an http(s):// URL').default(DEFAULT_API_ROOT),
      TELEGRAM_CONFLICT_EXIT_AFTER_MS: z.coerce.number().int().min(0).default(DEFAULT_CONFLICT_EXIT_AFTER_MS),
    })
    .superRefine((env, ctx) => {
      if (env.TELEGRAM_BOT_TOKEN === undefined || env.TELEGRAM_MODE !== 'webhook') return;
      if (env.TELEGRAM_WEBHOOK_URL === undefined) {
        ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_URL'], message: 'is required when TELEGRAM_MODE=webhook' });
      }
      if (env.TELEGRAM_WEBHOOK_SECRET === undefined) {
        ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'is required when TELEGRAM_MODE=webhook' });
      }
    })
    .transform((e): TelegramConfig | undefined => {
      if (e.TELEGRAM_BOT_TOKEN === undefined) return undefined;
      const base = { token: e.TELEGRAM_BOT_TOKEN, apiRoot: e.TELEGRAM_API_ROOT, conflictExitAfterMs: e.TELEGRAM_CONFLICT_EXIT_AFTER_MS };
      if (e.TELEGRAM_MODE === 'polling') return { ...base, mode: 'polling' };
      // superRefine guarantees both in webhook mode.
      const url = e.TELEGRAM_WEBHOOK_URL!;
      return {
        ...base,
        mode: 'webhook',
        webhook: { url, path: new URL(url).pathname, secret: e.TELEGRAM_WEBHOOK_SECRET!, port: e.TELEGRAM_WEBHOOK_PORT },
      };
    }),
);

/** Webhook mode: Telegram POSTs updates to `url`; this process listens on `port` for `path`. */
export interface TelegramWebhookConfig {
  /** The public https URL given to setWebhook (a proxy or load balancer forwards it here). */
  url: string;
  /** The URL's path: the only path the local server answers. */
  path: string;
  /** Sent back by Telegram in `X-Telegram-Bot-Api-Secret-Token`. */
  secret: string;
  /** Local port to listen on; 0 picks a free one (tests). */
  port: number;
}

export type TelegramConfig = {
  token: string;
  /** Bot API root; tests point it at a local fake. */
  apiRoot: string;
  /**
   * Polling: how long getUpdates may answer 409 Conflict (another poller, a webhook set elsewhere)
   * before the adapter reports a fatal error (exit 1). Default `DEFAULT_CONFLICT_EXIT_AFTER_MS`.
   */
  conflictExitAfterMs?: number;
} & ({ mode: 'polling' } | { mode: 'webhook'; webhook: TelegramWebhookConfig });

/**
 * Reads the Telegram settings alone (tests, tools); the process reads them through `src/config`.
 * Returns `undefined` when `TELEGRAM_BOT_TOKEN` is unset (the adapter is off); empty strings count
 * as unset.
 * @throws ConfigError naming each bad variable and what is wrong with it.
 */
export function telegramConfigFromEnv(env: NodeJS.ProcessEnv | Record<string, string | undefined>): TelegramConfig | undefined {
  const parsed = telegramEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid Telegram settings:\n${formatZodIssues(parsed.error)}`);
  }
  return parsed.data;
}
