/**
 * Which platform adapters this process runs: each is enabled by the presence of its settings
 * (TELEGRAM_BOT_TOKEN, SLACK_BOT_TOKEN, WECHATY_PUPPET or WECHAT_MODE), validated beforehand with every other
 * setting (see config.ts; a bad value stops the start). A platform that cannot be reached at start
 * is logged and the other adapters keep running. Each adapter's module (and its platform SDK:
 * Wechaty alone takes seconds to load) is imported only when its platform is configured, so a
 * start without it does not pay for it (the start time is in `npm run bench`).
 */
import type { RateLimiter } from '../src/lib/rate-limit.ts';
import type { PlatformSettings } from './config.ts';
import type { AdapterDeps, PlatformAdapter } from '../src/contracts/adapter.ts';

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
  const candidates: { name: string; build: () => Promise<PlatformAdapter | undefined>; how: string }[] = [
    {
      name: 'telegram',
      build: async () => telegram && (await import('./telegram/index.ts')).createTelegramAdapter(telegram, deps, { pacer: opts.limiter }),
      how: `telegram (${telegram?.mode === 'webhook' ? 'webhook' : 'long polling'})`,
    },
    {
      name: 'slack',
      build: async () => slack && (await import('./slack/index.ts')).createSlackAdapter(slack, deps),
      how: `slack (${slack?.mode === 'socket' ? 'Socket Mode' : 'HTTP, signed requests'})`,
    },
    {
      name: 'wechat',
      build: async () =>
        wechat &&
        (wechat.mode === 'official-account'
          ? (await import('./wechat/official-account.ts')).createOfficialAccountAdapter(wechat, deps)
          : (await import('./wechat/index.ts')).createWechatAdapter(wechat, deps)),
      how: wechat?.mode === 'official-account' ? 'wechat (official account, webhook)' : `wechat (${wechat?.puppet})`,
    },
  ];
  const report: AdapterReport = { started: [], lines: [] };
  for (const candidate of candidates) {
    let adapter: PlatformAdapter | undefined;
    try {
      adapter = await candidate.build();
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

