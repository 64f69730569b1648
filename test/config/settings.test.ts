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

  it('takes the large-model fallback only with its URL and model together (off by default)', () => {
    expect(loadSettings({}).env.NLU_LLM_URL).toBeUndefined();
    const on = loadSettings({ NLU_LLM_URL: 'https://api.deepseek.com/v1', NLU_LLM_MODEL: 'deepseek-chat', NLU_LLM_API_KEY: 'sk-x' }).env;
    expect(on).toMatchObject({ NLU_LLM_URL: 'https://api.deepseek.com/v1', NLU_LLM_MODEL: 'deepseek-chat', NLU_LLM_TIMEOUT_MS: 2000 });
    expect(errorOf(() => loadSettings({ NLU_LLM_URL: 'https://api.deepseek.com/v1' }))).toContain('NLU_LLM_MODEL: must be set together with NLU_LLM_URL');
    expect(errorOf(() => loadSettings({ NLU_LLM_URL: 'ftp://x', NLU_LLM_MODEL: 'm' }))).toContain('NLU_LLM_URL');
    expect(errorOf(() => loadSettings({ NLU_LLM_TIMEOUT_MS: '5' }))).toContain('NLU_LLM_TIMEOUT_MS');
  });

  it('accepts only invite codes a guesser cannot find: 12+ characters with letters and digits', () => {
    for (const weak of ['front_desk=abc123', 'front_desk=abcdefghijklmnop', 'front_desk=123456789012345', 'chef=DESK2026abcdef']) {
      expect(errorOf(() => loadSettings({ STAFF_INVITE_CODES: weak }))).toContain('STAFF_INVITE_CODES');
    }
    const codes = loadSettings({ STAFF_INVITE_CODES: 'front_desk=DESK2026abcdef, general_manager=gm-7Q2x-9Lk4-Pw3z' }).complaints.inviteCodes;
    expect({ ...codes }).toEqual({ DESK2026abcdef: 'front_desk', 'gm-7Q2x-9Lk4-Pw3z': 'general_manager' });
    // Looked up by what a stranger types: no prototype keys answer.
    expect(codes.constructor).toBeUndefined();
    expect(Object.getPrototypeOf(codes)).toBeNull();
  });

  it('validates every platform adapter\'s settings with the core ones', () => {
    const malformed = errorOf(() => loadSettings({ TELEGRAM_BOT_TOKEN: 'abc' }));
    expect(malformed).toContain('TELEGRAM_BOT_TOKEN: must look like');
    expect(malformed).not.toMatch(/\babc\b/);
    expect(errorOf(() => loadSettings({ SLACK_BOT_TOKEN: 'xoxp-user', SLACK_SIGNING_SECRET: 's' }))).toContain('SLACK_BOT_TOKEN');
    expect(errorOf(() => loadSettings({ WECHATY_PUPPET: 'left-pad' }))).toContain('WECHATY_PUPPET');
    // One error names every bad variable, core and platform alike.
    const both = errorOf(() => loadSettings({ LOG_LEVEL: 'loud', TELEGRAM_BOT_TOKEN: 'abc', SLACK_BOT_TOKEN: 'xoxb-1' }));
    expect(both).toContain('LOG_LEVEL');
    expect(both).toContain('TELEGRAM_BOT_TOKEN');
    expect(both).toContain('SLACK_SIGNING_SECRET');
  });

  it('gives each platform its parsed settings, undefined when off', () => {
    expect(loadSettings({}).platforms).toEqual({ telegram: undefined, slack: undefined, wechat: undefined });
    // An off platform's other variables are not read (an empty token counts as unset).
    expect(loadSettings({ TELEGRAM_BOT_TOKEN: '', TELEGRAM_MODE: 'webhook' }).platforms.telegram).toBeUndefined();
    const token = '123456789:TESTtoken_0123456789abcdefghijklmno';
    const { platforms } = loadSettings({ TELEGRAM_BOT_TOKEN: token, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    expect(platforms.telegram).toEqual({ token, apiRoot: 'https://api.telegram.org', mode: 'polling', conflictExitAfterMs: 120_000 });
    expect(platforms.slack).toMatchObject({ mode: 'socket', botToken: 'xoxb-1', appToken: 'xapp-1' });
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

  it('checks the departments against the catalog: known services, each in one department, rooms as <channel>:<chat id>', () => {
    const departments = (edit: (d: Record<string, unknown>[]) => void) =>
      errorOf(() => loadCompany(companyFile((c) => edit(c.departments as Record<string, unknown>[]))));
    expect(departments((d) => (d[0]!.services = ['window_washing']))).toMatch(/departments\.0\.services\.0: "window_washing" is not a catalog code/);
    expect(departments((d) => (d[1]!.services = ['daily_cleaning']))).toMatch(/departments\.1\.services\.0: "daily_cleaning" is already handled by "cleaning"/);
    expect(departments((d) => (d[0]!.room = 'cleaning-room'))).toMatch(/departments\.0\.room: must be <channel>:<chat id>/);
  });

  it('reads when the survey starts (surveyStart), with defaults, and names a bad value', () => {
    expect(loadCompany(companyFile((c) => delete c.surveyStart)).surveyStart).toEqual({ confirmWaitHours: 24, unconfirmed: 'survey' });
    expect(loadCompany(companyFile((c) => (c.surveyStart = { unconfirmed: 'phone' }))).surveyStart).toEqual({ confirmWaitHours: 24, unconfirmed: 'phone' });
    expect(errorOf(() => loadCompany(companyFile((c) => (c.surveyStart = { confirmWaitHours: 72 }))))).toContain('surveyStart.confirmWaitHours');
    expect(errorOf(() => loadCompany(companyFile((c) => (c.surveyStart = { unconfirmed: 'email' }))))).toContain('surveyStart.unconfirmed');
  });
});
