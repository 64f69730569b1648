import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Effect } from '../../src/contracts/records.ts';
import { TurnConflict } from '../../src/lib/errors.ts';
import { ConversationRepository } from '../../src/store/conversations.ts';
import { driver, openDb, type Db } from '../../src/store/db.ts';
import { freshDatabase, TEST_DIALECT } from '../support/database.ts';

/** The turn's direct path (prepared statements on the driver, one statement on PostgreSQL) on its own. */
describe('conversations on the driver', () => {
  let db: Db;
  let repo: ConversationRepository;
  const at = new Date('2026-11-23T02:00:00Z');

  beforeAll(async () => {
    db = openDb({ url: await freshDatabase() });
    repo = new ConversationRepository(db);
  });
  afterAll(() => db.$disconnect());

  it('keeps a chat with the customer who started it when another identity writes there', async () => {
    const first = await repo.conversation({ channel: 'slack', chatId: 'D1', userId: 'U-first', displayName: '老王', locale: 'zh' });
    await db.customer.update({ where: { id: first.customer.id }, data: { name: '王', salutation: '先生', phone: '13800138000' } });
    const other = await repo.conversation({ channel: 'slack', chatId: 'D1', userId: 'U-other', locale: 'zh' });
    expect(other.id).toBe(first.id);
    expect(other.customer).toEqual({ id: first.customer.id, name: '王', salutation: '先生', phone: '13800138000', address: null });
    // Both identities are customers; the second has its own row, unused by this chat.
    expect(await db.customer.count({ where: { channel: 'slack' } })).toBe(2);
  });

  it('commits a turn once: a stale version and a redelivered message are refused, nothing half-written', async () => {
    const c = await repo.conversation({ channel: 'console', chatId: 'c1', userId: 'c1', locale: 'zh' });
    const turn = (messageId: string, version: number) => ({
      inbound: { channel: 'console' as const, messageId, chatId: 'c1', userId: 'c1', kind: 'text' as const, at },
      conversationId: c.id,
      version,
      state: `{"flow":"idle","n":"${messageId}"}`,
      locale: 'en',
      effects: [],
      now: at,
    });
    await repo.commitTurn(turn('m1', c.version));
    await expect(repo.commitTurn(turn('m2', c.version))).rejects.toMatchObject({ reason: 'stale' });
    await expect(repo.commitTurn(turn('m1', c.version + 1))).rejects.toBeInstanceOf(TurnConflict);
    await expect(repo.commitTurn(turn('m1', c.version + 1))).rejects.toMatchObject({ reason: 'duplicate' });
    const row = await db.conversation.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ version: c.version + 1, state: '{"flow":"idle","n":"m1"}', locale: 'en' });
    const inbound = await db.inboundMessage.findMany({ where: { chatId: 'c1' }, select: { platformMessageId: true, receivedAt: true, kind: true } });
    expect(inbound).toEqual([{ platformMessageId: 'm1', receivedAt: at, kind: 'text' }]);
  });

  it.skipIf(TEST_DIALECT !== 'postgresql')('keeps its PostgreSQL connection when the server refuses a turn', async () => {
    const single = openDb({ url: await freshDatabase(), poolSize: 1 });
    try {
      const drv = driver(single);
      if (drv?.kind !== 'postgresql') throw new Error('expected the PostgreSQL driver');
      const backend = async () => (await drv.query<{ pid: number }>({ text: 'SELECT pg_backend_pid() AS pid' })).rows[0]?.pid;
      const singleRepo = new ConversationRepository(single);
      const c = await singleRepo.conversation({ channel: 'console', chatId: 'keep', userId: 'keep', locale: 'zh' });
      const before = await backend();
      const turn = { inbound: { channel: 'console' as const, messageId: 'k1', chatId: 'keep', userId: 'keep', kind: 'text' as const, at }, conversationId: c.id, version: c.version, state: '{"flow":"idle"}', locale: 'zh', effects: [], now: at };
      await singleRepo.commitTurn(turn);
      // Refused by the server twice: a duplicate message, then a stale version (with a write, so the statement fails).
      await expect(singleRepo.commitTurn({ ...turn, version: c.version + 1 })).rejects.toMatchObject({ reason: 'duplicate' });
      const enqueue = { kind: 'enqueue' as const, message: { channel: 'console' as const, chatId: 'room', kind: 'notice', dedupeKey: 'keep-k2', message: { text: 'x' } } };
      await expect(singleRepo.commitTurn({ ...turn, inbound: { ...turn.inbound, messageId: 'k2' }, effects: [enqueue] })).rejects.toMatchObject({ reason: 'stale' });
      expect(await backend()).toBe(before);
    } finally {
      await single.$disconnect();
    }
  });
  it.skipIf(TEST_DIALECT !== 'postgresql')('commits a turn that only moves the conversation without waiting for the disk, and one that writes a record waiting (POSTGRES_SYNCHRONOUS_COMMIT=records)', async () => {
    const url = await freshDatabase();
    const relaxed = openDb({ url });
    const strict = openDb({ url, synchronousCommit: 'on' });
    try {
      // Each statement runs in a transaction of its own that reports the setting its commit reads.
      const committedWith: string[] = [];
      const observe = (target: Db) => {
        const drv = driver(target);
        if (drv?.kind !== 'postgresql') throw new Error('expected the PostgreSQL driver');
        const plain = drv.query.bind(drv);
        drv.query = (async (config: Parameters<typeof plain>[0]) => {
          await plain({ text: 'SELECT 1' });
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            await client.query('BEGIN');
            const result = await client.query(config);
            committedWith.push((await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]?.synchronous_commit ?? '?');
            await client.query('COMMIT');
            return result;
          } finally {
            await client.end();
          }
        }) as typeof drv.query;
      };
      observe(relaxed);
      observe(strict);
      const commit = async (target: Db, chat: string, effects: Effect[]) => {
        const targetRepo = new ConversationRepository(target);
        const c = await targetRepo.conversation({ channel: 'console', chatId: chat, userId: chat, locale: 'zh' });
        const inbound = { channel: 'console' as const, messageId: `${chat}-1`, chatId: chat, userId: chat, kind: 'text' as const, at };
        await targetRepo.commitTurn({ inbound, conversationId: c.id, version: c.version, state: '{"flow":"idle"}', locale: 'zh', effects, now: at });
      };
      const record: Effect = { kind: 'enqueue', message: { channel: 'console', chatId: 'front-desk', kind: 'notice', dedupeKey: 'sync-record', message: { text: '记录' } } };
      await commit(relaxed, 'state-only', []);
      await commit(relaxed, 'with-record', [record]);
      await commit(strict, 'strict-state-only', []);
      // Each conversation's first contact (customer and conversation), then its turn's commit:
      // only a record waits under `records`, everything waits under `on`.
      expect(committedWith).toEqual(['off', 'off', 'off', 'on', 'on', 'on']);
      expect(await relaxed.outbox.count({ where: { dedupeKey: 'sync-record' } })).toBe(1);
      expect(await relaxed.inboundMessage.count({ where: { chatId: { in: ['state-only', 'with-record', 'strict-state-only'] } } })).toBe(3);
    } finally {
      await relaxed.$disconnect();
      await strict.$disconnect();
    }
  });
});
