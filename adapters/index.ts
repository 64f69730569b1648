/**
 * Which platform adapters this process runs: each is enabled by the presence of its settings
 * (TELEGRAM_BOT_TOKEN, SLACK_BOT_TOKEN, WECHATY_PUPPET). A missing or invalid setting names the
 * variable and the other adapters keep running; so does a platform that cannot be reached at start.
 */
import { ConfigError } from '../src/lib/errors.ts';
import type { Logger } from '../src/lib/log.ts';
import type { RateLimiter } from '../src/lib/rate-limit.ts';
import { createSlackAdapter, slackConfigFromEnv } from './slack/index.ts';
import { createTelegramAdapter, telegramConfigFromEnv } from './telegram/index.ts';
import type { AdapterDeps, PlatformAdapter } from '../src/contracts/adapter.ts';
import { createWechatAdapter, wechatConfigFromEnv } from './wechat/index.ts';

export interface AdapterReport {
  started: PlatformAdapter[];
  /** One line per platform: enabled and how, not configured, or why it failed. */
  lines: string[];
}

/** Builds and starts every configured adapter; never throws. */
export async function startAdapters(env: NodeJS.ProcessEnv, deps: AdapterDeps, opts: { limiter: RateLimiter }): Promise<AdapterReport> {
  const candidates: { name: string; build: () => PlatformAdapter | undefined; how: () => string }[] = [
    {
      name: 'telegram',
      build: () => {
        const config = telegramConfigFromEnv(env);
        return config && createTelegramAdapter(config, deps, { pacer: opts.limiter });
      },
      how: () => `telegram (${env.TELEGRAM_MODE === 'webhook' ? 'webhook' : 'long polling'})`,
    },
    {
      name: 'slack',
      build: () => {
        const config = slackConfigFromEnv(env);
        return config && createSlackAdapter(config, deps);
      },
      how: () => `slack (${env.SLACK_APP_TOKEN ? 'Socket Mode' : 'HTTP, signed requests'})`,
    },
    {
      name: 'wechat',
      build: () => {
        const config = wechatConfigFromEnv(env);
        return config && createWechatAdapter(config, deps);
      },
      how: () => `wechat (${env.WECHATY_PUPPET})`,
    },
  ];
  const report: AdapterReport = { started: [], lines: [] };
  for (const candidate of candidates) {
    let adapter: PlatformAdapter | undefined;
    try {
      adapter = candidate.build();
    } catch (error) {
      const why = error instanceof ConfigError ? error.message : String(error);
      report.lines.push(`${candidate.name}: not started: ${why}`);
      deps.log.error({ adapter: candidate.name, reason: why }, 'adapter not started');
      continue;
    }
    if (!adapter) {
      report.lines.push(`${candidate.name}: not configured`);
      continue;
    }
    try {
      await adapter.start();
      report.started.push(adapter);
      report.lines.push(`${candidate.how()}: enabled`);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      report.lines.push(`${candidate.name}: not started: ${why}`);
      deps.log.error({ adapter: candidate.name, reason: why }, 'adapter failed to start');
    }
  }
  return report;
}

export function logAdapters(log: Logger, report: AdapterReport): void {
  for (const line of report.lines) log.info(line);
}
