/**
 * Opens the database named by DATABASE_URL. Only the store imports Prisma.
 */
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { PrismaClient } from '../generated/prisma/client.ts';
import { ConfigError } from '../config/errors.ts';
import { PROJECT_ROOT } from '../config/env.ts';
import { SafeSqliteAdapterFactory } from './sqlite-adapter.ts';

export type Db = PrismaClient;

export interface DbOptions {
  url: string;
  busyTimeoutMs?: number;
  synchronous?: 'NORMAL' | 'FULL';
}

/** `file:./data/x.db` -> absolute path; relative paths are taken from the project root. */
export function sqlitePath(url: string): string {
  const path = url.replace(/^file:/, '');
  return isAbsolute(path) ? path : resolve(PROJECT_ROOT, path);
}

/**
 * A Prisma client on the configured database. The SQLite file's folder is created if missing.
 * @throws ConfigError for a database kind this build cannot open.
 */
export function openDb(options: DbOptions): Db {
  if (options.url.startsWith('file:')) {
    const path = sqlitePath(options.url);
    mkdirSync(dirname(path), { recursive: true });
    const adapter = new SafeSqliteAdapterFactory({
      url: `file:${path}`,
      busyTimeoutMs: options.busyTimeoutMs ?? 10_000,
      synchronous: options.synchronous ?? 'NORMAL',
    });
    return new PrismaClient({ adapter });
  }
  throw new ConfigError(
    'DATABASE_URL: PostgreSQL is not supported by this build yet; use file:<path> for the embedded SQLite database.',
  );
}
