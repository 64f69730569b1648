/**
 * `npm run chat -- --user <id> [--name <display name>] [--now <ISO date-time>]`: chat with the bot
 * as a customer from the terminal or a script on standard input. The database persists between
 * runs, so a second run continues the conversation.
 * `npm run chat -- --room <name> [--user <id>] [--name <display name>]`: a console staff room: shows
 * the room's posts (escalations) and lets the person at the keyboard act on them after `/join`.
 */
import { runConsoleChat, saveToFolder } from '../../adapters/console/console-chat.ts';
import { createApp } from '../app.ts';
import { loadDotEnv, loadSettings, PROJECT_ROOT } from '../config/env.ts';
import { offsetClock, systemClock } from '../domain/clock.ts';
import { parseChatArgs } from './args.ts';
import { runMain } from './run.ts';

runMain(async () => {
  const args = parseChatArgs(process.argv.slice(2));
  loadDotEnv();
  const settings = loadSettings();
  const clock = args.now ? offsetClock(args.now) : systemClock;
  const app = await createApp({ settings, clock });
  app.startBackground();
  const interactive = Boolean(process.stdin.isTTY);
  const chatId = args.room ?? args.user;
  // A room shows its last posts; a customer sees the notices that arrived while they were away.
  let seen = args.room ? await app.inbox.tailStart(chatId, 10) : 0;
  let first = !args.room;
  try {
    await runConsoleChat({
      handle: (inbound) => app.core.handle(inbound),
      userId: args.user,
      displayName: args.name,
      room: args.room,
      settle: () => app.dispatcher?.tick() ?? Promise.resolve(),
      saveFile: (file) => saveToFolder(`${PROJECT_ROOT}data/reports`, file),
      deliveries: async () => {
        const { lastId, messages } = await app.inbox.since(chatId, seen, { unshownOnly: first });
        seen = lastId;
        first = false;
        return messages;
      },
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
