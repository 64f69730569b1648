/**
 * `npm run chat -- --user <id> [--name <display name>] [--now <ISO date-time>]`: chat with the bot
 * as a customer from the terminal or a script on standard input. The database persists between
 * runs, so a second run continues the conversation.
 */
import { runConsoleChat } from '../../adapters/console/console-chat.ts';
import { createApp } from '../app.ts';
import { loadDotEnv, loadSettings } from '../config/env.ts';
import { offsetClock, systemClock } from '../domain/clock.ts';
import { parseChatArgs } from './args.ts';
import { runMain } from './run.ts';

runMain(async () => {
  const args = parseChatArgs(process.argv.slice(2));
  loadDotEnv();
  const settings = loadSettings();
  const clock = args.now ? offsetClock(args.now) : systemClock;
  const app = await createApp({ settings, clock });
  const interactive = Boolean(process.stdin.isTTY);
  try {
    await runConsoleChat({
      handle: (inbound) => app.core.handle(inbound),
      userId: args.user,
      displayName: args.name,
      input: process.stdin,
      output: process.stdout,
      echo: !interactive,
      prompt: interactive,
      now: () => clock.now(),
    });
  } finally {
    await app.close();
  }
});
