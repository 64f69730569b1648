/**
 * Brings the database up to its provider's migrations, at every start and from
 * `npm run db:migrate`. Uses Prisma's schema engine compiled to WebAssembly (prisma/tools/engine.ts),
 * which keeps the standard `_prisma_migrations` table, so `prisma migrate deploy` remains usable
 * wherever the native engine can be installed.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { applyMigrations, listMigrationNames, MigrationError } from '../../prisma/tools/engine.ts';
import { deriveSchema, PROJECT_ROOT, PROVIDER_FILES, readSourceSchema } from '../../prisma/tools/providers.ts';

export { MigrationError };

export type DatabaseProvider = 'sqlite' | 'postgresql';

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

export function providerOf(url: string): DatabaseProvider {
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgresql';
  if (/^file:/i.test(url) || path.isAbsolute(url)) return 'sqlite';
  throw new MigrationError(`Unsupported database URL "${redactUrl(url)}": use file:<path> for SQLite or postgresql://… for PostgreSQL`);
}

/** Hides the password of a connection URL in messages. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** `file:./data/x.db` -> absolute path; relative paths are taken from the project root (as src/store/db.ts does). */
function sqliteFile(url: string): string {
  const p = url.replace(/^file:(\/\/(?=\/))?/i, '').split('?')[0] ?? '';
  return path.isAbsolute(p) ? p : path.resolve(PROJECT_ROOT, p);
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
    const file = sqliteFile(opts.url);
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
  // On PostgreSQL the engine holds an advisory lock while it migrates (as `prisma migrate deploy`
  // does), so instances starting together take turns; test/store/migrate-concurrent.test.ts.
  return applyMigrations({ provider, url, schemaText: deriveSchema(readSourceSchema(), provider), migrationsDir });
}
