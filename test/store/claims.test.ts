/**
 * Claims honour their batch size under concurrency. On PostgreSQL, `id IN (SELECT … LIMIT n FOR
 * UPDATE SKIP LOCKED)` may be planned as a semi-join that runs the sub-select again for rows it
 * meets, and with SKIP LOCKED each run can return other rows: one claim took 188 rows with a limit
 * of 15. Every claim here must return at most its limit, and every row be claimed once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/store/db.ts';
import { enqueue, OutboxRepository } from '../../src/store/outbox.ts';
import { freshDatabase, TEST_DIALECT } from '../support/database.ts';

const opened: Db[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.$disconnect()));
});

function open(url: string): Db {
  const db = openDb({ url, poolSize: 4 });
  opened.push(db);
  return db;
}

describe('outbox claims', () => {
  it('never take more rows than their limit, and take each row once, with four claimants at once', async () => {
    const url = await freshDatabase();
    const db = open(url);
    const now = new Date('2026-11-30T02:00:00Z');
    const ROWS = 400;
    const LIMIT = 15;
    for (let n = 0; n < ROWS; n += 50) {
      await db.$transaction(
        Array.from({ length: 50 }, (_, i) =>
          enqueue(db, { channel: 'console', chatId: `c${n + i}`, kind: 'notice', dedupeKey: `n:${n + i}`, message: { text: 'x' } }, now),
        ),
      );
    }
    // SQLite serializes writers in one process, so its claimants share the connection.
    const repos = Array.from({ length: 4 }, () => new OutboxRepository(TEST_DIALECT === 'postgresql' ? open(url) : db));
    const sizes: number[] = [];
    const claimed: number[] = [];
    await Promise.all(
      repos.map(async (repo, i) => {
        for (;;) {
          const rows = await repo.claim({ owner: `o${i}`, now, leaseUntil: new Date(now.getTime() + 60_000), channels: ['console'], limit: LIMIT });
          if (rows.length === 0) return;
          sizes.push(rows.length);
          claimed.push(...rows.map((r) => r.id));
        }
      }),
    );
    expect(Math.max(...sizes)).toBeLessThanOrEqual(LIMIT);
    expect(claimed).toHaveLength(ROWS);
    expect(new Set(claimed).size).toBe(ROWS);
  });
});
