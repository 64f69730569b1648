/**
 * `npm run bench:profile`: where a booking turn's time goes on SQLite (issue 18). Runs the booking
 * conversations of the bench (test/bench/booking.ts) under V8's sampling profiler (the same
 * profile `node --cpu-prof` writes; also saved as a .cpuprofile to open in Chrome's DevTools) and
 * an event-loop delay histogram (`perf_hooks.monitorEventLoopDelay`), then prints the main
 * thread's busy time by part: NLU, flows and rules, state serialisation and validation, Prisma's
 * query compiler and its client, SQLite (the driver and the statements' own work), the WAL
 * checkpoint, GC, and the rest. Environment: BENCH_PROFILE_CONVERSATIONS (default 500).
 * `npm run bench:profile -- <file.cpuprofile> <turns>` prints the same for a saved profile.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { migrateDatabase } from '../../src/store/migrate.ts';
import { openDb } from '../../src/store/db.ts';
import { bookingConversations, TURNS_PER_CONVERSATION, WARM_UP_CONVERSATIONS } from './booking.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** The part of a turn a frame belongs to, by its source file (or, for native frames, its caller's). */
function part(frame: ProfileNode['callFrame']): string | undefined {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle (waiting)';
  if (url === 'node:inspector') return 'profiler';
  if (/checkpoint/i.test(functionName)) return 'WAL checkpoint';
  if (/src\/domain\/nlu/.test(url)) return 'NLU';
  if (/src\/core\/(flows|commands|turn|intents|actions|flow)|src\/domain|src\/i18n|src\/features/.test(url)) return 'flows and rules';
  if (/src\/contracts\/state|zod/.test(url) || (!url && /stringify|parse/i.test(functionName))) return 'state: JSON and validation';
  // The query compiler is WebAssembly (wasm:// frames) inside @prisma/client.
  if (/query_compiler|query-compiler|\.wasm|^wasm:/.test(url)) return "Prisma's query compiler";
  if (/better-sqlite3|adapter-better-sqlite3|src\/store\/sqlite-adapter/.test(url)) return 'SQLite (driver and statements)';
  if (/@prisma\/|generated\/prisma/.test(url)) return "Prisma's client runtime";
  if (/src\/store/.test(url)) return 'store';
  if (/src\/core\/engine|src\/lib|src\/contracts/.test(url)) return 'engine';
  if (/luxon/.test(url)) return 'flows and rules';
  if (/test\/bench/.test(url)) return 'bench driver';
  if (!url || url.startsWith('node:')) return undefined;
  return 'other';
}

export interface ProfileResult {
  turns: number;
  turnsPerSecond: number;
  /** ms of main-thread time per part, busy parts only, largest first. */
  parts: { part: string; ms: number; share: number }[];
  eventLoopDelay: { p50Ms: number; p99Ms: number; maxMs: number };
  file: string;
}

export async function profileTurns(conversations: number): Promise<ProfileResult> {
  const dir = mkdtempSync(join(tmpdir(), 'jz-bench-profile-'));
  const url = `file:${join(dir, 'bench.db')}`;
  await migrateDatabase({ url });
  const db = openDb({ url });
  const converse = bookingConversations(db, '', { yieldBetweenTurns: true });
  for (let i = 0; i < WARM_UP_CONVERSATIONS; i += 1) await converse(`warm-${i}`);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  await session.post('Profiler.start');
  const start = performance.now();
  for (let i = 0; i < conversations; i += 1) await converse(`user-${i}`);
  const elapsed = performance.now() - start;
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  delay.disable();
  session.disconnect();
  await db.$disconnect();
  const file = join(dir, 'booking.cpuprofile');
  writeFileSync(file, JSON.stringify(profile));
  const turns = conversations * TURNS_PER_CONVERSATION;
  return {
    turns,
    turnsPerSecond: turns / (elapsed / 1000),
    parts: summarize(profile),
    eventLoopDelay: { p50Ms: delay.percentile(50) / 1e6, p99Ms: delay.percentile(99) / 1e6, maxMs: delay.max / 1e6 },
    file,
  };
}

type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** Main-thread busy time of a profile by part, largest first. */
function summarize(profile: Profile): ProfileResult['parts'] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const partOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = partOf.get(id);
    if (known) return known;
    const node = nodes.get(id);
    const up = parent.get(id);
    const found = (node && part(node.callFrame)) ?? (up === undefined ? 'node internals' : resolve(up));
    partOf.set(id, found);
    return found;
  };
  const ms = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const p = resolve(id);
    ms.set(p, (ms.get(p) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  ms.delete('idle (waiting)');
  ms.delete('profiler');
  const busy = [...ms.values()].reduce((a, b) => a + b, 0);
  return [...ms].map(([p, t]) => ({ part: p, ms: t, share: t / busy })).sort((a, b) => b.ms - a.ms);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `npm run bench:profile -- <file.cpuprofile> <turns>` reads a saved profile again.
  const [saved, savedTurns] = process.argv.slice(2);
  const result: ProfileResult = saved
    ? { turns: Number(savedTurns), turnsPerSecond: Number.NaN, parts: summarize(JSON.parse(readFileSync(saved, 'utf8')) as Profile), eventLoopDelay: { p50Ms: Number.NaN, p99Ms: Number.NaN, maxMs: Number.NaN }, file: saved }
    : await profileTurns(Number(process.env.BENCH_PROFILE_CONVERSATIONS ?? 500));
  const f = (n: number, d = 1) => n.toFixed(d);
  process.stdout.write(
    [
      `booking turns on SQLite under the profiler: ${result.turns} turns${saved ? '' : `, ${f(result.turnsPerSecond, 0)} turns/s (the profiler slows them)`}`,
      `main thread, per turn (µs) and share of busy time:`,
      ...result.parts.map((p) => `  ${p.part.padEnd(34)} ${f((p.ms * 1000) / result.turns).padStart(7)} µs   ${f(p.share * 100).padStart(5)} %`),
      ...(saved ? [] : [`event-loop delay: p50 ${f(result.eventLoopDelay.p50Ms, 2)} ms   p99 ${f(result.eventLoopDelay.p99Ms, 2)} ms   max ${f(result.eventLoopDelay.maxMs, 2)} ms`]),
      `profile: ${result.file}`,
      '',
    ].join('\n'),
  );
}
