/**
 * Fails when either provider's migrations folder does not produce prisma/schema.prisma (the one
 * source of models), i.e. someone changed the schema without `npm run db:diff` (or edited a
 * migration by hand). PostgreSQL's migrations are replayed on a temporary shadow database.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffToScript, isEmptyMigration, MIGRATION_LOCK_FILE } from '../../prisma/tools/engine.ts';
import { deriveSchema, PROVIDER_FILES, PROVIDERS, readSourceSchema } from '../../prisma/tools/providers.ts';
import { PG_TEST_URL, postgresGate } from '../support/database.ts';

const postgres = await postgresGate('the PostgreSQL migrations drift check');

describe.each(PROVIDERS)('%s migrations', (provider) => {
  const folder = path.relative(process.cwd(), PROVIDER_FILES[provider].migrations);
  it.skipIf(provider === 'postgresql' && postgres.skip)(`in ${folder} match prisma/schema.prisma`, async () => {
    if (provider === 'postgresql') postgres.require();
    const sql = await diffToScript({
      provider,
      schemaText: deriveSchema(readSourceSchema(), provider),
      migrationsDir: PROVIDER_FILES[provider].migrations,
      shadowUrl: provider === 'postgresql' ? PG_TEST_URL : undefined,
    });
    expect(
      isEmptyMigration(sql),
      `prisma/schema.prisma has changes that no migration in ${folder} makes.\n` +
        'Create them with:  npm run db:diff -- <name>   (e.g. npm run db:diff -- add_booking_number)\n' +
        `and commit the new migration folders. The missing ${provider} SQL is:\n\n${sql}`,
    ).toBe(true);
  }, 60_000);

  it(`in ${folder} are locked to ${provider}`, () => {
    const lock = readFileSync(path.join(PROVIDER_FILES[provider].migrations, MIGRATION_LOCK_FILE), 'utf8');
    expect(lock).toMatch(new RegExp(`^provider = "${provider}"$`, 'm'));
  });
});
