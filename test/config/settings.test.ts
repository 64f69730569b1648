import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCompany, SAMPLE_COMPANY_FILE } from '../../src/config/company.ts';
import { loadSettings } from '../../src/config/env.ts';
import { ConfigError } from '../../src/lib/errors.ts';

function companyFile(edit: (c: Record<string, unknown>) => void): string {
  const c = JSON.parse(readFileSync(SAMPLE_COMPANY_FILE, 'utf8')) as Record<string, unknown>;
  edit(c);
  const path = join(mkdtempSync(join(tmpdir(), 'jz-company-')), 'company.json');
  writeFileSync(path, JSON.stringify(c));
  return path;
}

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('settings', () => {
  it('defaults to the embedded SQLite file and the sample company', () => {
    const { env, company } = loadSettings({});
    expect(env.DATABASE_URL).toMatch(/^file:.*data\/jiazheng\.db$/);
    expect(company.timeZone).toBe('Asia/Shanghai');
    expect(company.catalog.map((s) => s.name)).toContain('室内消杀');
  });

  it('names the bad variable and says what is wrong', () => {
    expect(errorOf(() => loadSettings({ DATABASE_URL: 'mysql://x' }))).toMatch(/DATABASE_URL: must be file:<path>/);
    expect(errorOf(() => loadSettings({ LOG_LEVEL: 'loud' }))).toContain('LOG_LEVEL');
    expect(errorOf(() => loadSettings({ SQLITE_BUSY_TIMEOUT_MS: 'soon' }))).toContain('SQLITE_BUSY_TIMEOUT_MS');
    expect(errorOf(() => loadSettings({ COMPANY_FILE: '/nonexistent/company.json' }))).toMatch(/COMPANY_FILE: cannot read/);
  });

  it('names the bad field of the company file', () => {
    expect(errorOf(() => loadCompany(companyFile((c) => (c.timeZone = 'Mars/Olympus'))))).toMatch(/timeZone: must be an IANA time zone/);
    expect(errorOf(() => loadCompany(companyFile((c) => (c.serviceHours = { start: '20:00', end: '08:00' }))))).toMatch(/serviceHours: end must be after start/);
    expect(errorOf(() => loadCompany(companyFile((c) => (c.serviceHours = { start: '8am', end: '20:00' }))))).toMatch(/serviceHours\.start: must be a time of day/);
    expect(
      errorOf(() =>
        loadCompany(
          companyFile((c) => {
            const catalog = c.catalog as Record<string, unknown>[];
            catalog[1]!.code = catalog[0]!.code;
          }),
        ),
      ),
    ).toMatch(/catalog\.1\.code: duplicate code "daily_cleaning"/);
    expect(
      errorOf(() =>
        loadCompany(
          companyFile((c) => {
            (c.catalog as Record<string, unknown>[])[3]!.leadDays = -1;
          }),
        ),
      ),
    ).toContain('catalog.3.leadDays');
  });
});
