/**
 * `npm start`: starts the bot. Settings (the core's and every platform's) are validated first: a
 * bad one stops the start with exit code 2 naming it. Platform adapters start when their settings
 * are present; with none (the embedded default) it opens a console chat as a customer on the
 * SQLite file under data/. With platform adapters and no terminal it serves until stopped
 * (SIGINT/SIGTERM), then finishes what is in flight and exits 0. In production it runs as
 * `node dist/src/main.js` (after `npm run build`): one process, the one the service manager signals.
 */
import { runConsoleChat } from '../adapters/console/console-chat.ts';
import { startAdapters } from '../adapters/index.ts';
import { createApp } from './app.ts';
import { loadDotEnv, loadSettings } from './config/env.ts';
import { runMain } from './lib/run-main.ts';
import { DEFAULT_LIMITS, RateLimiter } from './lib/rate-limit.ts';
import { redactUrl } from './store/migrate.ts';
import { enqueue } from './store/outbox.ts';
import { ConversationRepository } from './store/conversations.ts';

runMain(async () => {
  const settings = loadSettings(loadDotEnv());
  const app = await createApp({ settings });
  const { company, env } = settings;
  const limiter = new RateLimiter({
    limits: { telegram: { ...DEFAULT_LIMITS.telegram, overall: { count: env.TELEGRAM_MESSAGES_PER_SECOND, perMs: 1000 } } },
  });
  const adapters = await startAdapters(
    settings.platforms,
    {
      handle: (inbound) => app.core.handle(inbound),
      log: app.log,
      // An adapter that cannot recover (revoked token, a lasting 409): one clear line, then exit so
      // the service manager restarts the process (1) or someone fixes the setting (2).
      onFatal: (fatal) => {
        app.log.fatal({ adapter: fatal.channel, exitCode: fatal.exitCode }, fatal.message);
        process.stderr.write(`${fatal.message}\n`);
        process.exit(fatal.exitCode);
      },
      // A direct reply a long rate limit held back goes out later through the outbox.
      enqueue: async (late) => {
        await enqueue(app.db, { channel: late.channel, chatId: late.chatId, kind: 'reply', dedupeKey: late.key, message: late.message, notBefore: late.notBefore }, app.clock.now());
      },
      // A customer who blocked the bot: no more messages there; due surveys become phone tasks.
      markUnreachable: async (channel, chatId) => {
        await new ConversationRepository(app.db).markUnreachable({ channel, chatId, at: app.clock.now() });
      },
    },
    { limiter },
  );
  app.startBackground(Object.fromEntries(adapters.started.map((a) => [a.channel, a])), limiter);
  const database = env.DATABASE_URL.startsWith('file:') ? `SQLite ${env.DATABASE_URL.slice(5)}` : `PostgreSQL ${redactUrl(env.DATABASE_URL)}`;
  const interactive = Boolean(process.stdin.isTTY);
  const useConsole = adapters.started.length === 0 || interactive;
  process.stderr.write(
    `${company.name} customer-service bot\n` +
      `database: ${database}\n` +
      `adapters:\n${[useConsole ? '  console: enabled (this terminal, customer console-user)' : '  console: off (no terminal)', ...adapters.lines.map((l) => `  ${l}`)].join('\n')}\n` +
      `staff rooms: ${Object.entries(settings.complaints.rooms).map(([level, r]) => `${level} -> ${r.channel}:${r.chatId}`).join(', ')}\n` +
      (useConsole
        ? 'Type a message as a customer (e.g. 你好 or 明天下午三点日常保洁); options are chosen by number. Ctrl+D quits.\n' +
          'Staff rooms: npm run chat -- --room front-desk (then /join front-desk).\n\n'
        : '\n'),
  );
  const shutdown = async () => {
    await Promise.allSettled(adapters.started.map((a) => a.stop()));
    await app.close();
  };
  if (!useConsole) {
    // A service manager's stop (SIGTERM; SIGINT from a terminal): stop receiving and claiming work,
    // finish the sends in flight, give back what was claimed, then exit 0. A second signal during
    // that gets Node's default: the process ends at once.
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      const stop = (received: NodeJS.Signals) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve(received);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    process.stderr.write(`stopping (${signal}): finishing the sends in flight\n`);
    await shutdown();
    process.stderr.write('stopped\n');
    return;
  }
  try {
    await runConsoleChat({
      ...(await app.consoleSession('console-user', { room: false })),
      userId: 'console-user',
      input: process.stdin,
      output: process.stdout,
      echo: !interactive,
      prompt: interactive,
      now: () => app.clock.now(),
    });
  } finally {
    await shutdown();
  }
});
