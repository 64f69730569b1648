/**
 * Brings the database up to its provider's migrations, at every start and from
 * `npm run db:migrate`. Uses Prisma's schema engine compiled to WebAssembly (prisma/tools/engine.ts),
 * which keeps the standard `_prisma_migrations` table, so `prisma migrate deploy` remains usable
 * wherever the native engine can be installed.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations, listMigrationNames, type Provider } from '../../prisma/tools/engine.ts';
import { deriveSchema, PROVIDER_FILES, readSourceSchema, sqliteFilePath } from '../../prisma/tools/providers.ts';
import { PROJECT_ROOT } from '../lib/project-root.ts';
import { MigrationError } from '../lib/errors.ts';

export type DatabaseProvider = Provider;

export interface MigrateOptions {
  /** `file:<path>` (relative paths are taken from the project root) or `postgresql://…`. */
  url: string;
  /** Inferred from the URL when omitted. */
  provider?: DatabaseProvider;
}

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
  let url = opts.url;
  if (provider === 'sqlite') {
    const file = sqliteFilePath(opts.url);
    mkdirSync(path.dirname(file), { recursive: true });
    url = `file:${file}`;
  }

  const migrations = await listMigrationNames(migrationsDir);
  if (migrations.length === 0) {
    throw new MigrationError(
      `No ${provider} migrations in ${path.relative(PROJECT_ROOT, migrationsDir) || migrationsDir}: ` +
        'run `npm run db:diff -- init` to create the first one.',
    );
  }
  if (provider === 'postgresql') await ensurePostgresDatabase(url);
  // On PostgreSQL the engine holds an advisory lock while it migrates (as `prisma migrate deploy`
  // does), so instances starting together take turns (test/store/migrate.test.ts).
  return applyMigrations({ provider, url, schemaText: deriveSchema(readSourceSchema(), provider), migrationsDir });
}

/**
 * Creates the database of a PostgreSQL URL when the server says it does not exist, from the
 * server's `postgres` database with the same credentials (as `prisma migrate` does).
 */
async function ensurePostgresDatabase(url: string): Promise<void> {
  const problem = await pgError(url, (client) => client.query('SELECT 1'));
  if (problem === undefined) return;
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (problem.code !== '3D000' || !name) {
    throw new MigrationError(`Cannot connect to PostgreSQL at ${redactUrl(url)}: ${problem.message}`, { cause: problem });
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
