/**
 * One instance of the PostgreSQL booking benchmark (test/bench/booking.ts): its own DialogueCore
 * on its own client, doing booking conversations one after another as users named by `prefix`.
 * Warms up, prints READY, waits for a line on stdin, runs `count` measured conversations, then
 * prints `DONE <json>` (InstanceReport: turns, elapsed ms, every turn's latency in ms).
 * With `floor`, the measured conversations' statements are bare round trips (see roundTripsOnly).
 * Usage: tsx test/bench/booking-instance.ts <dbUrl> <prefix> <count> <warmUp> [floor]
 */
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type pg from 'pg';
import { driver, openDb, type Db } from '../../src/store/db.ts';
import { bookingConversations, PG_SYNCHRONOUS_COMMIT, type InstanceReport } from './booking.ts';

const [dbUrl, prefix, countArg, warmUpArg, mode] = process.argv.slice(2);
if (!dbUrl || !prefix || !countArg || !warmUpArg) throw new Error('usage: booking-instance.ts <dbUrl> <prefix> <count> <warmUp>');

/**
 * The floor under one round trip per turn on this machine: from now on each turn's commit (the
 * statements of src/store/conversations.ts's commitDirect, named `commit-turn…` or by
 * row-writes' `preparedName`, `w-…`) is `SELECT 1`, so the turn still waits for one round trip to
 * the server, but the server does no work and nothing reaches the disk. The first contact stays
 * real: the turn needs its rows. What is left is the turn's own work, the network and waking the
 * server's process: the machine, not the store.
 */
function roundTripsOnly(db: Db): void {
  const drv = driver(db);
  if (drv?.kind !== 'postgresql') throw new Error('the floor needs a PostgreSQL client');
  const query = drv.query.bind(drv);
  const commit = /^(commit-turn|w-)/;
  drv.query = ((config: pg.QueryConfig) => query(commit.test(config.name ?? '') ? { name: 'floor', text: 'SELECT 1' } : config)) as typeof drv.query;
}

/** Resolves on the first line on stdin (the start signal). */
async function startSignal(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  await once(lines, 'line');
  lines.close();
}

const db = openDb({ url: dbUrl, synchronousCommit: PG_SYNCHRONOUS_COMMIT });
const converse = bookingConversations(db, prefix);
for (let i = 0; i < Number(warmUpArg); i += 1) await converse(`${prefix}warm-${i}`);
if (mode === 'floor') roundTripsOnly(db);
process.stdout.write('READY\n');
await startSignal();

const latencies: number[] = [];
const start = performance.now();
for (let i = 0; i < Number(countArg); i += 1) await converse(`${prefix}user-${i}`, latencies);
const report: InstanceReport = { turns: latencies.length, elapsedMs: performance.now() - start, latencies };
process.stdout.write(`DONE ${JSON.stringify(report)}\n`);
await db.$disconnect();
