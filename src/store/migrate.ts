/**
 * Brings the database up to its provider's migrations, at every start and from
 * `npm run db:migrate`. Uses Prisma's schema engine compiled to WebAssembly (prisma/tools/engine.ts),
 * which keeps the standard `_prisma_migrations` table, so `prisma migrate deploy` remains usable
 * wherever the native engine can be installed.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { applyMigrations, listMigrationNames, type Provider } from '../../prisma/tools/engine.ts';
import { deriveSchema, PROVIDER_FILES, readSourceSchema, sqliteFilePath } from '../../prisma/tools/providers.ts';
import { isLocalPostgresUrl } from '../lib/database-url.ts';
import { PROJECT_ROOT } from '../lib/project-root.ts';
import { ConfigError, MigrationError } from '../lib/errors.ts';

export type DatabaseProvider = Provider;

interface MigrateOptions {
  /** `file:<path>` (relative paths are taken from the project root) or `postgresql://…`. */
  url: string;
  /** Inferred from the URL when omitted. */
  provider?: DatabaseProvider;
  /**
   * PostgreSQL: create the database when it does not exist (DATABASE_CREATE). Default: only on
   * this machine (localhost, loopback, unix socket).
   */
  createDatabase?: boolean;
}

/** How long a start waits for another process applying migrations to the same SQLite file. */
const SQLITE_MIGRATION_LOCK_WAIT_MS = 10 * 60_000;
/** How long a statement of ours waits for another process's lock on the SQLite file. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** The migrations of each provider, both made by `npm run db:diff` from prisma/schema.prisma. */
export const MIGRATIONS_DIRS: Record<DatabaseProvider, string> = {
  sqlite: PROVIDER_FILES.sqlite.migrations,
  postgresql: PROVIDER_FILES.postgresql.migrations,
};

function providerOf(url: string): DatabaseProvider {
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgresql';
  if (/^file:/i.test(url) || path.isAbsolute(url)) return 'sqlite';
  throw new MigrationError(`Unsupported database URL "${redactUrl(url)}": use file:<path> for SQLite or postgresql://… for PostgreSQL`);
}

/** Hides the password of a connection URL in messages. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/**
 * Applies pending migrations to the database at `url` and returns the names applied (empty when
 * it was up to date). For SQLite, the file and its folder are created if missing.
 * @throws MigrationError naming the failed migration when known (`error.migration`).
 */
export async function migrateDatabase(opts: MigrateOptions): Promise<{ applied: string[] }> {
  const provider = opts.provider ?? providerOf(opts.url);
  const migrationsDir = MIGRATIONS_DIRS[provider];
  const migrations = await listMigrationNames(migrationsDir);
  if (migrations.length === 0) {
    throw new MigrationError(
      `No ${provider} migrations in ${path.relative(PROJECT_ROOT, migrationsDir) || migrationsDir}: ` +
        'run `npm run db:diff -- init` to create the first one.',
    );
  }
  const schemaText = deriveSchema(readSourceSchema(), provider);
  if (provider === 'postgresql') {
    await ensurePostgresDatabase(opts.url, opts.createDatabase ?? isLocalPostgresUrl(opts.url));
    // On PostgreSQL the engine holds an advisory lock while it migrates (as `prisma migrate deploy`
    // does), so instances starting together take turns (test/store/migrate.test.ts).
    return applyMigrations({ provider, url: opts.url, schemaText, migrationsDir });
  }

  // SQLite: other processes may have the file open (a running bot, instances starting together;
  // test/store/start-together.test.ts). A start with nothing pending only reads; appliers take
  // turns on a lock file next to the database, and the one that gets it second finds nothing left.
  const file = sqliteFilePath(opts.url);
  if (file === ':memory:') return applyMigrations({ provider, url: opts.url, schemaText, migrationsDir });
  prepareSqliteFile(file);
  if (pendingSqliteMigrations(file, migrations).length === 0) return { applied: [] };
  return withSqliteMigrationLock(file, async () => {
    if (pendingSqliteMigrations(file, migrations).length === 0) return { applied: [] };
    return applyMigrations({ provider, url: `file:${file}`, schemaText, migrationsDir, busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS });
  });
}

/** Why a file operation failed, in words. */
function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'part of the path is a file, not a directory';
    default:
      return (error as Error).message ?? String(error);
  }
}

/**
 * Checks that the SQLite file at `file` can be created or opened for writing, creating its
 * directory if missing; a failure names the path and the fix.
 * @throws ConfigError (exit code 2)
 */
export function prepareSqliteFile(file: string): void {
  const dir = path.dirname(file);
  const elsewhere = 'or set DATABASE_URL to a writable path';
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (error) {
    throw new ConfigError(`Cannot create data directory ${dir}: ${reason(error)} — make it a directory writable by this user ${elsewhere}.`);
  }
  // SQLite writes its journal (-wal, -shm) next to the database.
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new ConfigError(`Data directory ${dir} is not writable: ${reason(error)} — make it writable by this user ${elsewhere}.`);
  }
  if (!existsSync(file)) return;
  if (statSync(file).isDirectory()) {
    throw new ConfigError(`Cannot open database ${file}: it is a directory — set DATABASE_URL to a database file (e.g. file:${path.join(file, 'jiazheng.db')}).`);
  }
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new ConfigError(`Database file ${file} is read-only: ${reason(error)} — make it readable and writable by this user ${elsewhere}.`);
  }
}

/** A SQLite error met while opening the file at `file`, as a configuration error naming it. */
function openFailure(file: string, error: unknown): Error {
  const code = String((error as { code?: unknown }).code ?? '');
  if (/^SQLITE_(CANTOPEN|READONLY|IOERR|NOTADB|PERM|AUTH|CORRUPT)/.test(code)) {
    return new ConfigError(
      `Cannot open database ${file}: ${(error as Error).message} (${code}) — make it a SQLite database file this user can read and write, or set DATABASE_URL to another path.`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The migrations not yet finished in the SQLite file, read through a plain connection (which waits
 * for writers like any reader). A migration left failed or unfinished counts as pending, so the
 * engine reports it.
 */
function pendingSqliteMigrations(file: string, migrations: string[]): string[] {
  if (!existsSync(file)) return migrations;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!table) return migrations;
    const rows = db.prepare('SELECT migration_name AS name, finished_at AS finished, rolled_back_at AS rolledBack FROM _prisma_migrations').all() as Array<{
      name: string;
      finished: unknown;
      rolledBack: unknown;
    }>;
    const unfinished = rows.filter((r) => r.finished === null && r.rolledBack === null).map((r) => r.name);
    const done = new Set(rows.filter((r) => r.finished !== null && r.rolledBack === null).map((r) => r.name));
    return [...unfinished, ...migrations.filter((m) => !done.has(m))];
  } catch (error) {
    throw openFailure(file, error);
  } finally {
    db?.close();
  }
}

/**
 * Runs `apply` while holding an exclusive lock on `<database>-migrations.lock`, so one process
 * applies migrations at a time. The lock is SQLite's own file lock, which the operating system
 * releases when its process ends, so a crashed applier never leaves it behind.
 */
async function withSqliteMigrationLock<T>(file: string, apply: () => Promise<T>): Promise<T> {
  const lockFile = `${file}-migrations.lock`;
  let lock: Database.Database;
  try {
    lock = new Database(lockFile, { timeout: 0 });
  } catch (error) {
    throw openFailure(lockFile, error);
  }
  try {
    const deadline = Date.now() + SQLITE_MIGRATION_LOCK_WAIT_MS;
    for (let wait = 25; ; wait = Math.min(wait * 2, 500)) {
      try {
        lock.exec('BEGIN EXCLUSIVE');
        break;
      } catch (error) {
        if (!String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw openFailure(lockFile, error);
        if (Date.now() > deadline) {
          throw new MigrationError(
            `Another process has been applying migrations to ${file} for over ${SQLITE_MIGRATION_LOCK_WAIT_MS / 60_000} minutes (it holds ${lockFile}); start again once it is done.`,
          );
        }
        await sleep(wait);
      }
    }
    try {
      return await apply();
    } finally {
      lock.exec('ROLLBACK');
    }
  } finally {
    lock.close();
  }
}

/**
 * Creates the database of a PostgreSQL URL when the server says it does not exist and `create`
 * allows it, from the server's `postgres` database with the same credentials (as `prisma migrate`
 * does).
 * @throws ConfigError when the database does not exist and `create` is false.
 */
async function ensurePostgresDatabase(url: string, create: boolean): Promise<void> {
  const problem = await pgError(url, (client) => client.query('SELECT 1'));
  if (problem === undefined) return;
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (problem.code !== '3D000' || !name) {
    throw new MigrationError(`Cannot connect to PostgreSQL at ${redactUrl(url)}: ${problem.message}`, { cause: problem });
  }
  if (!create) {
    throw new ConfigError(
      `PostgreSQL database "${name}" does not exist on ${target.host} — create it (e.g. createdb -h ${target.hostname} ${name}) or set DATABASE_CREATE=true to let the bot create it.`,
    );
  }
  target.pathname = '/postgres';
  const created = await pgError(target.toString(), (client) => client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`));
  // Another instance starting at the same time created it first: 42P04 (duplicate_database), or
  // 23505 when both passed the check at once (seen here with three instances starting together).
  if (created !== undefined && created.code !== '42P04' && created.code !== '23505') {
    throw new MigrationError(`PostgreSQL database "${name}" does not exist and could not be created: ${created.message}`, { cause: created });
  }
}

/** Runs `use` on a new connection to `url`; returns the error, if any. */
async function pgError(url: string, use: (client: pg.Client) => Promise<unknown>): Promise<(Error & { code?: string }) | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await use(client);
    return undefined;
  } catch (error) {
    return error as Error & { code?: string };
  } finally {
    await client.end().catch(() => undefined);
  }
}
