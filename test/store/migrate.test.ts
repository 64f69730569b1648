import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, diffToScript, listMigrationNames } from '../../prisma/tools/engine.ts';
import { deriveSchema, readSourceSchema } from '../../prisma/tools/providers.ts';
import { MIGRATIONS_DIRS, migrateDatabase } from '../../src/store/migrate.ts';
import { adminQuery, PG_TEST_URL, postgresGate, RUN_PREFIX, withDatabase } from '../support/database.ts';
import { MigrationError } from '../../src/lib/errors.ts';

const schemaText = readSourceSchema();
const modelNames = [...schemaText.matchAll(/^model\s+(\w+)\s*\{/gm)].map((m) => m[1]!);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'migrate-test-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('migrateDatabase (SQLite)', () => {
  it('applies the migrations to a new file, then finds nothing to do', async () => {
    const file = path.join(tmp, 'nested', 'dir', 'app.db'); // parent folders do not exist yet
    const migrations = await listMigrationNames(MIGRATIONS_DIRS.sqlite);
    expect(migrations.some((name) => /^\d{14}_init$/.test(name))).toBe(true);

    const first = await migrateDatabase({ url: `file:${file}` });
    expect(first.applied).toEqual(migrations);

    const db = new Database(file, { readonly: true });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((row) => (row as { name: string }).name);
      expect(tables).toEqual(expect.arrayContaining([...modelNames, '_prisma_migrations']));
      const recorded = db
        .prepare('SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name')
        .all() as Array<{ migration_name: string; checksum: string; finished_at: string | null; rolled_back_at: string | null }>;
      expect(recorded.map((r) => r.migration_name)).toEqual(migrations);
      for (const r of recorded) {
        expect(r.finished_at).not.toBeNull();
        expect(r.rolled_back_at).toBeNull();
        expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      }
    } finally {
      db.close();
    }

    const second = await migrateDatabase({ url: `file:${file}`, provider: 'sqlite' });
    expect(second.applied).toEqual([]);
  });

  it('names the migration that failed', async () => {
    const dir = path.join(tmp, 'broken-migrations');
    cpSync(MIGRATIONS_DIRS.sqlite, dir, { recursive: true });
    mkdirSync(path.join(dir, '99990101000000_broken'));
    writeFileSync(path.join(dir, '99990101000000_broken', 'migration.sql'), 'UPDATE "NoSuchTable" SET "x" = 1;\n');
    const url = `file:${path.join(tmp, 'broken.db')}`;

    const error = await applyMigrations({ provider: 'sqlite', url, schemaText, migrationsDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).name).toBe('MigrationError');
    expect((error as MigrationError).migration).toBe('99990101000000_broken');
    expect((error as MigrationError).message).toContain('NoSuchTable');

    // The failed row blocks later runs, and the error still names the migration.
    const again = await applyMigrations({ provider: 'sqlite', url, schemaText, migrationsDir: dir }).catch((e: unknown) => e);
    expect((again as MigrationError).migration).toBe('99990101000000_broken');
  });
});

// ---------------------------------------------------------------------------------------------
// PostgreSQL: the same schema, provider swapped, must produce PostgreSQL DDL.
// ---------------------------------------------------------------------------------------------

const postgres = await postgresGate('the PostgreSQL migration tests');

describe.skipIf(postgres.skip)('PostgreSQL migrations', () => {
  it('diff: creates every table of the schema from an empty migrations folder', async () => {
    postgres.require();
    const empty = path.join(tmp, 'no-migrations');
    mkdirSync(empty, { recursive: true });
    const sql = await diffToScript({
      provider: 'postgresql',
      schemaText: deriveSchema(schemaText, 'postgresql'),
      migrationsDir: empty,
      shadowUrl: PG_TEST_URL,
    });
    for (const model of modelNames) expect(sql).toContain(`CREATE TABLE "${model}"`);
    expect(sql).toMatch(/"id" SERIAL NOT NULL/); // PostgreSQL DDL, not SQLite's
    expect(sql).not.toMatch(/AUTOINCREMENT/);
  });

  it('creates a missing database, and three instances starting at once apply each migration once', async () => {
    postgres.require();
    const name = `${RUN_PREFIX}migrate_${process.pid}`;
    const url = withDatabase(PG_TEST_URL, name);
    try {
      const results = await Promise.all([1, 2, 3].map(() => migrateDatabase({ url })));
      const applied = results.flatMap((r) => r.applied);
      expect(applied.sort()).toEqual((await listMigrationNames(MIGRATIONS_DIRS.postgresql)).sort());
      const rows = await adminQuery<{ n: string }>(`SELECT count(*) AS n FROM pg_database WHERE datname = $1`, [name]);
      expect(Number(rows[0]?.n)).toBe(1);
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  }, 60_000);

  it('names the server it cannot reach', async () => {
    const error = await migrateDatabase({ url: 'postgresql://postgres@127.0.0.1:1/nowhere' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/Cannot connect to PostgreSQL at postgresql:\/\/postgres@127\.0\.0\.1:1\/nowhere/);
  });
});
