/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL (default: the SQLite file
 * under data/). Prints the migrations applied, or that the database is up to date.
 */
import { DEFAULT_DATABASE_URL } from '../config/env.ts';
import { migrateDatabase } from '../store/migrate.ts';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const started = performance.now();
  const { applied } = await migrateDatabase({ url });
  const ms = Math.round(performance.now() - started);
  if (applied.length === 0) {
    console.log(`Database is up to date (${ms} ms).`);
  } else {
    console.log(`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'} in ${ms} ms:`);
    for (const name of applied) console.log(`  ${name}`);
  }
}

main().catch((error: unknown) => {
  const migration = (error as { migration?: unknown }).migration;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`Migration failed${typeof migration === 'string' ? ` (${migration})` : ''}:\n${message}`);
  if (/prisma/i.test(process.env.DEBUG ?? '') && error instanceof Error && error.cause) console.error(error.cause);
  process.exitCode = 1;
});
