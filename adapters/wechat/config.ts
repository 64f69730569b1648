/**
 * WeChat settings from the environment, as a zod schema (`wechatEnvSchema`) that `src/config`
 * validates with every other setting. The adapter is on when
 * `WECHATY_PUPPET` is set; a bad value stops the start with a message naming the variable.
 */
import { z } from 'zod';
import { envSection } from '../../src/lib/env-section.ts';
import { ConfigError, formatZodIssues } from '../../src/lib/errors.ts';

/** The puppet that needs a token (a hosted puppet service reached over gRPC). */
const SERVICE_PUPPET = 'wechaty-puppet-service';

/** Only npm names of Wechaty puppet providers, so the variable cannot load an arbitrary module. */
const PUPPET_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?wechaty-puppet-[a-z0-9][a-z0-9._~-]*$/;

const VARIABLES = ['WECHATY_PUPPET', 'WECHATY_PUPPET_SERVICE_TOKEN', 'WECHATY_NAME'] as const;

/** What the WeChat adapter is configured with. `token` is a secret: keep it out of logs. */
export interface WechatConfig {
  puppet: string;
  token: string | undefined;
  name: string;
}

/**
 * The WeChat variables of an environment (pass the whole environment), validated: the adapter's
 * `WechatConfig`, or undefined when `WECHATY_PUPPET` is unset or empty (the adapter is off and the
 * other variables are not read). Issues name the variable, never its value, which may be a token.
 * `src/config` validates it together with every other setting.
 */
export const wechatEnvSchema = z.preprocess(
  envSection(VARIABLES, 'WECHATY_PUPPET'),
  z
    .object({
      /** Wechaty puppet provider package, e.g. wechaty-puppet-service, wechaty-puppet-wechat4u. */
      WECHATY_PUPPET: z.string().regex(PUPPET_NAME, 'must be a Wechaty puppet package name such as wechaty-puppet-service').optional(),
      /** Token of the puppet service; required for wechaty-puppet-service. */
      WECHATY_PUPPET_SERVICE_TOKEN: z.string().min(1).optional(),
      /** Name of the memory card (the login session file `<name>.memory-card.json`). */
      WECHATY_NAME: z.string().min(1).max(200).default('jiazheng-desk'),
    })
    .superRefine((env, ctx) => {
      if (env.WECHATY_PUPPET === SERVICE_PUPPET && env.WECHATY_PUPPET_SERVICE_TOKEN === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['WECHATY_PUPPET_SERVICE_TOKEN'],
          message: `required when WECHATY_PUPPET is ${SERVICE_PUPPET}`,
        });
      }
    })
    .transform((env): WechatConfig | undefined =>
      env.WECHATY_PUPPET === undefined
        ? undefined
        : { puppet: env.WECHATY_PUPPET, token: env.WECHATY_PUPPET_SERVICE_TOKEN, name: env.WECHATY_NAME },
    ),
);

/**
 * Reads the WeChat settings alone (tests, tools); the process reads them through `src/config`.
 * Returns undefined when `WECHATY_PUPPET` is unset or empty (the adapter
 * is off). Empty strings count as unset.
 * @throws ConfigError naming each bad variable (never its value, which may be a token).
 */
export function wechatConfigFromEnv(env: Record<string, string | undefined> = process.env): WechatConfig | undefined {
  const parsed = wechatEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid WeChat settings:\n${formatZodIssues(parsed.error)}`);
  }
  return parsed.data;
}
