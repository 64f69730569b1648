import { describe, expect, it } from 'vitest';
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
