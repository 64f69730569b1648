/**
 * A database the configuration points at wrongly stops the start with one line naming the path
 * (or database) and the fix, and exit code 2: real processes, as a newcomer meets them.
 *
 * Tests may run as root, where file modes do not stop writes: the cases that rely on modes then
 * run their process as the unprivileged user `nobody` (uid 65534) instead.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/env.ts';
import { adminQuery, freshDatabase, PG_TEST_URL, postgresGate, RUN_PREFIX, TEST_DIALECT, withDatabase } from '../support/database.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const AS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) {
    chmodTree(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

function chmodTree(dir: string): void {
  try {
    chmodSync(dir, 0o755);
  } catch {
    // already gone
  }
}

/** A temporary directory any user can enter (so `nobody` can reach what is inside). */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jz-dberr-'));
  chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}

/**
 * Starts `script` (a customer chat by default, its input closed at once) with `env`; with
 * `unprivileged`, as `nobody` when the tests run as root.
 */
function start(env: Record<string, string>, opts: { script?: string; unprivileged?: boolean } = {}) {
  const drop = opts.unprivileged && AS_ROOT ? { uid: NOBODY, gid: NOBODY } : {};
  const result = spawnSync(process.execPath, [TSX, join(ROOT, opts.script ?? 'src/cli/chat.ts')], {
    cwd: ROOT,
    input: '',
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    timeout: 60_000,
    ...drop,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Exit code 2 and exactly one line on stderr, containing every one of `parts`. */
function expectOneLine(out: { code: number | null; stderr: string }, ...parts: string[]): void {
  expect(out.stderr.trim().split('\n'), out.stderr).toHaveLength(1);
  for (const part of parts) expect(out.stderr).toContain(part);
  expect(out.code).toBe(2);
}

describe.runIf(TEST_DIALECT === 'sqlite')('a SQLite path the process cannot use', () => {
  it('an unwritable data directory: names it and says to make it writable or set DATABASE_URL', () => {
    const dir = tempDir();
    const parent = join(dir, 'locked');
    mkdirSync(parent);
    chmodSync(parent, 0o555);
    const out = start({ DATABASE_URL: `file:${join(parent, 'data', 'bot.db')}` }, { unprivileged: true });
    expectOneLine(out, `Cannot create data directory ${join(parent, 'data')}: permission denied`, 'writable by this user', 'DATABASE_URL');
  }, 60_000);

  it('a data directory that is a file: names it', () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const out = start({ DATABASE_URL: `file:${join(file, 'bot.db')}` });
    expectOneLine(out, `Cannot create data directory ${file}: part of the path is a file`, 'DATABASE_URL');
  }, 60_000);

  it('an existing database in a read-only directory: names the directory (SQLite writes its journal there)', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    mkdirSync(data);
    const file = join(data, 'bot.db');
    copyFileSync((await freshDatabase()).slice('file:'.length), file);
    chmodSync(file, 0o666);
    chmodSync(data, 0o555);
    const out = start({ DATABASE_URL: `file:${file}` }, { unprivileged: true });
    expectOneLine(out, `Data directory ${data} is not writable: permission denied`, 'DATABASE_URL');
  }, 60_000);

  it('a read-only database file: names it and says to make it writable (not "disk I/O error")', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o777);
    const file = join(dir, 'bot.db');
    copyFileSync((await freshDatabase()).slice('file:'.length), file);
    chmodSync(file, 0o444);
    const out = start({ DATABASE_URL: `file:${file}` }, { unprivileged: true });
    expectOneLine(out, `Database file ${file} is read-only`, 'readable and writable by this user', 'DATABASE_URL');
  }, 60_000);

  it('a path that is a directory: names it', () => {
    const dir = tempDir();
    const out = start({ DATABASE_URL: `file:${dir}` });
    expectOneLine(out, `Cannot open database ${dir}: it is a directory`, 'DATABASE_URL');
  }, 60_000);

  it('a file that is not a database: names it', () => {
    const dir = tempDir();
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'these are not the tables you are looking for\n'.repeat(100));
    const out = start({ DATABASE_URL: `file:${file}` });
    expectOneLine(out, `Cannot open database ${file}: file is not a database`, 'DATABASE_URL');
  }, 60_000);
});

describe('DATABASE_CREATE', () => {
  it('defaults to true for a PostgreSQL server on this machine only', () => {
    const create = (env: Record<string, string>) => loadSettings(env).env.DATABASE_CREATE;
    expect(create({ DATABASE_URL: 'postgresql://u@localhost:5432/bot' })).toBe(true);
    expect(create({ DATABASE_URL: 'postgresql://u@127.0.0.1/bot' })).toBe(true);
    expect(create({ DATABASE_URL: 'postgresql://u@[::1]/bot' })).toBe(true);
    expect(create({ DATABASE_URL: 'postgresql:///bot?host=/var/run/postgresql' })).toBe(true);
    expect(create({ DATABASE_URL: 'postgresql://u@db.example.com/bot' })).toBe(false);
    expect(create({ DATABASE_URL: 'postgresql://u@db.example.com/bot', DATABASE_CREATE: 'true' })).toBe(true);
    expect(create({ DATABASE_URL: 'postgresql://u@localhost/bot', DATABASE_CREATE: 'false' })).toBe(false);
    expect(() => loadSettings({ DATABASE_CREATE: 'yes' })).toThrow(/DATABASE_CREATE: must be true or false/);
  });
});

const postgres = await postgresGate('the missing-PostgreSQL-database tests');

describe.runIf(TEST_DIALECT === 'sqlite' && !postgres.skip)('a PostgreSQL database that does not exist', () => {
  const name = `${RUN_PREFIX}create_${process.pid}`;
  const url = withDatabase(PG_TEST_URL, name);
  const exists = async () => (await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [name])).length === 1;
  afterAll(async () => {
    if (!postgres.skip) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('is refused with DATABASE_CREATE=false, naming it and the fix', async () => {
    postgres.require();
    const out = start({ DATABASE_URL: url, DATABASE_CREATE: 'false' }, { script: 'src/cli/migrate.ts' });
    expectOneLine(out, `PostgreSQL database "${name}" does not exist`, 'DATABASE_CREATE=true');
    expect(await exists()).toBe(false);
  }, 60_000);

  it('is created with DATABASE_CREATE=true', async () => {
    postgres.require();
    const out = start({ DATABASE_URL: url, DATABASE_CREATE: 'true' }, { script: 'src/cli/migrate.ts' });
    expect(out.code, out.stderr).toBe(0);
    expect(await exists()).toBe(true);
  }, 60_000);
});
