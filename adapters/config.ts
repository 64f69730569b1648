/**
 * Every platform adapter's settings schema in one place, so `src/config` validates them together
 * with the core settings (one bad variable of any platform stops the start naming it). Imports
 * only the adapters' config files, not the SDKs, so commands that run no adapter stay quick.
 */
import type { z } from 'zod';
import { slackEnvSchema } from './slack/config.ts';
import { telegramEnvSchema } from './telegram/config.ts';
import { wechatEnvSchema } from './wechat/config.ts';

/** One schema per platform, each reading its variables from the whole environment. */
export const platformEnvSchemas = {
  telegram: telegramEnvSchema,
  slack: slackEnvSchema,
  wechat: wechatEnvSchema,
} as const;

/** Each platform's adapter settings; undefined for a platform that is off. */
export type PlatformSettings = { [P in keyof typeof platformEnvSchemas]: z.output<(typeof platformEnvSchemas)[P]> };
