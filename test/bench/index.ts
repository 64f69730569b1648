/**
 * `npm run bench`: every benchmark, printed as figures and as ratios to a baseline measured in the
 * same run. `npm run bench -- --json` prints one JSON object instead.
 * `npm run bench -- --turns` runs only the turn figures of issue 18 (the peer, booking turns on
 * both databases, 1,000 customers at once, start time).
 * Environment: BENCH_CONVERSATIONS (SQLite booking and the peer, default 1000), BENCH_PG_URL
 * (PostgreSQL server for the booking figures, default postgresql://postgres@127.0.0.1:5432/postgres),
 * BENCH_PG_CONVERSATIONS (per PostgreSQL instance, default 500), BENCH_PG_TRIALS (runs of each
 * PostgreSQL configuration, the median shown, default 3), BENCH_CUSTOMERS (at once, default
 * 1000), BENCH_DRAIN (default 1000), BENCH_PG_SYNCHRONOUS_COMMIT (`records`, the bot's default,
 * `on` or `off`, as POSTGRES_SYNCHRONOUS_COMMIT; printed with the PostgreSQL figures).
 */
import { cpus, loadavg } from 'node:os';
import { benchBooking, PG_SYNCHRONOUS_COMMIT, WARM_UP_CONVERSATIONS, type BookingBenchResult } from './booking.ts';
import { benchConcurrency, type ConcurrencyFigures } from './concurrency.ts';
import { benchPeer } from './peer.ts';
import { benchStartTime, type StartTimeResult } from './start-time.ts';
import { benchSurveySweep } from './survey-sweep.ts';
import { benchTelegramDrain } from './telegram-drain.ts';
import { benchReports } from './report.ts';
import { benchNlu } from './nlu.ts';

const json = process.argv.includes('--json');
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;

const turnsOnly = process.argv.includes('--turns');
const pgUrl = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 1000);

// The peer runs right before our SQLite figures, so both see the same machine.
const peer = await benchPeer(conversations, WARM_UP_CONVERSATIONS);
const booking = await benchBooking(conversations, { url: pgUrl, conversations: Number(process.env.BENCH_PG_CONVERSATIONS ?? 500) });
const atOnce = await benchConcurrency(Number(process.env.BENCH_CUSTOMERS ?? 1000), pgUrl);
const start = await benchStartTime();
const sweep = turnsOnly ? [] : await benchSurveySweep();
const drain = turnsOnly ? undefined : await benchTelegramDrain(Number(process.env.BENCH_DRAIN ?? 1000));
const reports = turnsOnly ? undefined : await benchReports();
const nlu = benchNlu();

/** `met` or `missed` next to a figure and its target. */
function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

/** The lines of issue 18's targets: booking turns against the peer, start time, 1,000 at once. */
function turnLines(f: (n: number, d?: number) => string): string[] {
  const tps = (n: number) => Math.round(n).toLocaleString('en');
  const vsPeer = peer.skipped ? undefined : booking.turnsPerSecond / peer.turnsPerSecond;
  const pg = booking.postgres;
  const atOnceLine = (name: string, r: ConcurrencyFigures) =>
    `  ${name.padEnd(16)} ${tps(r.turnsPerSecond)} turns/s   p50 ${f(r.p50Ms, 1)} ms   p99 ${f(r.p99Ms, 1)} ms   errors shown to customers ${r.errors} (target 0: ${verdict(r.errors === 0)})   bookings stored ${r.bookings}`;
  const startLine = (s: StartTimeResult) => [
    'ms' in s.built
      ? `  node dist/src/main.js  ${f(s.built.ms, 0)} ms (target ≤ 1000: ${verdict(s.built.ms <= 1000)}); first start on a new file (migrates it) ${f(s.built.firstMs, 0)} ms`
      : `  node dist/src/main.js  skipped: ${s.built.skipped}`,
    `  npm start              ${f(s.npmStart.ms, 0)} ms (target ≤ 3000: ${verdict(s.npmStart.ms <= 3000)})`,
  ];
  return [
    'turn figures (issue 18), each next to its target; the peer measured in the same run',
    peer.skipped
      ? `  peer             skipped: ${peer.reason}`
      : `  peer             ${tps(peer.turnsPerSecond)} turns/s   p50 ${f(peer.p50Ms, 3)} ms   p99 ${f(peer.p99Ms, 3)} ms   mean ${f(peer.meanMs, 3)} ms   (${peer.name}, same seven turns, no persistence)`,
    `  SQLite           ${tps(booking.turnsPerSecond)} turns/s = ${vsPeer === undefined ? '? (no peer)' : `${f(vsPeer)} × the peer`}   (target ≥ 0.5 ×: ${vsPeer === undefined ? 'unknown' : verdict(vsPeer >= 0.5)}; moonshot 1.0 ×: ${vsPeer === undefined ? 'unknown' : verdict(vsPeer >= 1)})`,
    `                   p99 ${f(booking.p99Ms, 3)} ms (target ≤ 5: ${verdict(booking.p99Ms <= 5)})   mean ${f(booking.meanMs, 3)} ms = ${f(booking.meanMs / booking.p50Ms)} × p50 ${f(booking.p50Ms, 3)} ms (target ≤ 1.5: ${verdict(booking.meanMs <= 1.5 * booking.p50Ms)})`,
    ...(pg.skipped
      ? [`  PostgreSQL       skipped: ${pg.reason}`]
      : [
          `  PostgreSQL, 1    ${tps(pg.oneInstance.turnsPerSecond)} turns/s = ${f(pg.oneInstance.vsSqlite)} × SQLite in the same harness, ${tps(pg.sqlite.turnsPerSecond)} turns/s (target ≥ 0.5: ${verdict(pg.oneInstance.vsSqlite >= 0.5)})   POSTGRES_SYNCHRONOUS_COMMIT = ${PG_SYNCHRONOUS_COMMIT}${PG_SYNCHRONOUS_COMMIT === 'records' ? ' (the default)' : ' (not the default)'}`,
          `    its floor      ${tps(pg.floor.turnsPerSecond)} turns/s = ${f(pg.floor.vsSqlite)} × SQLite: the same instance with every turn's commit a bare SELECT 1 (one round trip a turn, nothing stored)${pg.floor.vsSqlite < 0.5 ? '; below 0.5, the target is out of reach of any store on this machine' : ''}`,
          `  PostgreSQL, 2    ${tps(pg.twoInstances.turnsPerSecond)} turns/s = ${f(pg.twoInstances.vsOneInstance)} × one instance (target ≥ 1.7: ${verdict(pg.twoInstances.vsOneInstance >= 1.7)})`,
        ]),
    `${Number(process.env.BENCH_CUSTOMERS ?? 1000).toLocaleString('en')} customers writing at once (a booking conversation each, turns interleaved, one process; a turn's latency includes its wait)`,
    atOnceLine('SQLite', atOnce.sqlite),
    atOnce.postgres.skipped ? `  PostgreSQL       skipped: ${atOnce.postgres.reason}` : atOnceLine('PostgreSQL', atOnce.postgres),
    'start time, from the process start to accepting messages (median of 5, on a migrated SQLite file)',
    ...startLine(start),
  ];
}

/** The PostgreSQL booking lines: figures with ratios, or why they were skipped. */
function postgresLines(result: BookingBenchResult['postgres'], f: (n: number, d?: number) => string): string[] {
  if (result.skipped) return [`booking turns on PostgreSQL: skipped (${result.reason})`];
  const { oneInstance: one, twoInstances: two } = result;
  const tps = (n: number) => Math.round(n).toLocaleString('en');
  return [
    `booking turns on PostgreSQL (${result.server}, POSTGRES_SYNCHRONOUS_COMMIT = ${PG_SYNCHRONOUS_COMMIT}; same conversations, ${one.conversations} per instance, one after another in each)`,
    `  SQLite, same harness ${tps(result.sqlite.turnsPerSecond)} turns/s   p50 ${f(result.sqlite.p50Ms, 3)} ms   p99 ${f(result.sqlite.p99Ms, 3)} ms   (the instance script on a SQLite file, run before each PostgreSQL run: ${result.sqlite.trials.map(tps).join(', ')} turns/s; the ratios below are to it)`,
    `  1 instance       ${tps(one.turnsPerSecond)} turns/s (${f(one.vsSqlite)} × SQLite, the median of each run's ratio to the SQLite run before it)   p50 ${f(one.p50Ms, 3)} ms   p99 ${f(one.p99Ms, 3)} ms   (median of runs at ${one.trials.map(tps).join(', ')} turns/s)`,
    `                   ${f(one.transactionsPerTurn)} statements per turn (each its own transaction, one round trip)   a round trip (SELECT 1, p50) ${f(result.roundTripMs, 3)} ms`,
    `  floor            ${tps(result.floor.turnsPerSecond)} turns/s (${f(result.floor.vsSqlite)} × SQLite)   p50 ${f(result.floor.p50Ms, 3)} ms   p99 ${f(result.floor.p99Ms, 3)} ms   (each turn's commit a bare SELECT 1; median of runs at ${result.floor.trials.map(tps).join(', ')} turns/s)`,
    `  2 instances      ${tps(two.turnsPerSecond)} turns/s (${f(two.vsOneInstance)} × one PostgreSQL instance, ${f(two.vsSqlite)} × SQLite)   p50 ${f(two.p50Ms, 3)} ms   p99 ${f(two.p99Ms, 3)} ms   (median of runs at ${two.trials.map(tps).join(', ')} turns/s)`,
    ...two.perInstance.map(
      (r, i) => `    instance ${i + 1}     ${tps(r.turnsPerSecond)} turns/s   p50 ${f(r.p50Ms, 3)} ms   p99 ${f(r.p99Ms, 3)} ms`,
    ),
    '  (2 instances: two processes on one database, turns/s = both instances\' turns ÷ wall time from a common start; each configuration run BENCH_PG_TRIALS times in new processes, the median run shown)',
  ];
}

/** The figures of the other issues (sweep, drain, reports); none with `--turns`. */
function otherLines(f: (n: number, d?: number) => string): string[] {
  if (!drain || !reports) return [];
  return [
    'survey sweep: a batch of 200 due surveys (1 % of completed bookings due), median of 20',
    ...sweep.map(
      (r) =>
        `  ${String(r.bookings).padStart(9)} bookings   load ${f(r.loadMs, 3)} ms   find ${f(r.indexedMs, 3)} ms by index vs ${f(r.scanMs, 3)} ms by scan (${f(r.scanMs / r.indexedMs, 1)}×)`,
    ),
    `  1,000,000 ÷ 10,000   load ${f((sweep.at(-1)?.loadMs ?? 0) / (sweep[0]?.loadMs ?? 1))}×, find ${f((sweep.at(-1)?.indexedMs ?? 0) / (sweep[0]?.indexedMs ?? 1))}×   (target ≤ 3)`,
    '',
    `outbox drain to Telegram (fake Bot API enforcing 30/s overall, 1/s per chat): ${drain.messages} messages to ${drain.messages} chats`,
    `  drain time       ${f(drain.seconds)} s   theoretical minimum ${f(drain.theoreticalSeconds)} s   ratio ${f(drain.ratio)}`,
    `  429 answers      ${drain.http429}`,
    '',
    `reports: ${reports.complaints.toLocaleString('en')} complaints and ${reports.callbacks.toLocaleString('en')} callbacks in the database (${reports.monthComplaints.toLocaleString('en')} in the month)`,
    `  month's figures  ${f(reports.figuresMs, 1)} ms   (target < 1000)`,
    `  chart (PNG)      ${f(reports.chartMs, 1)} ms`,
    `  spreadsheet      ${f(reports.workbookMs, 1)} ms for ${reports.workbookRows.toLocaleString('en')} complaints and ${reports.workbookRows.toLocaleString('en')} callbacks`,
    '',
  ];
}

if (json) {
  process.stdout.write(`${JSON.stringify({ machine, peer, booking, atOnce, start, sweep, drain, reports, nlu }, null, 2)}\n`);
} else {
  const f = (n: number, d = 2) => n.toFixed(d);
  process.stdout.write(
    [
      `machine: ${machine}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end`,
      '',
      ...turnLines(f),
      '',
      `booking turns on SQLite (${booking.conversations} complete conversations, ${booking.turns} turns, one after another)`,
      `  turns/s          ${f(booking.turnsPerSecond, 0)}`,
      `  p50 turn         ${f(booking.p50Ms, 3)} ms`,
      `  p99 turn         ${f(booking.p99Ms, 3)} ms   (target ≤ 5)`,
      `  mean turn        ${f(booking.meanMs, 3)} ms`,
      `  by turn          ${booking.byTurn.map((t, i) => `${i + 1}: ${f(t.p50Ms, 3)}/${f(t.meanMs, 3)}`).join('   ')}   (p50/mean ms; 1 first contact, 7 confirmation)`,
      `  baseline         ${f(booking.baselineMsPerTurn, 3)} ms per turn for the same writes as plain Prisma calls (18 per booking)`,
      `  ratio            ${f(booking.ratio)} × baseline   (target ≤ 2)`,
      '',
      ...postgresLines(booking.postgres, f),
      '',
      ...otherLines(f),
      `understanding per message (${nlu.messages.toLocaleString('en')} corpus lines × 5, no large-model fallback)`,
      `  classifier       p50 ${f(nlu.classifier.p50Ms, 3)} ms   p99 ${f(nlu.classifier.p99Ms, 3)} ms   CPU time p50 ${f(nlu.classifier.cpuP50Ms, 3)} ms   p99 ${f(nlu.classifier.cpuP99Ms, 3)} ms   (target p99 < 0.5)`,
      `  keyword rules    p50 ${f(nlu.rules.p50Ms, 3)} ms   p99 ${f(nlu.rules.p99Ms, 3)} ms   CPU time p50 ${f(nlu.rules.cpuP50Ms, 3)} ms   p99 ${f(nlu.rules.cpuP99Ms, 3)} ms   (the rules before #12, same run)`,
      `  model load       ${f(nlu.loadMs, 1)} ms   (target < 1000)`,
      '',
    ].join('\n'),
  );
}
