import { closeSync, openSync, readSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sqliteFilePath } from '../../prisma/tools/providers.ts';
import { openDb } from '../../src/store/db.ts';
import { freshDatabase } from '../support/database.ts';

/**
 * Transaction batches issued at once, half failing, each followed by a plain write. 50 is enough:
 * every failing batch is open while later plain writes wait, as with 200 (which took 7-8 s on a
 * loaded 2-core machine, against the 5 s limit).
 */
const BATCHES = 50;

describe('SQLite adapter under concurrency in one process', () => {
  it('runs concurrent transactions one after another and keeps plain writes out of them', async () => {
    const db = openDb({ url: await freshDatabase() });
    try {
      const customer = await db.customer.create({ data: { channel: 'console', platformUserId: 'x' } });
      const conversation = await db.conversation.create({ data: { channel: 'console', chatId: 'x', customerId: customer.id } });
      const ops: Promise<unknown>[] = [];
      for (let i = 0; i < BATCHES; i += 1) {
        // Half the batches fail on purpose (a missing row), and must roll back only themselves.
        const failing = i % 2 === 1;
        ops.push(
          db
            .$transaction([
              db.inboundMessage.create({ data: { channel: 'tx', platformMessageId: `t${i}`, chatId: 'x', userId: 'x', kind: 'text', receivedAt: new Date() } }),
              db.conversation.update({ where: { id: failing ? -1 : conversation.id }, data: { version: { increment: 1 } } }),
            ])
            .catch(() => 'rolled back'),
        );
        ops.push(db.inboundMessage.create({ data: { channel: 'plain', platformMessageId: `p${i}`, chatId: 'x', userId: 'x', kind: 'text', receivedAt: new Date() } }));
      }
      const results = await Promise.all(ops);
      expect(results.filter((r) => r === 'rolled back')).toHaveLength(BATCHES / 2);
      expect(await db.inboundMessage.count({ where: { channel: 'tx' } })).toBe(BATCHES / 2);
      // Every plain write outside the transactions survives, even those issued while a failing one was open.
      expect(await db.inboundMessage.count({ where: { channel: 'plain' } })).toBe(BATCHES);
      expect((await db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).version).toBe(BATCHES / 2);
    } finally {
      await db.$disconnect();
    }
  });
});

/** The WAL header's checkpoint sequence: SQLite increments it each time a writer restarts the WAL after a complete checkpoint. */
function walResets(path: string): number {
  const header = Buffer.alloc(16);
  const fd = openSync(`${path}-wal`, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return header.readUInt32BE(12);
}

describe('WAL checkpoints', () => {
  it('are made off the main connection, whose own threshold the writes never reach', async () => {
    const url = await freshDatabase();
    const db = openDb({ url });
    try {
      const path = sqliteFilePath(url);
      const write = (id: string) =>
        db.inboundMessage.create({ data: { channel: 'wal', platformMessageId: id, chatId: 'x', userId: 'x', kind: 'text', receivedAt: new Date() } });
      for (let i = 0; i < 50; i += 1) await write(`w${i}`);
      const before = walResets(path);
      // The checkpointer runs every second in a worker thread; each write after a complete
      // checkpoint restarts the WAL. Waits for that event (bounded by the test's timeout).
      let writes = 0;
      while (walResets(path) === before) {
        writes += 1;
        await write(`after${writes}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(walResets(path)).toBeGreaterThan(before);
      expect(await db.inboundMessage.count({ where: { channel: 'wal' } })).toBe(50 + writes);
    } finally {
      await db.$disconnect();
    }
  });
});
