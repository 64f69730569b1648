/**
 * The database a test runs on. The suite runs on SQLite files and, when a server is reachable, on
 * PostgreSQL (TEST_DATABASE=postgresql; see vitest.config.ts). Every fresh database is a copy of a
 * migrated template that test/support/global-setup.ts makes once per run and provider: a file
 * copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Dialect } from '../../src/store/db.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's migrated template for the project's provider: a file path, or a database name. */
    databaseTemplate: string;
    /** The folder of this run's SQLite files (removed after the run). */
    sqliteRunDir: string;
  }
}

/** The server PostgreSQL tests create their databases on (trust auth on this machine and CI's). */
export const PG_TEST_URL = process.env.PG_TEST_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Which database this test run uses. */
export const TEST_DIALECT: Dialect = process.env.TEST_DATABASE === 'postgresql' ? 'postgresql' : 'sqlite';

/** Prefix of every database this run creates (dropped by test/support/global-setup.ts). */
export const RUN_PREFIX = `jztest_${process.env.JZ_TEST_RUN ?? `solo${process.pid}`}_`;

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs `sql` on the server's maintenance connection (PG_TEST_URL unless another is given). */
export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = [], url = PG_TEST_URL): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Why PostgreSQL at `url` cannot be used, or undefined when it can. */
export async function postgresProblem(url = PG_TEST_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * For test files that reach PostgreSQL from the sqlite project (migrations of both providers):
 * `skip` when no server answers outside CI (the reason printed once); under CI=true nothing is
 * skipped and `require()` fails the test with the reason.
 */
export async function postgresGate(what: string): Promise<{ skip: boolean; require: () => void }> {
  const problem = await postgresProblem();
  const inCi = process.env.CI === 'true';
  if (problem && !inCi) console.warn(`Skipping ${what}: ${new URL(PG_TEST_URL).host} cannot be used (${problem}).`);
  return {
    skip: problem !== undefined && !inCi,
    require: () => {
      if (problem) throw new Error(`CI=true but PostgreSQL cannot be used: ${problem}`);
    },
  };
}

/**
 * A migrated empty database to copy: a SQLite file in `dir`, or a PostgreSQL database named
 * `name`. test/support/global-setup.ts calls it once per run and provider.
 */
export async function createTemplate(dialect: Dialect, where: { dir: string; name: string }): Promise<string> {
  // Loaded only here: the schema engine is large, and test workers never migrate.
  const { migrateDatabase } = await import('../../src/store/migrate.ts');
  if (dialect === 'sqlite') {
    const path = join(where.dir, 'template.db');
    await migrateDatabase({ url: `file:${path}` });
    return path;
  }
  await adminQuery(`CREATE DATABASE "${where.name}"`);
  await migrateDatabase({ url: withDatabase(PG_TEST_URL, where.name) });
  return where.name;
}

interface Templates {
  template: string;
  /** Where SQLite copies go. */
  dir: string;
}

let templates: Promise<Templates> | undefined;
let counter = 0;

/** The run's template from the global setup; outside vitest (test/bench), one made for this process. */
function runTemplate(): Promise<Templates> {
  templates ??= (async () => {
    if (process.env.VITEST) {
      const { inject } = await import('vitest');
      return { template: inject('databaseTemplate'), dir: inject('sqliteRunDir') };
    }
    const dir = mkdtempSync(join(tmpdir(), 'jz-template-'));
    return { template: await createTemplate(TEST_DIALECT, { dir, name: `${RUN_PREFIX}tpl_${process.pid}` }), dir: tmpdir() };
  })();
  return templates;
}

/** A fresh database with every migration applied: its DATABASE_URL (`file:…` or `postgresql://…`). */
export async function freshDatabase(): Promise<string> {
  const { template, dir } = await runTemplate();
  if (TEST_DIALECT === 'sqlite') {
    const path = join(mkdtempSync(join(dir, 'jz-test-')), 'test.db');
    copyFileSync(template, path);
    return `file:${path}`;
  }
  counter += 1;
  const name = `${RUN_PREFIX}${process.env.VITEST_POOL_ID ?? '0'}_${process.pid}_${counter}`;
  await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  return withDatabase(PG_TEST_URL, name);
}
