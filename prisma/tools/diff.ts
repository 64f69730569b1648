/**
 * `npm run db:diff -- <name>`: writes a new migration with the SQL that takes the state of
 * prisma/migrations to prisma/schema.prisma, as prisma/migrations/<YYYYMMDDHHmmss>_<name>/migration.sql
 * (UTC timestamp, as `prisma migrate dev` names them). Prints "No changes" when they already match.
 * Needs no database: the migrations are replayed on an in-memory SQLite database.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  diffToScript,
  isEmptyMigration,
  MIGRATION_LOCK_FILE,
  migrationLockToml,
  MigrationError,
  type Provider,
} from './engine.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCHEMA_PATH = path.join(PROJECT_ROOT, 'prisma', 'schema.prisma');
const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'prisma', 'migrations');

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `Add booking number` -> `add_booking_number`. */
export function migrationSlug(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 100);
}

/** YYYYMMDDHHmmss in UTC. */
export function migrationTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

function datasourceProvider(schemaText: string): Provider {
  const provider = /datasource\s+\w+\s*\{[^}]*?provider\s*=\s*"([^"]+)"/.exec(schemaText)?.[1];
  if (provider !== 'sqlite' && provider !== 'postgresql') {
    throw new UsageError(`prisma/schema.prisma: unsupported datasource provider "${provider ?? '(none)'}"`);
  }
  return provider;
}

/** Checks migration_lock.toml against the schema; returns whether it is missing. */
async function lockFileMissing(provider: Provider): Promise<boolean> {
  const lockPath = path.join(MIGRATIONS_DIR, MIGRATION_LOCK_FILE);
  const existing = await readFile(lockPath, 'utf8').catch(() => null);
  if (existing === null) return true;
  const locked = /provider\s*=\s*"([^"]+)"/.exec(existing)?.[1];
  if (locked !== provider) {
    throw new UsageError(
      `${path.relative(PROJECT_ROOT, lockPath)} says provider "${locked}" but the schema uses "${provider}".`,
    );
  }
  return false;
}

async function main(args: string[]): Promise<void> {
  const rawName = args.filter((a) => !a.startsWith('-')).join(' ');
  const name = migrationSlug(rawName);
  if (!name) throw new UsageError('Usage: npm run db:diff -- <name>   (e.g. npm run db:diff -- add_booking_number)');

  const schemaText = await readFile(SCHEMA_PATH, 'utf8');
  const provider = datasourceProvider(schemaText);
  const writeLock = await lockFileMissing(provider);
  const sql = await diffToScript({ provider, schemaText, migrationsDir: MIGRATIONS_DIR });
  if (isEmptyMigration(sql)) {
    console.log('No changes: prisma/migrations already matches prisma/schema.prisma.');
    return;
  }

  const dirName = `${migrationTimestamp()}_${name}`;
  const dir = path.join(MIGRATIONS_DIR, dirName);
  if (existsSync(dir)) throw new UsageError(`${path.relative(PROJECT_ROOT, dir)} already exists; try again in a second.`);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'migration.sql');
  await writeFile(file, sql);
  const lockPath = path.join(MIGRATIONS_DIR, MIGRATION_LOCK_FILE);
  if (writeLock) await writeFile(lockPath, migrationLockToml(provider));

  console.log(`Wrote ${path.relative(PROJECT_ROOT, file)}:`);
  console.log(sql.replace(/^(?=.)/gm, '  ').trimEnd());
  if (writeLock) console.log(`Wrote ${path.relative(PROJECT_ROOT, lockPath)} (provider = "${provider}").`);
  console.log('Review it, then apply it with: npm run db:migrate');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(error.message);
  } else if (error instanceof MigrationError) {
    console.error(`db:diff failed${error.migration ? ` (${error.migration})` : ''}: ${error.message}`);
  } else {
    console.error('db:diff failed:', error);
  }
  process.exitCode = 1;
});
