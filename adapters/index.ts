/**
 * Which platform adapters this process runs: each is enabled by the presence of its settings
 * (TELEGRAM_BOT_TOKEN, SLACK_BOT_TOKEN, WECHATY_PUPPET or WECHAT_MODE), validated beforehand with every other
 * setting (see config.ts; a bad value stops the start). A platform that cannot be reached at start
 * is logged and the other adapters keep running.
 */
import type { RateLimiter } from '../src/lib/rate-limit.ts';
import type { PlatformSettings } from './config.ts';
import { createSlackAdapter } from './slack/index.ts';
import { createTelegramAdapter } from './telegram/index.ts';
import type { AdapterDeps, PlatformAdapter } from '../src/contracts/adapter.ts';
import { createWechatAdapter } from './wechat/index.ts';
import { createOfficialAccountAdapter } from './wechat/official-account.ts';



interface AdapterReport {
  started: PlatformAdapter[];
  /** One line per platform: enabled and how, not configured, or why it failed. */
  lines: string[];
}

/** Builds and starts every configured adapter; never throws (a platform that fails is logged). */
export async function startAdapters(
  platforms: PlatformSettings,
  deps: AdapterDeps,
  opts: { limiter: RateLimiter },
): Promise<AdapterReport> {
  const { telegram, slack, wechat } = platforms;
  const candidates: { name: string; build: () => PlatformAdapter | undefined; how: string }[] = [
    {
      name: 'telegram',
      build: () => telegram && createTelegramAdapter(telegram, deps, { pacer: opts.limiter }),
      how: `telegram (${telegram?.mode === 'webhook' ? 'webhook' : 'long polling'})`,
    },
    {
      name: 'slack',
      build: () => slack && createSlackAdapter(slack, deps),
      how: `slack (${slack?.mode === 'socket' ? 'Socket Mode' : 'HTTP, signed requests'})`,
    },
    {
      name: 'wechat',
      build: () => wechat && (wechat.mode === 'official-account' ? createOfficialAccountAdapter(wechat, deps) : createWechatAdapter(wechat, deps)),
      how: wechat?.mode === 'official-account' ? 'wechat (official account, webhook)' : `wechat (${wechat?.puppet})`,
    },
  ];
  const report: AdapterReport = { started: [], lines: [] };
  for (const candidate of candidates) {
    let adapter: PlatformAdapter | undefined;
    try {
      adapter = candidate.build();
      if (!adapter) {
        report.lines.push(`${candidate.name}: not configured`);
        continue;
      }
      await adapter.start();
      report.started.push(adapter);
      report.lines.push(`${candidate.how}: enabled`);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      report.lines.push(`${candidate.name}: not started: ${why}`);
      deps.log.error({ adapter: candidate.name, err: error }, 'adapter failed to start');
    }
  }
  return report;
}

