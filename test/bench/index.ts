/**
 * `npm run bench`: every benchmark, printed as figures and as ratios to a baseline measured in the
 * same run. `npm run bench -- --json` prints one JSON object instead.
 * Environment: BENCH_CONVERSATIONS (SQLite booking, default 1000), BENCH_PG_URL (PostgreSQL server
 * for the booking figures, default postgresql://postgres@127.0.0.1:5432/postgres),
 * BENCH_PG_CONVERSATIONS (per PostgreSQL instance, default 500), BENCH_DRAIN (default 1000).
 */
import { cpus } from 'node:os';
import { benchBooking, type BookingBenchResult } from './booking.ts';
import { benchSurveySweep } from './survey-sweep.ts';
import { benchTelegramDrain } from './telegram-drain.ts';
import { benchReports } from './report.ts';
import { benchNlu } from './nlu.ts';

const json = process.argv.includes('--json');
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;

const booking = await benchBooking(Number(process.env.BENCH_CONVERSATIONS ?? 1000), {
  url: process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  conversations: Number(process.env.BENCH_PG_CONVERSATIONS ?? 500),
});
const sweep = await benchSurveySweep();
const drain = await benchTelegramDrain(Number(process.env.BENCH_DRAIN ?? 1000));
const reports = await benchReports();
const nlu = benchNlu();

/** The PostgreSQL booking lines: figures with ratios, or why they were skipped. */
function postgresLines(result: BookingBenchResult['postgres'], f: (n: number, d?: number) => string): string[] {
  if (result.skipped) return [`booking turns on PostgreSQL: skipped (${result.reason})`];
  const { oneInstance: one, twoInstances: two } = result;
  const tps = (n: number) => Math.round(n).toLocaleString('en');
  return [
    `booking turns on PostgreSQL (${result.server}; same conversations, ${one.conversations} per instance, one after another in each)`,
    `  1 instance       ${tps(one.turnsPerSecond)} turns/s (${f(one.vsSqlite)} × SQLite)   p50 ${f(one.p50Ms, 3)} ms   p99 ${f(one.p99Ms, 3)} ms`,
    `  2 instances      ${tps(two.turnsPerSecond)} turns/s (${f(two.vsOneInstance)} × one PostgreSQL instance, ${f(two.vsSqlite)} × SQLite)   p50 ${f(two.p50Ms, 3)} ms   p99 ${f(two.p99Ms, 3)} ms`,
    ...two.perInstance.map(
      (r, i) => `    instance ${i + 1}     ${tps(r.turnsPerSecond)} turns/s   p50 ${f(r.p50Ms, 3)} ms   p99 ${f(r.p99Ms, 3)} ms`,
    ),
    '  (2 instances: two processes on one database, turns/s = both instances\' turns ÷ wall time from a common start)',
  ];
}

if (json) {
  process.stdout.write(`${JSON.stringify({ machine, booking, sweep, drain, reports, nlu }, null, 2)}\n`);
} else {
  const f = (n: number, d = 2) => n.toFixed(d);
  process.stdout.write(
    [
      `machine: ${machine}`,
      '',
      `booking turns on SQLite (${booking.conversations} complete conversations, ${booking.turns} turns, one after another)`,
      `  turns/s          ${f(booking.turnsPerSecond, 0)}   (target ≥ 1000)`,
      `  p50 turn         ${f(booking.p50Ms, 3)} ms`,
      `  p99 turn         ${f(booking.p99Ms, 3)} ms   (target ≤ 5)`,
      `  baseline         ${f(booking.baselineMsPerTurn, 3)} ms per turn for the same writes as plain Prisma calls (18 per booking)`,
      `  ratio            ${f(booking.ratio)} × baseline   (target ≤ 2)`,
      '',
      ...postgresLines(booking.postgres, f),
      '',
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
      `understanding per message (${nlu.messages.toLocaleString('en')} corpus lines × 5, no large-model fallback)`,
      `  classifier       p50 ${f(nlu.classifier.p50Ms, 3)} ms   p99 ${f(nlu.classifier.p99Ms, 3)} ms   CPU time p50 ${f(nlu.classifier.cpuP50Ms, 3)} ms   p99 ${f(nlu.classifier.cpuP99Ms, 3)} ms   (target p99 < 0.5)`,
      `  keyword rules    p50 ${f(nlu.rules.p50Ms, 3)} ms   p99 ${f(nlu.rules.p99Ms, 3)} ms   CPU time p50 ${f(nlu.rules.cpuP50Ms, 3)} ms   p99 ${f(nlu.rules.cpuP99Ms, 3)} ms   (the rules before #12, same run)`,
      `  model load       ${f(nlu.loadMs, 1)} ms   (target < 1000)`,
      '',
    ].join('\n'),
  );
}
