/**
 * The suite runs twice: the `sqlite` project on SQLite files, and the `postgresql` project on the
 * PostgreSQL server of PG_TEST_URL (default 127.0.0.1:5432). When no server answers, the PostgreSQL
 * half is skipped with the reason printed, except under CI=true, where that fails the run.
 */
import { defineConfig } from 'vitest/config';
import { PG_TEST_URL, postgresProblem } from './test/support/database.ts';

/** Test files that exercise SQLite itself, or check both providers from one run. */
const SQLITE_ONLY = ['test/store/sqlite-adapter.test.ts', 'test/store/migrate.test.ts', 'test/store/migrations-drift.test.ts'];
/** Pure rules: no database, nothing to run twice. */
const NO_DATABASE = ['test/domain/**'];

export default defineConfig(async () => {
  const where = new URL(PG_TEST_URL).host;
  const problem = await postgresProblem();
  if (problem && process.env.CI === 'true') {
    throw new Error(`CI=true and PostgreSQL at ${where} cannot be used (${problem}): the PostgreSQL half of the suite cannot run.`);
  }
  if (problem) {
    console.warn(`\n[tests] Skipping the PostgreSQL half of the suite: ${where} cannot be used (${problem}). Set PG_TEST_URL to use another server.\n`);
  } else {
    // Names this run's databases, so global-setup.ts drops exactly them afterwards.
    process.env.JZ_TEST_RUN ??= `${Math.floor(Date.now() / 1000).toString(36)}${process.pid.toString(36)}`;
  }
  return {
    test: {
      globalSetup: ['test/support/global-setup.ts'],
      setupFiles: ['test/support/setup.ts'],
      projects: [
        { extends: true, test: { name: 'sqlite', env: { TEST_DATABASE: 'sqlite' } } },
        ...(problem
          ? []
          : [
              {
                extends: true,
                test: {
                  name: 'postgresql',
                  env: { TEST_DATABASE: 'postgresql', JZ_TEST_RUN: process.env.JZ_TEST_RUN! },
                  exclude: ['**/node_modules/**', ...SQLITE_ONLY, ...NO_DATABASE],
                },
              },
            ]),
      ],
    },
  };
});
