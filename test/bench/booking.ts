/**
 * Booking turns through the real core on SQLite: turns per second, p50/p99 turn latency, and the
 * cost of a turn against a baseline measured in the same run on the same kind of file: the plain
 * Prisma writes the same conversations must make (18 per seven-turn booking).
 *
 * In the same run, the same workload on PostgreSQL with one and with two instances (separate
 * processes, test/bench/booking-instance.ts) on a fresh migrated database each, and the floor
 * under one round trip a turn, as ratios to the same instance script on SQLite run in turns with
 * them; skipped, saying why, when the server cannot be reached.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadSettings } from '../../src/config/env.ts';
import { DialogueCore } from '../../src/core/engine.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { zh } from '../../src/i18n/zh.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { PrismaCoreStore } from '../../src/store/core-store.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrateDatabase, redactUrl } from '../../src/store/migrate.ts';
import { adminQuery, postgresProblem, withDatabase } from '../support/database.ts';
import { figures, percentile, type TurnFigures } from './figures.ts';

/** PostgreSQL's figures, next to SQLite's from the same run. */
export interface PostgresBookingFigures {
  skipped: false;
  /** The server (password hidden). */
  server: string;
  /**
   * SQLite in the same harness as PostgreSQL, the baseline of its ratios: one instance process
   * (test/bench/booking-instance.ts) on a SQLite file, run right before each PostgreSQL run, so a
   * ratio compares two runs of the same script moments apart (a 2-vCPU virtual machine's speed
   * drifts over the minutes a bench takes). The median run, and every run's turns/s.
   */
  sqlite: TurnFigures & { trials: number[] };
  /**
   * One instance (one process) doing its conversations one after another, and the database
   * transactions (each a statement, one round trip) it committed or rolled back per turn, its
   * warm-up included. `vsSqlite`: the median of each run's turns/s over the SQLite run before it.
   */
  oneInstance: TurnFigures & { vsSqlite: number; transactionsPerTurn: number; trials: number[] };
  /**
   * The median round trip of `SELECT 1` on one connection, back to back, measured right before
   * the instances: the least any statement of a turn takes (on a 2-vCPU virtual machine it depends on whether
   * the server's process and the client's share a CPU, which the scheduler decides).
   */
  roundTripMs: number;
  /**
   * The floor: one instance doing the same conversations with each turn's commit replaced by
   * `SELECT 1` (test/bench/booking-instance.ts, roundTripsOnly), so a turn is its own work and one
   * bare round trip. Below 0.5 × SQLite, no store with a round trip per turn meets the target here.
   */
  floor: TurnFigures & { vsSqlite: number; trials: number[] };
  /**
   * Two instances (two processes) started together on one database, each doing its conversations
   * one after another: turns/s is both instances' turns over the wall time from the start signal
   * until both finished; p50/p99 over both instances' turns; `vsSqlite` over the SQLite runs' median.
   */
  twoInstances: TurnFigures & { vsSqlite: number; vsOneInstance: number; perInstance: TurnFigures[]; trials: number[] };
}

export type PostgresBookingResult = { skipped: true; reason: string } | PostgresBookingFigures;

export interface BookingBenchResult extends TurnFigures {
  /** p50 and mean of each of the seven turns (1: first contact; 7: the confirmation). */
  byTurn: { p50Ms: number; meanMs: number }[];
  baselineMsPerTurn: number;
  ratio: number;
  postgres: PostgresBookingResult;
}

export interface PostgresBenchOptions {
  /** A server URL whose user may create databases (the path names the maintenance database). */
  url: string;
  /** Conversations per instance. */
  conversations: number;
}

/**
 * PostgreSQL's `synchronous_commit` for the bench's connections (`BENCH_PG_SYNCHRONOUS_COMMIT`):
 * `records`, the bot's default (turns that write a record wait for the disk, turns that only move
 * the conversation do not), unless `on` or `off` is asked for (POSTGRES_SYNCHRONOUS_COMMIT).
 * Printed with the figures.
 */
export const PG_SYNCHRONOUS_COMMIT: 'records' | 'on' | 'off' = ((value) => (value === 'on' || value === 'off' ? value : 'records'))(process.env.BENCH_PG_SYNCHRONOUS_COMMIT);

/** Conversations each instance completes before it is measured (JIT, query plans, pool). */
export const WARM_UP_CONVERSATIONS = 50;

const SCRIPT: { text?: string; action?: string }[] = [
  { text: '你好' },
  { text: '明天下午三点日常保洁' },
  { text: '阳光小区3栋2单元501' },
  { text: '张先生' },
  { text: '13800138000' },
  { action: 'freq:once' },
  { action: 'yes' },
];

/** Turns in one booking conversation. */
export const TURNS_PER_CONVERSATION = SCRIPT.length;

/** Runs one complete booking conversation as `user`, pushing each turn's latency (ms). */
export type Converse = (user: string, latencies?: number[]) => Promise<void>;

/**
 * A DialogueCore on `db` and a function that drives seven-turn booking conversations through it.
 * Message ids start with `prefix`, so instances sharing a database never collide.
 * `yieldBetweenTurns`: let the event loop run between turns (the profile's delay histogram).
 */
export function bookingConversations(db: Db, prefix = '', options: { yieldBetweenTurns?: boolean } = {}): Converse {
  const clock = new ManualClock('2026-11-23T10:00:00+08:00');
  const core = new DialogueCore({ store: new PrismaCoreStore(db), clock, log: silentLogger, ...loadSettings({}) });
  let seq = 0;
  return async (user, latencies) => {
    for (const step of SCRIPT) {
      // As messages arriving from the network would: timers and I/O run between turns.
      if (options.yieldBetweenTurns) await new Promise((resolve) => setImmediate(resolve));
      seq += 1;
      const t0 = performance.now();
      const replies = await core.handle({ channel: 'console', chatId: user, userId: user, messageId: `${prefix}m${seq}`, at: clock.now(), ...step });
      latencies?.push(performance.now() - t0);
      if (replies.length === 0) throw new Error(`no reply to ${JSON.stringify(step)}`);
      if (replies.some((r) => r.text === zh.errorRetry)) throw new Error(`turn ${JSON.stringify(step)} of ${user} failed`);
    }
  };
}

/** A copy of the SQLite `template` in a new folder: its path. */
function copyOf(template: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'jz-bench-')), 'bench.db');
  copyFileSync(template, path);
  return path;
}

async function freshDb(template: string): Promise<{ db: Db; path: string }> {
  const path = copyOf(template);
  return { db: openDb({ url: `file:${path}` }), path };
}
/**
 * The baseline: the writes a booking conversation must make, as plain Prisma calls one after
 * another on the same kind of client: the customer and the conversation on first contact, for
 * every turn one inbound-message insert and one conversation update, and at the end the booking
 * and the customer's saved details.
 */
async function baseline(template: string, conversations: number): Promise<number> {
  const { db } = await freshDb(template);
  let seq = 0;
  const conversation = async (user: string) => {
    const customer = await db.customer.create({ data: { channel: 'bench', platformUserId: user }, select: { id: true } });
    const conv = await db.conversation.create({ data: { channel: 'bench', chatId: user, customerId: customer.id }, select: { id: true } });
    for (let turn = 0; turn < SCRIPT.length; turn += 1) {
      seq += 1;
      await db.inboundMessage.create({
        data: { channel: 'bench', platformMessageId: `m${seq}`, chatId: user, userId: user, kind: 'text', receivedAt: new Date() },
        select: { id: true },
      });
      await db.conversation.update({ where: { id: conv.id }, data: { state: `{"turn":${turn}}` }, select: { id: true } });
    }
    await db.booking.create({
      data: {
        number: `B${seq}`, customerId: customer.id, serviceCode: 'daily_cleaning', serviceName: '日常保洁', start: new Date(),
        address: '阳光小区3栋2单元501', contactName: '张', salutation: '先生', phone: '13800138000', priceFen: 5000,
        unit: '小时', confirmKey: `k${seq}`,
      },
      select: { id: true },
    });
    await db.customer.update({ where: { id: customer.id }, data: { name: '张', salutation: '先生', phone: '13800138000' }, select: { id: true } });
  };
  for (let i = 0; i < 50; i += 1) await conversation(`warm-${i}`);
  const start = performance.now();
  for (let i = 0; i < conversations; i += 1) await conversation(`user-${i}`);
  const elapsed = performance.now() - start;
  await db.$disconnect();
  return elapsed / (conversations * SCRIPT.length);
}

/** A migrated SQLite file to copy for each measurement. */
async function sqliteTemplate(): Promise<string> {
  const template = join(mkdtempSync(join(tmpdir(), 'jz-bench-tpl-')), 'template.db');
  await migrateDatabase({ url: `file:${template}` });
  return template;
}

/** SQLite: one core doing `conversations` conversations one after another, and the baseline. */
async function benchSqlite(template: string, conversations: number): Promise<Omit<BookingBenchResult, 'postgres'>> {
  const { db } = await freshDb(template);
  const converse = bookingConversations(db);
  for (let i = 0; i < WARM_UP_CONVERSATIONS; i += 1) await converse(`warm-${i}`);
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < conversations; i += 1) await converse(`user-${i}`, latencies);
  const elapsed = performance.now() - start;
  const booked = await db.booking.count();
  if (booked !== conversations + WARM_UP_CONVERSATIONS) throw new Error(`expected ${conversations + WARM_UP_CONVERSATIONS} bookings, found ${booked}`);
  await db.$disconnect();
  const baselineMsPerTurn = await baseline(template, conversations);
  const sqlite = figures(conversations, latencies, elapsed);
  const byTurn = SCRIPT.map((_, k) => {
    const turn = figures(conversations, latencies.filter((_, i) => i % SCRIPT.length === k), elapsed);
    return { p50Ms: turn.p50Ms, meanMs: turn.meanMs };
  });
  return { ...sqlite, byTurn, baselineMsPerTurn, ratio: elapsed / sqlite.turns / baselineMsPerTurn };
}

export async function benchBooking(conversations = 1000, postgres?: PostgresBenchOptions): Promise<BookingBenchResult> {
  const template = await sqliteTemplate();
  const sqlite = await benchSqlite(template, conversations);
  const pgResult: PostgresBookingResult = postgres
    ? await benchPostgres(postgres, template)
    : { skipped: true, reason: 'no PostgreSQL server configured' };
  return { ...sqlite, postgres: pgResult };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

const INSTANCE = fileURLToPath(new URL('./booking-instance.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

/** What an instance prints when it has finished its measured conversations. */
export interface InstanceReport {
  turns: number;
  elapsedMs: number;
  latencies: number[];
}


/** A booking-instance process: ready once warmed up, measured from `start()` until `done`. */
interface Instance {
  ready: Promise<void>;
  done: Promise<InstanceReport>;
  exited: Promise<void>;
  start(): void;
  kill(): void;
}

/** `floor`: the measured turns commit nothing, each waits for a bare round trip instead. */
type InstanceMode = 'store' | 'floor';

function spawnInstance(url: string, prefix: string, conversations: number, mode: InstanceMode): Instance {
  const child = spawn(process.execPath, [TSX, INSTANCE, url, prefix, String(conversations), String(WARM_UP_CONVERSATIONS), ...(mode === 'floor' ? ['floor'] : [])], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.on('error', () => undefined); // a crashed instance is reported through `exited`
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    // 'close', not 'exit': stdout has been read to its end by then.
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`booking instance ${prefix} exited ${code ?? signal}: ${stderr.trim()}`)),
    );
  });
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line === 'READY') resolve();
    });
    exited.then(() => reject(new Error(`booking instance ${prefix} exited before READY`)), reject);
  });
  const done = new Promise<InstanceReport>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('DONE ')) resolve(JSON.parse(line.slice(5)) as InstanceReport);
    });
    exited.then(() => reject(new Error(`booking instance ${prefix} exited without a report`)), reject);
  });
  // Settled promises ignore later rejections; these keep an early failure from being unhandled.
  for (const p of [ready, done, exited]) p.catch(() => undefined);
  return {
    ready,
    done,
    exited,
    start: () => child.stdin.end('START\n'),
    kill: () => {
      if (child.exitCode === null) child.kill();
    },
  };
}

/**
 * `instances` processes on the database at `url`, each doing `conversations` conversations after
 * its warm-up, all started together once every one is ready. Checks every booking was stored
 * (in `floor` mode only the warm-up's).
 */
async function runInstances(url: string, instances: number, conversations: number, trial: number, mode: InstanceMode = 'store'): Promise<TurnFigures & { perInstance: TurnFigures[] }> {
  const running = Array.from({ length: instances }, (_, i) => spawnInstance(url, `t${trial}i${i + 1}-`, conversations, mode));
  try {
    await Promise.all(running.map((r) => r.ready));
    const start = performance.now();
    for (const r of running) r.start();
    const reports = await Promise.all(running.map((r) => r.done));
    const wall = performance.now() - start;
    await Promise.all(running.map((r) => r.exited));
    await expectBookings(url, trial * instances * ((mode === 'floor' ? 0 : conversations) + WARM_UP_CONVERSATIONS));
    return {
      ...figures(instances * conversations, reports.flatMap((r) => r.latencies), wall),
      perInstance: reports.map((r) => figures(conversations, r.latencies, r.elapsedMs)),
    };
  } finally {
    for (const r of running) r.kill();
  }
}

async function expectBookings(url: string, expected: number): Promise<void> {
  const db = openDb({ url, poolSize: 1, synchronousCommit: PG_SYNCHRONOUS_COMMIT });
  try {
    const booked = await db.booking.count();
    if (booked !== expected) throw new Error(`expected ${expected} bookings in ${redactUrl(url)}, found ${booked}`);
  } finally {
    await db.$disconnect();
  }
}

function withoutInstances({ perInstance: _, ...rest }: TurnFigures & { perInstance: TurnFigures[] }): TurnFigures {
  return rest;
}

/**
 * Runs of each PostgreSQL configuration (`BENCH_PG_TRIALS`, default 3), each in new processes; the
 * figures are the median run's. One instance waiting on every round trip is at the mercy of where
 * the scheduler puts it and the server's process: on this 2-vCPU machine a round trip took
 * 0.06 ms with both on one CPU and 0.15 ms across the two, so single runs differed by 2 ×.
 */
const PG_TRIALS = Math.max(1, Number(process.env.BENCH_PG_TRIALS ?? 3));

/** The run with the median turns/s. */
function median<T extends TurnFigures>(runs: T[]): T {
  const sorted = [...runs].sort((a, b) => a.turnsPerSecond - b.turnsPerSecond);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!middle) throw new Error('no runs');
  return middle;
}

/** The median of each run's turns/s over its paired SQLite run's. */
function medianRatio(runs: TurnFigures[], sqlite: TurnFigures[]): number {
  const ratios = runs.map((r, i) => r.turnsPerSecond / (sqlite[i]?.turnsPerSecond ?? Number.NaN)).sort((a, b) => a - b);
  return ratios[Math.floor((ratios.length - 1) / 2)] ?? Number.NaN;
}

/** Median of 2,000 `SELECT 1` round trips on one connection to `url`, after 200 to warm up. */
async function roundTrip(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const times: number[] = [];
    for (let i = 0; i < 2200; i += 1) {
      const t0 = performance.now();
      await client.query({ name: 'round-trip', text: 'SELECT 1' });
      if (i >= 200) times.push(performance.now() - t0);
    }
    return percentile(times.sort((a, b) => a - b), 50);
  } finally {
    await client.end();
  }
}

/** Transactions committed and rolled back in the database `name` so far (its backends' exits flush them). */
async function transactions(url: string, name: string): Promise<number> {
  const [row] = await adminQuery<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1', [name], url);
  return Number(row?.n ?? 0);
}

/**
 * PostgreSQL with one and with two instances, each on its own copy of a freshly migrated
 * database (dropped afterwards); figures as ratios to the same instance script on a copy of the
 * SQLite `template`, run in turns with them.
 */
async function benchPostgres(options: PostgresBenchOptions, template: string): Promise<PostgresBookingResult> {
  const problem = await postgresProblem(options.url);
  if (problem) return { skipped: true, reason: `${redactUrl(options.url)} unreachable: ${problem}` };
  const base = `jz_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const names = { template: `${base}_tpl`, one: `${base}_1`, two: `${base}_2`, floor: `${base}_floor` };
  const created: string[] = [];
  try {
    await adminQuery(`CREATE DATABASE "${names.template}"`, [], options.url);
    created.push(names.template);
    await migrateDatabase({ url: withDatabase(options.url, names.template) });
    for (const name of [names.one, names.two, names.floor]) {
      await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${names.template}"`, [], options.url);
      created.push(name);
    }
    const roundTripMs = await roundTrip(withDatabase(options.url, names.one));
    const before = await transactions(options.url, names.one);
    const ones: Awaited<ReturnType<typeof runInstances>>[] = [];
    const floors: Awaited<ReturnType<typeof runInstances>>[] = [];
    const sqlites: Awaited<ReturnType<typeof runInstances>>[] = [];
    const sqliteUrl = `file:${copyOf(template)}`;
    // Taken in turns, so SQLite, PostgreSQL and its floor see the machine alike.
    for (let trial = 1; trial <= PG_TRIALS; trial += 1) {
      sqlites.push(await runInstances(sqliteUrl, 1, options.conversations, trial));
      ones.push(await runInstances(withDatabase(options.url, names.one), 1, options.conversations, trial));
      floors.push(await runInstances(withDatabase(options.url, names.floor), 1, options.conversations, trial, 'floor'));
    }
    const transactionsPerTurn = ((await transactions(options.url, names.one)) - before) / (PG_TRIALS * (options.conversations + WARM_UP_CONVERSATIONS) * TURNS_PER_CONVERSATION);
    const twos: Awaited<ReturnType<typeof runInstances>>[] = [];
    for (let trial = 1; trial <= PG_TRIALS; trial += 1) twos.push(await runInstances(withDatabase(options.url, names.two), 2, options.conversations, trial));
    const one = median(ones);
    const two = median(twos);
    const floor = median(floors);
    const sqlite = median(sqlites);
    return {
      skipped: false,
      server: redactUrl(options.url),
      sqlite: { ...withoutInstances(sqlite), trials: sqlites.map((r) => r.turnsPerSecond) },
      oneInstance: { ...withoutInstances(one), vsSqlite: medianRatio(ones, sqlites), transactionsPerTurn, trials: ones.map((r) => r.turnsPerSecond) },
      roundTripMs,
      floor: { ...withoutInstances(floor), vsSqlite: medianRatio(floors, sqlites), trials: floors.map((r) => r.turnsPerSecond) },
      twoInstances: {
        ...two,
        vsSqlite: two.turnsPerSecond / sqlite.turnsPerSecond,
        vsOneInstance: two.turnsPerSecond / one.turnsPerSecond,
        trials: twos.map((r) => r.turnsPerSecond),
      },
    };
  } finally {
    for (const name of created.reverse()) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, [], options.url);
  }
}
