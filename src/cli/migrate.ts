/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL (default: the SQLite file
 * under data/). Prints the migrations applied, or that the database is up to date.
 */
import { loadDotEnv, loadSettings } from '../config/env.ts';
import { runMain } from '../lib/run-main.ts';
import { migrateDatabase } from '../store/migrate.ts';

runMain(async () => {
  const settings = loadSettings(loadDotEnv());
  const started = performance.now();
  const { applied } = await migrateDatabase({ url: settings.env.DATABASE_URL, createDatabase: settings.env.DATABASE_CREATE });
  const ms = Math.round(performance.now() - started);
  if (applied.length === 0) {
    console.log(`Database is up to date (${ms} ms).`);
  } else {
    console.log(`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'} in ${ms} ms:`);
    for (const name of applied) console.log(`  ${name}`);
  }
});
