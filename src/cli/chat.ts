/**
 * `npm run chat -- --user <id> [--name <display name>] [--now <ISO date-time>]`: chat with the bot
 * as a customer from the terminal or a script on standard input. The database persists between
 * runs, so a second run continues the conversation.
 * `npm run chat -- --room <name> [--user <id>] [--name <display name>]`: a console staff room: shows
 * the room's posts (escalations) and lets the person at the keyboard act on them after `/join`.
 */
import { runConsoleChat } from '../../adapters/console/console-chat.ts';
import { createApp } from '../app.ts';
import { loadDotEnv, loadSettings } from '../config/env.ts';
import { offsetClock, systemClock } from '../domain/clock.ts';
import { parseChatArgs } from './args.ts';
import { runMain } from '../lib/run-main.ts';

runMain(async () => {
  const settings = loadSettings(loadDotEnv());
  const args = parseChatArgs(process.argv.slice(2));
  const clock = args.now ? offsetClock(args.now) : systemClock;
  const app = await createApp({ settings, clock });
  app.startBackground();
  const interactive = Boolean(process.stdin.isTTY);
  const chatId = args.room ?? args.user;
  try {
    await runConsoleChat({
      ...(await app.consoleSession(chatId, { room: Boolean(args.room) })),
      userId: args.user,
      displayName: args.name,
      room: args.room,
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
