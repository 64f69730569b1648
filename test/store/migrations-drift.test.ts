/**
 * Fails when prisma/migrations does not produce prisma/schema.prisma, i.e. someone changed the
 * schema without creating a migration (or edited a migration by hand).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffToScript, isEmptyMigration, MIGRATION_LOCK_FILE } from '../../prisma/tools/engine.ts';
import { MIGRATIONS_DIRS, SCHEMA_PATH } from '../../src/store/migrate.ts';

describe('prisma/migrations', () => {
  it('matches prisma/schema.prisma', async () => {
    const schemaText = readFileSync(SCHEMA_PATH, 'utf8');
    const sql = await diffToScript({ provider: 'sqlite', schemaText, migrationsDir: MIGRATIONS_DIRS.sqlite });
    expect(
      isEmptyMigration(sql),
      'prisma/schema.prisma has changes that no migration in prisma/migrations makes.\n' +
        'Create one with:  npm run db:diff -- <name>   (e.g. npm run db:diff -- add_booking_number)\n' +
        'and commit the new prisma/migrations/<timestamp>_<name>/migration.sql. The missing SQL is:\n\n' +
        sql,
    ).toBe(true);
  });

  it('is locked to the schema provider', () => {
    const lock = readFileSync(path.join(MIGRATIONS_DIRS.sqlite, MIGRATION_LOCK_FILE), 'utf8');
    expect(lock).toMatch(/^provider = "sqlite"$/m);
  });
});
