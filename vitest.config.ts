/**
 * The suite runs on both databases, in four projects that `npm test` (`vitest run`) runs together:
 *  - `sqlite` and `postgresql`: the fast tests (`*.test.ts`), on SQLite files and on the PostgreSQL
 *    server of PG_TEST_URL (default 127.0.0.1:5432);
 *  - `slow-sqlite` and `slow-postgresql`: the volume and multi-process tests (`*.slow.test.ts`, a
 *    few seconds to a minute each), the same way.
 * One kind alone: `npx vitest run --project sqlite --project postgresql` (or `--project 'slow-*'`).
 * When no PostgreSQL server answers, both PostgreSQL projects are skipped with the reason printed,
 * except under CI=true, where that fails the run.
 */
import { configDefaults, defineConfig } from 'vitest/config';
import { PG_TEST_URL, postgresProblem } from './test/support/database.ts';

/**
 * Test files that exercise SQLite itself, or check both providers from one run, or run the
 * console as processes where the database is not the point (the handover walkthrough, 30 s).
 */
const SQLITE_ONLY = [
  'test/store/sqlite-adapter.test.ts',
  'test/store/migrate.test.ts',
  'test/store/migrations-drift.test.ts',
  'test/cli/handover-walkthrough.slow.test.ts',
];
/** No database at all (pure rules, rendering, limits, settings, flows on the memory store): nothing to run twice. */
const NO_DATABASE = ['test/domain/**', 'test/features/reports/**', 'test/lib/**', 'test/config/**', 'test/**/*.unit.test.ts'];
/** The slow tests: 10,000-row sheets, 1,000 surveyed completions, 1,200 hostile messages, processes. */
const SLOW = ['test/**/*.slow.test.ts'];

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
  const sqlite = { TEST_DATABASE: 'sqlite' };
  const postgresql = { TEST_DATABASE: 'postgresql', JZ_TEST_RUN: process.env.JZ_TEST_RUN ?? '' };
  return {
    test: {
      globalSetup: ['test/support/global-setup.ts'],
      setupFiles: ['test/support/setup.ts'],
      // The slowest fast test takes about 3.5 s on an idle 2-core machine; a loaded one runs
      // several times slower, so the default 5 s would fail tests that are merely waiting their turn.
      testTimeout: 20_000,
      // Hooks drop databases and stop servers; on a loaded machine that outlasts the default 10 s.
      hookTimeout: 60_000,
      // Vitest's default in a run is one worker fewer than the cores: one worker on a 2-core
      // machine. The tests wait on the database, child processes and sockets as much as on the
      // CPU, so two workers there bring the whole suite back under ten minutes.
      maxWorkers: 2,
      projects: [
        { extends: true, test: { name: 'sqlite', env: sqlite, exclude: [...configDefaults.exclude, ...SLOW] } },
        { extends: true, test: { name: 'slow-sqlite', env: sqlite, include: SLOW } },
        ...(problem
          ? []
          : [
              {
                extends: true,
                test: { name: 'postgresql', env: postgresql, exclude: [...configDefaults.exclude, ...SLOW, ...SQLITE_ONLY, ...NO_DATABASE] },
              },
              {
                extends: true,
                test: { name: 'slow-postgresql', env: postgresql, include: SLOW, exclude: [...configDefaults.exclude, ...SQLITE_ONLY, ...NO_DATABASE] },
              },
            ]),
      ],
    },
  };
});
