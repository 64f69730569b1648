/**
 * `npm run db:diff -- <name>`: for each provider (SQLite, PostgreSQL), writes a new migration with
 * the SQL that takes the state of its migrations folder to prisma/schema.prisma, as
 * <folder>/<YYYYMMDDHHmmss>_<name>/migration.sql (UTC timestamp, as `prisma migrate dev` names
 * them); prints "No changes" for a provider that already matches.
 * SQLite's migrations are replayed in memory. PostgreSQL's are replayed on a temporary shadow
 * database created (and dropped) on the server of SHADOW_DATABASE_URL, by default the local one.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diffToScript, isEmptyMigration, MIGRATION_LOCK_FILE, migrationLockToml, type Provider } from './engine.ts';
import { deriveSchema, PROVIDER_FILES, PROVIDERS, readSourceSchema } from './providers.ts';
import { PROJECT_ROOT } from '../../src/lib/project-root.ts';
import { MigrationError, UsageError } from '../../src/lib/errors.ts';

export const DEFAULT_SHADOW_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

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

/** Checks migration_lock.toml against the provider; returns whether it is missing. */
async function lockFileMissing(migrationsDir: string, provider: Provider): Promise<boolean> {
  const lockPath = path.join(migrationsDir, MIGRATION_LOCK_FILE);
  const existing = await readFile(lockPath, 'utf8').catch(() => null);
  if (existing === null) return true;
  const locked = /provider\s*=\s*"([^"]+)"/.exec(existing)?.[1];
  if (locked !== provider) {
    throw new UsageError(`${path.relative(PROJECT_ROOT, lockPath)} says provider "${locked}" but this folder holds ${provider}'s migrations.`);
  }
  return false;
}

/** @returns whether a migration was written. */
async function diffProvider(provider: Provider, dirName: string): Promise<boolean> {
  const migrationsDir = PROVIDER_FILES[provider].migrations;
  const rel = (p: string) => path.relative(PROJECT_ROOT, p);
  const writeLock = await lockFileMissing(migrationsDir, provider);
  const sql = await diffToScript({
    provider,
    schemaText: deriveSchema(readSourceSchema(), provider),
    migrationsDir,
    shadowUrl: provider === 'postgresql' ? (process.env.SHADOW_DATABASE_URL || DEFAULT_SHADOW_URL) : undefined,
  });
  if (isEmptyMigration(sql)) {
    console.log(`${provider}: no changes, ${rel(migrationsDir)} already matches prisma/schema.prisma.`);
    return false;
  }
  const dir = path.join(migrationsDir, dirName);
  if (existsSync(dir)) throw new UsageError(`${rel(dir)} already exists; try again in a second.`);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'migration.sql');
  await writeFile(file, sql);
  const lockPath = path.join(migrationsDir, MIGRATION_LOCK_FILE);
  if (writeLock) await writeFile(lockPath, migrationLockToml(provider));
  console.log(`${provider}: wrote ${rel(file)}:`);
  console.log(sql.replace(/^(?=.)/gm, '  ').trimEnd());
  if (writeLock) console.log(`${provider}: wrote ${rel(lockPath)} (provider = "${provider}").`);
  return true;
}

async function main(args: string[]): Promise<void> {
  const rawName = args.filter((a) => !a.startsWith('-')).join(' ');
  const name = migrationSlug(rawName);
  if (!name) throw new UsageError('Usage: npm run db:diff -- <name>   (e.g. npm run db:diff -- add_booking_number)');
  const dirName = `${migrationTimestamp()}_${name}`;
  let written = false;
  for (const provider of PROVIDERS) written = (await diffProvider(provider, dirName)) || written;
  if (written) console.log('Review them, then apply with: npm run db:migrate (and npm run db:generate for the clients)');
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
