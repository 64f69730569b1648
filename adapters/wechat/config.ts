/**
 * WeChat settings from the environment, as a zod schema (`wechatEnvSchema`) that `src/config`
 * validates with every other setting. Two modes:
 *
 * - personal (default): a WeChat account driven through Wechaty and the puppet named by
 *   `WECHATY_PUPPET` (the adapter is on when it is set);
 * - official account (`WECHAT_MODE=official-account`): a company's 公众号, receiving messages on
 *   a webhook the platform posts signed XML to, answering through its customer-service message API.
 *
 * A bad value stops the start with a message naming the variable, never its value.
 */
import { z } from 'zod';
import { withoutEmpty } from '../../src/lib/env-section.ts';
import { ConfigError, formatZodIssues } from '../../src/lib/errors.ts';

/** The puppet that needs a token (a hosted puppet service reached over gRPC). */
const SERVICE_PUPPET = 'wechaty-puppet-service';

/** Only npm names of Wechaty puppet providers, so the variable cannot load an arbitrary module. */
const PUPPET_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?wechaty-puppet-[a-z0-9][a-z0-9._~-]*$/;

const OFFICIAL_ACCOUNT = 'official-account';

const VARIABLES = [
  'WECHAT_MODE',
  'WECHATY_PUPPET',
  'WECHATY_PUPPET_SERVICE_TOKEN',
  'WECHATY_NAME',
  'WECHAT_OA_APPID',
  'WECHAT_OA_SECRET',
  'WECHAT_OA_TOKEN',
  'WECHAT_OA_API_BASE',
  'WECHAT_OA_PORT',
  'WECHAT_OA_PATH',
] as const;

/** A personal account through Wechaty. `token` is a secret: keep it out of logs. */
export interface WechatPersonalConfig {
  mode?: undefined;
  puppet: string;
  token: string | undefined;
  name: string;
}

/** A company's official account (公众号). `secret` and `webhookToken` are secrets. */
export interface WechatOfficialAccountConfig {
  mode: typeof OFFICIAL_ACCOUNT;
  /** AppID (开发者ID), from 设置与开发 → 基本配置. */
  appId: string;
  /** AppSecret (开发者密码). */
  secret: string;
  /** The Token entered in 服务器配置; the platform signs every webhook request with it. */
  webhookToken: string;
  /** Base of the platform's API, ending in `/`; tests point it at a local fake. */
  apiBase: string;
  /** Plain-HTTP port of the webhook (behind the TLS proxy the server URL points at). */
  port: number;
  /** Path of the webhook, as in the server URL (服务器地址). */
  path: string;
}

/** What the WeChat adapter is configured with: one of its two modes. */
type WechatConfig = WechatPersonalConfig | WechatOfficialAccountConfig;

/**
 * The WeChat variables of an environment (pass the whole environment), validated: the adapter's
 * `WechatConfig`, or undefined when neither `WECHAT_MODE` nor `WECHATY_PUPPET` is set (the adapter
 * is off and the other variables are not read). Issues name the variable, never its value, which
 * may be a secret. `src/config` validates it together with every other setting.
 */
export const wechatEnvSchema = z.preprocess(
  (env: unknown) => {
    const set = withoutEmpty(env);
    if (set.WECHAT_MODE === undefined && set.WECHATY_PUPPET === undefined) return {};
    return Object.fromEntries(VARIABLES.filter((key) => set[key] !== undefined).map((key) => [key, set[key]!]));
  },
  z
    .object({
      /** personal (Wechaty, default) or official-account (公众号). */
      WECHAT_MODE: z.enum(['personal', OFFICIAL_ACCOUNT]).optional(),
      /** Wechaty puppet provider package, e.g. wechaty-puppet-service, wechaty-puppet-wechat4u. */
      WECHATY_PUPPET: z.string().regex(PUPPET_NAME, 'must be a Wechaty puppet package name such as wechaty-puppet-service').optional(),
      /** Token of the puppet service; required for wechaty-puppet-service. */
      WECHATY_PUPPET_SERVICE_TOKEN: z.string().min(1).optional(),
      /** Name of the memory card (the login session file `<name>.memory-card.json`). */
      WECHATY_NAME: z.string().min(1).max(200).default('jiazheng-desk'),
      /** The official account's AppID: wx and 16 letters or digits. */
      WECHAT_OA_APPID: z.string().regex(/^wx[0-9a-zA-Z]{16}$/, 'must be an AppID such as wx0123456789abcdef').optional(),
      WECHAT_OA_SECRET: z.string().min(1).max(200).optional(),
      /** WeChat's rule for the server-configuration Token: 3 to 32 letters or digits. */
      WECHAT_OA_TOKEN: z.string().regex(/^[0-9a-zA-Z]{3,32}$/, 'must be 3 to 32 letters or digits, as entered in 服务器配置').optional(),
      /** Base of the platform's API; tests point it at a local fake. */
      WECHAT_OA_API_BASE: z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
        .default('https://api.weixin.qq.com/')
        .transform((url) => (url.endsWith('/') ? url : `${url}/`)),
      /** Port of the webhook (0 picks a free port). */
      WECHAT_OA_PORT: z.coerce.number().int().min(0).max(65_535).default(8090),
      WECHAT_OA_PATH: z.string().regex(/^\/[\w./-]*$/, 'must be a path such as /wechat').default('/wechat'),
    })
    .superRefine((env, ctx) => {
      // Off: the preprocess step passed nothing on.
      if (env.WECHAT_MODE === undefined && env.WECHATY_PUPPET === undefined) return;
      const require = (key: keyof typeof env, why: string) => {
        if (env[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `required ${why}` });
      };
      if (env.WECHAT_MODE === OFFICIAL_ACCOUNT) {
        for (const key of ['WECHAT_OA_APPID', 'WECHAT_OA_SECRET', 'WECHAT_OA_TOKEN'] as const) require(key, `when WECHAT_MODE is ${OFFICIAL_ACCOUNT}`);
        return;
      }
      require('WECHATY_PUPPET', 'when WECHAT_MODE is personal');
      if (env.WECHATY_PUPPET === SERVICE_PUPPET) require('WECHATY_PUPPET_SERVICE_TOKEN', `when WECHATY_PUPPET is ${SERVICE_PUPPET}`);
    })
    .transform((env): WechatConfig | undefined => {
      if (env.WECHAT_MODE === OFFICIAL_ACCOUNT) {
        return {
          mode: OFFICIAL_ACCOUNT,
          appId: env.WECHAT_OA_APPID!,
          secret: env.WECHAT_OA_SECRET!,
          webhookToken: env.WECHAT_OA_TOKEN!,
          apiBase: env.WECHAT_OA_API_BASE,
          port: env.WECHAT_OA_PORT,
          path: env.WECHAT_OA_PATH,
        };
      }
      return env.WECHATY_PUPPET === undefined
        ? undefined
        : { puppet: env.WECHATY_PUPPET, token: env.WECHATY_PUPPET_SERVICE_TOKEN, name: env.WECHATY_NAME };
    }),
);

/**
 * Reads the WeChat settings alone (tests, tools); the process reads them through `src/config`.
 * Returns undefined when the adapter is off. Empty strings count as unset.
 * @throws ConfigError naming each bad variable (never its value, which may be a secret).
 */
export function wechatConfigFromEnv(env: Record<string, string | undefined> = process.env): WechatConfig | undefined {
  const parsed = wechatEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid WeChat settings:\n${formatZodIssues(parsed.error)}`);
  }
  return parsed.data;
}
