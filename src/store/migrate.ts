/**
 * Brings the database up to the migrations in prisma/migrations, at every start and from
 * `npm run db:migrate`. Uses Prisma's schema engine compiled to WebAssembly (prisma/tools/engine.ts),
 * which keeps the standard `_prisma_migrations` table, so `prisma migrate deploy` remains usable
 * wherever the native engine can be installed.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations, listMigrationNames, MigrationError } from '../../prisma/tools/engine.ts';

export { MigrationError };

export type DatabaseProvider = 'sqlite' | 'postgresql';

export interface MigrateOptions {
  /** `file:<path>` (relative paths are taken from the project root) or `postgresql://…`. */
  url: string;
  /** Inferred from the URL when omitted. */
  provider?: DatabaseProvider;
}

/** Project root, from this file's location (not the working directory). */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCHEMA_PATH = path.join(PROJECT_ROOT, 'prisma', 'schema.prisma');
/** The migrations of each provider. Only SQLite's exist so far. */
export const MIGRATIONS_DIRS: Record<DatabaseProvider, string> = {
  sqlite: path.join(PROJECT_ROOT, 'prisma', 'migrations'),
  postgresql: path.join(PROJECT_ROOT, 'prisma', 'postgresql', 'migrations'),
};

export function providerOf(url: string): DatabaseProvider {
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgresql';
  if (/^file:/i.test(url) || path.isAbsolute(url)) return 'sqlite';
  throw new MigrationError(`Unsupported database URL "${redact(url)}": use file:<path> for SQLite or postgresql://… for PostgreSQL`);
}

/** Hides the password of a connection URL in messages. */
function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** `file:./data/x.db` -> absolute path; relative paths are taken from the project root (as src/store/db.ts does). */
function sqliteFile(url: string): string {
  const p = url.replace(/^file:(\/\/(?=\/))?/i, '').split('?')[0] ?? '';
  return path.isAbsolute(p) ? p : path.resolve(PROJECT_ROOT, p);
}

/** The schema with the datasource provider set to `provider` (the file itself is SQLite's). */
export function schemaFor(schemaText: string, provider: DatabaseProvider): string {
  return schemaText.replace(
    /(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*)"[^"]*"/,
    (_match, head: string) => `${head}"${provider}"`,
  );
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
        (provider === 'sqlite' ? 'run `npm run db:diff -- init` to create the first one.' : 'this build has none for PostgreSQL yet.'),
    );
  }
  const schemaText = schemaFor(await readFile(SCHEMA_PATH, 'utf8'), provider);
  return applyMigrations({ provider, url, schemaText, migrationsDir });
}
