/**
 * One instance of the PostgreSQL booking benchmark (test/bench/booking.ts): its own DialogueCore
 * on its own client, doing booking conversations one after another as users named by `prefix`.
 * Warms up, prints READY, waits for a line on stdin, runs `count` measured conversations, then
 * prints `DONE <json>` (InstanceReport: turns, elapsed ms, every turn's latency in ms).
 * Usage: tsx test/bench/booking-instance.ts <dbUrl> <prefix> <count> <warmUp>
 */
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { openDb } from '../../src/store/db.ts';
import { bookingConversations, PG_SYNCHRONOUS_COMMIT, type InstanceReport } from './booking.ts';

const [dbUrl, prefix, countArg, warmUpArg] = process.argv.slice(2);
if (!dbUrl || !prefix || !countArg || !warmUpArg) throw new Error('usage: booking-instance.ts <dbUrl> <prefix> <count> <warmUp>');

/** Resolves on the first line on stdin (the start signal). */
async function startSignal(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  await once(lines, 'line');
  lines.close();
}

const db = openDb({ url: dbUrl, synchronousCommit: PG_SYNCHRONOUS_COMMIT });
const converse = bookingConversations(db, prefix);
for (let i = 0; i < Number(warmUpArg); i += 1) await converse(`${prefix}warm-${i}`);
process.stdout.write('READY\n');
await startSignal();

const latencies: number[] = [];
const start = performance.now();
for (let i = 0; i < Number(countArg); i += 1) await converse(`${prefix}user-${i}`, latencies);
const report: InstanceReport = { turns: latencies.length, elapsedMs: performance.now() - start, latencies };
process.stdout.write(`DONE ${JSON.stringify(report)}\n`);
await db.$disconnect();
