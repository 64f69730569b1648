/**
 * 1,000 customers writing at once (issue 18): each a complete seven-turn booking conversation,
 * all started together in one process so their turns interleave, on SQLite and on PostgreSQL.
 * Turns/s is all turns ÷ wall time; a turn's latency includes its wait behind the others; every
 * apology (the error reply) or missing reply counts as an error shown to a customer, and every
 * booking must be stored.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrateDatabase, redactUrl } from '../../src/store/migrate.ts';
import { adminQuery, postgresProblem, withDatabase } from '../support/database.ts';
import { bookingConversations, PG_SYNCHRONOUS_COMMIT, WARM_UP_CONVERSATIONS } from './booking.ts';
import { figures, type TurnFigures } from './figures.ts';

export interface ConcurrencyFigures extends TurnFigures {
  /** Conversations that got an apology or no answer (target 0). */
  errors: number;
  bookings: number;
}

export interface ConcurrencyResult {
  sqlite: ConcurrencyFigures;
  postgres: ({ skipped: false; server: string } & ConcurrencyFigures) | { skipped: true; reason: string };
}

async function atOnce(db: Db, customers: number): Promise<ConcurrencyFigures> {
  const converse = bookingConversations(db, 'c-');
  for (let i = 0; i < WARM_UP_CONVERSATIONS; i += 1) await converse(`warm-${i}`);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: customers }, (_, i) =>
      converse(`customer-${i}`, latencies).catch(() => {
        errors += 1;
      }),
    ),
  );
  const elapsed = performance.now() - start;
  const bookings = (await db.booking.count()) - WARM_UP_CONVERSATIONS;
  return { ...figures(customers, latencies, elapsed), errors, bookings };
}

export async function benchConcurrency(customers: number, postgresUrl: string): Promise<ConcurrencyResult> {
  const path = join(mkdtempSync(join(tmpdir(), 'jz-bench-many-')), 'bench.db');
  await migrateDatabase({ url: `file:${path}` });
  const sqliteDb = openDb({ url: `file:${path}` });
  const sqlite = await atOnce(sqliteDb, customers).finally(() => sqliteDb.$disconnect());

  const problem = await postgresProblem(postgresUrl);
  if (problem) return { sqlite, postgres: { skipped: true, reason: `${redactUrl(postgresUrl)} unreachable: ${problem}` } };
  const name = `jz_bench_many_${process.pid}_${randomBytes(3).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`, [], postgresUrl);
  try {
    const url = withDatabase(postgresUrl, name);
    await migrateDatabase({ url });
    const db = openDb({ url, synchronousCommit: PG_SYNCHRONOUS_COMMIT });
    const postgres = await atOnce(db, customers).finally(() => db.$disconnect());
    return { sqlite, postgres: { skipped: false, server: redactUrl(postgresUrl), ...postgres } };
  } finally {
    await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, [], postgresUrl);
  }
}
