/**
 * A burst of customers at once (a webhook backlog delivered together) is answered, not apologised
 * to. Turns queue for a pooled connection (PostgreSQL) or the write lock (SQLite); with Prisma's
 * default 2 s wait to start a transaction, most of 3,000 first messages failed with P2028 and got
 * the error apology, and being unrecorded, a redelivery was answered again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadCompany } from '../../src/config/company.ts';
import { loadSettings } from '../../src/config/env.ts';
import { DialogueCore } from '../../src/core/engine.ts';
import { messages } from '../../src/i18n/index.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { PrismaCoreStore } from '../../src/store/core-store.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { freshDatabase } from '../support/database.ts';

const opened: Db[] = [];
afterAll(async () => {
  await Promise.all(opened.map((db) => db.$disconnect()));
});

describe('a burst of customers', () => {
  it('answers 3,000 first messages sent at once through a pool of 2 connections, without an apology', async () => {
    const db = openDb({ url: await freshDatabase(), poolSize: 2 });
    opened.push(db);
    const settings = loadSettings({});
    const now = new Date('2026-11-23T02:00:00Z');
    const core = new DialogueCore({
      store: new PrismaCoreStore(db),
      company: loadCompany(),
      clock: { now: () => now },
      log: silentLogger,
      complaints: settings.complaints,
      survey: settings.survey,
    });
    const COUNT = 3000;
    const replies = await Promise.all(
      Array.from({ length: COUNT }, (_, i) => core.handle({ channel: 'console', chatId: `b${i}`, userId: `b${i}`, messageId: `bm${i}`, text: '你好', at: now })),
    );
    const apologies = replies.filter((r) => r.some((reply) => reply.text === messages('zh').errorRetry)).length;
    expect(apologies).toBe(0);
    expect(await db.inboundMessage.count()).toBe(COUNT);
  }, 180_000);
});
