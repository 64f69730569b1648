/**
 * Notices in the console chat (`npm run chat`): each is shown once, in the order it arrived; a
 * later run shows only what arrived since, never again what an earlier run showed.
 */
import { afterEach, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadSettings } from '../../src/config/env.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { ConsoleInbox } from '../../src/store/console-inbox.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { freshDatabase } from '../support/database.ts';

type App = Awaited<ReturnType<typeof createApp>>;
let app: App | undefined;
let db: Db | undefined;
afterEach(async () => {
  await app?.close();
  await db?.$disconnect();
});

it('a notice is shown once and in order, across runs', async () => {
  const url = await freshDatabase();
  app = await createApp({ settings: loadSettings({ DATABASE_URL: url }), log: silentLogger });
  db = openDb({ url });
  const inbox = new ConsoleInbox(db);
  const texts = async (run: Awaited<ReturnType<App['consoleSession']>>) => ((await run.deliveries?.()) ?? []).map((m) => m.text);

  await inbox.send('zhang', { text: '您的投诉已由前台小李负责处理' });
  await inbox.send('zhang', { text: '您的投诉已处理完毕' });
  const first = await app.consoleSession('zhang', { room: false });
  expect(await texts(first)).toEqual(['您的投诉已由前台小李负责处理', '您的投诉已处理完毕']);
  await inbox.send('zhang', { text: '问题解决了吗？' });
  expect(await texts(first)).toEqual(['问题解决了吗？']);
  expect(await texts(first)).toEqual([]);

  // A later run: nothing new at its start, and nothing old after its first line either.
  const second = await app.consoleSession('zhang', { room: false });
  expect(await texts(second)).toEqual([]);
  expect(await texts(second)).toEqual([]);
  await inbox.send('zhang', { text: '请您确认服务已完成' });
  expect(await texts(second)).toEqual(['请您确认服务已完成']);
});
