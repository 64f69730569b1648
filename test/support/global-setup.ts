/**
 * Once per run, before any test: migrates one template per provider that runs (a SQLite file, a
 * PostgreSQL database) and hands it to the projects of that provider, which copy it for each test
 * (test/support/database.ts). Afterwards it drops this run's PostgreSQL databases (also those left
 * by a run that was killed more than a day ago) and removes this run's SQLite files.
 *
 * Vitest calls this once per project (sqlite and slow-sqlite share a provider), in one process,
 * so the templates are kept on globalThis and each is made once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { adminQuery, createTemplate } from './database.ts';

const DAY_S = 86_400;

interface RunState {
  sqliteDir: string;
  templates: Map<string, Promise<string>>;
  staleDropped?: Promise<void>;
  tornDown?: Promise<void>;
}

const KEY = Symbol.for('jiazheng-desk.test-run');
function state(): RunState {
  const shared = globalThis as Record<symbol, RunState | undefined>;
  shared[KEY] ??= { sqliteDir: mkdtempSync(join(tmpdir(), 'jz-run-')), templates: new Map() };
  return shared[KEY];
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const run = state();
  const pgRun = process.env.JZ_TEST_RUN; // set by vitest.config.ts when PostgreSQL can be used
  if (pgRun) {
    const started = parseInt(pgRun.slice(0, 6), 36);
    run.staleDropped ??= dropDatabases((name) => {
      const other = /^jztest_([0-9a-z]{6})[0-9a-z]*_/.exec(name)?.[1];
      return other !== undefined && parseInt(other, 36) < started - DAY_S;
    }).catch(() => undefined);
    await run.staleDropped;
  }
  const dialect = project.config.env?.TEST_DATABASE;
  if (dialect === 'sqlite' || dialect === 'postgresql') {
    let template = run.templates.get(dialect);
    if (!template) {
      template = createTemplate(dialect, { dir: run.sqliteDir, name: `jztest_${pgRun}_template` });
      run.templates.set(dialect, template);
    }
    project.provide('databaseTemplate', await template);
    project.provide('sqliteRunDir', run.sqliteDir);
  }
  return () => {
    run.tornDown ??= (async () => {
      rmSync(run.sqliteDir, { recursive: true, force: true });
      if (pgRun) await dropDatabases((name) => name.startsWith(`jztest_${pgRun}_`));
    })();
    return run.tornDown;
  };
}

async function dropDatabases(which: (name: string) => boolean): Promise<void> {
  const rows = await adminQuery<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'jztest\\_%'`);
  for (const { datname } of rows.filter((r) => which(r.datname))) {
    await adminQuery(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}
