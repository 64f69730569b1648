/**
 * Wires one process: settings -> database (migrated) -> dialogue core. Every entry point (start,
 * chat, benchmarks, end-to-end tests) builds the product through here, so they run the same thing.
 */
import { DialogueCore } from './core/engine.ts';
import type { Settings } from './config/env.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import { createLogger, type Logger } from './log.ts';
import { PrismaCoreStore } from './store/core-store.ts';
import { openDb, type Db } from './store/db.ts';
import { migrateDatabase } from './store/migrate.ts';

export interface App {
  settings: Settings;
  db: Db;
  core: DialogueCore;
  log: Logger;
  clock: Clock;
  close(): Promise<void>;
}

/**
 * Opens and migrates the database and builds the core.
 * @throws when the database cannot be opened or migrated (the caller prints it and exits).
 */
export async function createApp(opts: { settings: Settings; clock?: Clock; log?: Logger }): Promise<App> {
  const { settings } = opts;
  const log = opts.log ?? createLogger(settings.env.LOG_LEVEL);
  const clock = opts.clock ?? systemClock;
  const { applied } = await migrateDatabase({ url: settings.env.DATABASE_URL });
  if (applied.length > 0) log.info({ applied }, 'database migrated');
  const db = openDb({
    url: settings.env.DATABASE_URL,
    busyTimeoutMs: settings.env.SQLITE_BUSY_TIMEOUT_MS,
    synchronous: settings.env.SQLITE_SYNCHRONOUS,
  });
  const core = new DialogueCore({
    store: new PrismaCoreStore(db),
    company: settings.company,
    clock,
    log,
    complaints: settings.complaints,
    defaultLocale: settings.env.DEFAULT_LOCALE,
  });
  return { settings, db, core, log, clock, close: () => db.$disconnect() };
}
