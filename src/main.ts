/**
 * `npm start`: starts the bot. With no platform tokens (the embedded default) it opens a console
 * chat as a customer on the SQLite file under data/.
 */
import { runConsoleChat } from '../adapters/console/console-chat.ts';
import { createApp } from './app.ts';
import { loadDotEnv, loadSettings } from './config/env.ts';
import { runMain } from './cli/run.ts';

runMain(async () => {
  loadDotEnv();
  const settings = loadSettings();
  const app = await createApp({ settings });
  const { company, env } = settings;
  const database = env.DATABASE_URL.startsWith('file:') ? `SQLite ${env.DATABASE_URL.slice(5)}` : 'PostgreSQL';
  process.stderr.write(
    `${company.name} customer-service bot\n` +
      `database: ${database}\n` +
      'adapters: console (no platform tokens set; Telegram, WeChat and Slack adapters are not built yet)\n' +
      'Type a message as a customer (e.g. 你好 or 明天下午三点日常保洁); options are chosen by number. Ctrl+D quits.\n\n',
  );
  const interactive = Boolean(process.stdin.isTTY);
  try {
    await runConsoleChat({
      handle: (inbound) => app.core.handle(inbound),
      userId: 'console-user',
      input: process.stdin,
      output: process.stdout,
      echo: !interactive,
      prompt: interactive,
      now: () => app.clock.now(),
    });
  } finally {
    await app.close();
  }
});
