/**
 * Settings from the environment, validated with zod at start. Every variable is listed in
 * .env.example with a comment; a bad value stops the start with a message naming the variable.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadCompany, SAMPLE_COMPANY_FILE, type Company } from './company.ts';
import { ConfigError, formatZodIssues } from './errors.ts';

/** Project root, resolved from this file so commands work from any working directory. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The embedded default database: a SQLite file under data/. */
export const DEFAULT_DATABASE_URL = `file:${PROJECT_ROOT}data/jiazheng.db`;

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .refine(
      (url) => /^file:.+/.test(url) || /^postgres(ql)?:\/\//.test(url),
      'must be file:<path> for SQLite or postgresql://... for PostgreSQL',
    ),
  COMPANY_FILE: z.string().min(1).default(SAMPLE_COMPANY_FILE),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Milliseconds a SQLite writer waits for another process's lock before failing. */
  SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** NORMAL is safe against process crashes in WAL mode; FULL also survives power loss. */
  SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  /** Locale used before the customer writes anything (the bot follows the customer's language). */
  DEFAULT_LOCALE: z.enum(['zh', 'en']).default('zh'),
});

export type Env = z.infer<typeof envSchema>;

/** Everything the process is configured with. */
export interface Settings {
  env: Env;
  company: Company;
}

/**
 * Reads and validates the environment and the company file.
 * @throws ConfigError naming each bad variable and what is wrong with it.
 */
export function loadSettings(source: NodeJS.ProcessEnv = process.env): Settings {
  // Empty strings count as unset, as they do in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(`Invalid environment settings:\n${formatZodIssues(parsed.error)}`);
  }
  return { env: parsed.data, company: loadCompany(parsed.data.COMPANY_FILE) };
}

/**
 * Reads `.env` from the project root into `process.env` when the file exists; variables already
 * set in the environment win.
 */
export function loadDotEnv(path = `${PROJECT_ROOT}.env`): void {
  if (!existsSync(path)) return;
  const before = { ...process.env };
  process.loadEnvFile(path);
  Object.assign(process.env, before);
}
