/**
 * Names this run's PostgreSQL test databases and drops them afterwards (also those left by a run
 * that was killed more than a day ago).
 */
import { adminQuery } from './database.ts';

const DAY_S = 86_400;

export default async function setup(): Promise<(() => Promise<void>) | void> {
  const run = process.env.JZ_TEST_RUN; // set by vitest.config.ts when the PostgreSQL half runs
  if (!run) return;
  const started = parseInt(run.slice(0, 6), 36);
  await dropDatabases((name) => {
    const other = /^jztest_([0-9a-z]{6})[0-9a-z]*_/.exec(name)?.[1];
    return other !== undefined && parseInt(other, 36) < started - DAY_S;
  }).catch(() => undefined);
  return async () => {
    const prefix = `jztest_${run}_`;
    await dropDatabases((name) => name.startsWith(prefix));
  };
}

async function dropDatabases(which: (name: string) => boolean): Promise<void> {
  const rows = await adminQuery<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'jztest\\_%'`);
  for (const { datname } of rows.filter((r) => which(r.datname))) {
    await adminQuery(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}
