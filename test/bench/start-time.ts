/**
 * Start time (issue 18): from spawning the process to accepting messages, for the built
 * `node dist/src/main.js` (after `npm run build`, which this runs) and for `npm start` (tsx). The
 * mark is the line main.ts prints once the adapters and the background work are started and the
 * console chat reads its first message ("Type a message as a customer"): with no platform
 * configured the bot serves the console. Each is started on an already migrated SQLite file (the
 * first start of a new file, which migrates it, is shown apart), median of five.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What main.ts prints when it accepts messages on the console. */
const READY = 'Type a message as a customer';
const RUNS = 5;

export interface StartTimeResult {
  /** `node dist/src/main.js`, ms (median), and the first start on a new file. */
  built: { ms: number; firstMs: number } | { skipped: string };
  /** `npm start`, ms (median). */
  npmStart: { ms: number };
}

/** ms from spawn until the ready line; the process is then closed (end of stdin quits the console). */
async function startOnce(command: string, args: string[], databaseUrl: string): Promise<number> {
  const t0 = performance.now();
  // Settings come from the environment alone: no platform, the console on the given file.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' };
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  const ms = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes(READY)) resolve(performance.now() - t0);
    });
    child.on('close', (code) => reject(new Error(`${command} ${args.join(' ')} exited ${code} before accepting messages: ${stderr.trim()}`)));
  });
  child.stdin.end();
  await new Promise((resolve) => child.on('close', resolve));
  return ms;
}

async function median(command: string, args: string[], databaseUrl: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) times.push(await startOnce(command, args, databaseUrl));
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? 0;
}

export async function benchStartTime(): Promise<StartTimeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'jz-bench-start-'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  let built: StartTimeResult['built'];
  if (build.status === 0) {
    const url = `file:${join(dir, 'built.db')}`;
    const firstMs = await startOnce(process.execPath, ['dist/src/main.js'], url);
    built = { ms: await median(process.execPath, ['dist/src/main.js'], url), firstMs };
  } else {
    built = { skipped: `npm run build failed: ${`${build.stdout}${build.stderr}`.trim().split('\n').at(-1) ?? ''}` };
  }
  const url = `file:${join(dir, 'npm.db')}`;
  await startOnce(npm, ['start'], url);
  return { built, npmStart: { ms: await median(npm, ['start'], url) } };
}
