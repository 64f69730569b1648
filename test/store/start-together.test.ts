/**
 * Processes starting on one SQLite file, as real processes: several starting together, and one
 * starting while another holds the file open (`npm start` running, then `npm run chat -- --room
 * managers` in a second terminal). Checking and applying migrations waits for the other
 * processes, or skips when nothing is pending, and never fails because the file is open elsewhere.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { listMigrationNames } from '../../prisma/tools/engine.ts';
import { MIGRATIONS_DIRS } from '../../src/store/migrate.ts';
import { TEST_DIALECT } from '../support/database.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const HOLDER = join(ROOT, 'test/support/holder.ts');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function freshFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jz-start-'));
  dirs.push(dir);
  return join(dir, 'bot.db');
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnCommand(script: string, args: string[], file: string) {
  const child = spawn(process.execPath, [TSX, join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${file}`, LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exit = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, exit };
}

/** Runs a command of the project to its end (stdin closed at once) on the database `file`. */
function runCommand(script: string, args: string[], file: string): Promise<Exit> {
  const { child, exit } = spawnCommand(script, args, file);
  child.stdin.end();
  return exit;
}

/**
 * Starts a customer chat on `file` that says 你好 and keeps serving (stdin open): `served`
 * resolves at its first reply (or its exit), `stop()` closes its input and waits for its exit.
 */
function serveChat(user: string, file: string) {
  const { child, exit } = spawnCommand('src/cli/chat.ts', ['--user', user], file);
  child.stdin.write('你好\n');
  const served = new Promise<void>((resolve) => {
    child.stdout.once('data', () => resolve());
    void exit.then(() => resolve());
  });
  return {
    served,
    stop: () => {
      child.stdin.end();
      return exit;
    },
  };
}

/** Starts a process that holds `file` open until its stdin closes; resolves once it is holding. */
function holdOpen(file: string): Promise<{ release: () => Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [TSX, HOLDER, `file:${file}`], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('READY\n')) {
        resolve({
          release: () => {
            child.stdin.end();
            return exited;
          },
        });
      }
    });
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`holder exited ${code} before holding the file: ${stderr}`)));
  });
}

function appliedMigrations(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (
      db.prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name').all() as Array<{
        migration_name: string;
      }>
    ).map((r) => r.migration_name);
  } finally {
    db.close();
  }
}

const failures = (exits: Exit[]) => exits.filter((e) => e.code !== 0).map((e) => `exit ${e.code}: ${e.stderr.trim()}`);

describe.runIf(TEST_DIALECT === 'sqlite')('processes starting on one SQLite file', () => {
  it('four starting together on a new file all serve, and each migration is applied once', async () => {
    const file = freshFile();
    const chats = [1, 2, 3, 4].map((i) => serveChat(`u${i}`, file));
    // All four serve at the same time: each keeps the file open while the others start.
    await Promise.all(chats.map((c) => c.served));
    const exits = await Promise.all(chats.map((c) => c.stop()));
    expect(failures(exits)).toEqual([]);
    for (const e of exits) expect(e.stdout).toContain('1. 预约服务');
    expect(appliedMigrations(file)).toEqual(await listMigrationNames(MIGRATIONS_DIRS.sqlite));
  }, 120_000);

  it('a fifth starts while another process serves on the file (the README\'s second terminal)', async () => {
    const file = freshFile();
    expect(failures([await runCommand('src/cli/migrate.ts', [], file)])).toEqual([]);
    const server = await holdOpen(file);
    try {
      const chat = await runCommand('src/cli/chat.ts', ['--room', 'managers'], file);
      expect(failures([chat])).toEqual([]);
      const migrate = await runCommand('src/cli/migrate.ts', [], file);
      expect(failures([migrate])).toEqual([]);
      expect(migrate.stdout).toContain('Database is up to date');
    } finally {
      expect(await server.release()).toBe(0);
    }
  }, 120_000);

  it('pending migrations are applied while another process has the file open', async () => {
    const file = freshFile();
    const server = await holdOpen(file); // opens (and creates) the file before any migration
    try {
      const migrate = await runCommand('src/cli/migrate.ts', [], file);
      expect(failures([migrate])).toEqual([]);
      expect(appliedMigrations(file)).toEqual(await listMigrationNames(MIGRATIONS_DIRS.sqlite));
    } finally {
      expect(await server.release()).toBe(0);
    }
  }, 120_000);
});
