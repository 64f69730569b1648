/**
 * Settings from the environment, validated with zod once, at the top of every command: the core's
 * variables (below) and every platform adapter's (each adapter contributes its schema, see
 * adapters/config.ts) in one pass, into one `Settings` object. Every variable is listed in
 * .env.example with a comment; a bad value stops the command with a `ConfigError` naming the
 * variable (exit code 2).
 */
import { DEFAULT_WORK_ORDER_POLICY, type WorkOrderPolicy } from '../domain/workorder/rules.ts';
import { existsSync } from 'node:fs';
import cron from 'node-cron';
import { z } from 'zod';
import type { ComplaintSettings, Room } from '../domain/complaints/settings.ts';
import { CHANNELS } from '../contracts/messages.ts';
import { DEFAULT_SURVEY_POLICY, type SurveyPolicy } from '../domain/survey/timing.ts';
import { DEFAULT_HANDOVER_POLICY, type HandoverPolicy } from '../domain/handover/rules.ts';
import { loadCompany, SAMPLE_COMPANY_FILE } from './company.ts';
import { ConfigError, formatZodIssues } from '../lib/errors.ts';
import { withoutEmpty } from '../lib/env-section.ts';
import { isLocalPostgresUrl } from '../lib/database-url.ts';
import { PROJECT_ROOT } from '../lib/project-root.ts';
import { ROLES, type Role } from '../contracts/records.ts';
import type { Company } from '../contracts/company.ts';
import { platformEnvSchemas, type PlatformSettings } from '../../adapters/config.ts';

/** The embedded default database: a SQLite file under data/. */
const DEFAULT_DATABASE_URL = `file:${PROJECT_ROOT}data/jiazheng.db`;

const room = z
  .string()
  .regex(new RegExp(`^(${CHANNELS.join('|')}):.+$`), `must be <channel>:<chat id> with channel one of ${CHANNELS.join(', ')}`)
  .transform((v): Room => {
    const at = v.indexOf(':');
    return { channel: v.slice(0, at) as Room['channel'], chatId: v.slice(at + 1) };
  });

/** Invite codes a guesser cannot find (DOMAIN §5): long, with letters and digits. */
const MIN_INVITE_CODE_LENGTH = 12;
function strongInviteCode(code: string): boolean {
  return code.length >= MIN_INVITE_CODE_LENGTH && /\p{L}/u.test(code) && /\d/.test(code);
}

const inviteCodes = z
  .string()
  .transform((v, ctx): Record<string, Role> => {
    // No prototype: a code such as "constructor" or "__proto__" is only ever an own key.
    const codes: Record<string, Role> = Object.create(null) as Record<string, Role>;
    for (const pair of v.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [role, code] = pair.split('=').map((p) => p.trim());
      if (!role || !code || !(ROLES as readonly string[]).includes(role) || !strongInviteCode(code)) {
        ctx.addIssue({
          code: 'custom',
          message: `"${pair.replace(/=.*/, '=…')}" must be <role>=<code>, role one of ${ROLES.join(', ')}, code of ${MIN_INVITE_CODE_LENGTH}+ characters with letters and digits`,
        });
        return z.NEVER;
      }
      codes[code] = role as Role;
    }
    return codes;
  });

/** Invite codes of the embedded default. They work only from the console (the local terminal). */
const CONSOLE_INVITE_CODES: Record<string, Role> = {
  'front-desk': 'front_desk',
  'on-site': 'on_site',
  'dept-head': 'department_head',
  'general-manager': 'general_manager',
};

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
  /**
   * PostgreSQL: create the database of DATABASE_URL when it does not exist. Unset: true for a
   * server on this machine (localhost, loopback, unix socket), false otherwise.
   */
  DATABASE_CREATE: z.enum(['true', 'false'], { message: 'must be true or false' }).transform((v) => v === 'true').optional(),
  /** PostgreSQL connections per instance (mind the server's max_connections across instances). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * PostgreSQL's synchronous_commit for this process's connections. `records` (the default): a
   * turn that writes a record (a booking, a complaint, an escalation, a survey answer, anything
   * besides the conversation itself) is answered once its commit is on disk; a turn that only moves
   * the conversation (a slot filled, a question answered) does not wait for the disk. `on`: every
   * commit waits. `off`: none does. A server or machine crash may lose the last ~0.6 s of what did
   * not wait (never part of a turn).
   */
  POSTGRES_SYNCHRONOUS_COMMIT: z.enum(['records', 'on', 'off']).default('records'),
  /** Locale used before the customer writes anything (the bot follows the customer's language). */
  DEFAULT_LOCALE: z.enum(['zh', 'en']).default('zh'),
  /** `<role>=<code>,...`; unset: the built-in console-only codes. */
  STAFF_INVITE_CODES: inviteCodes.optional(),
  STAFF_ROOM_CONTACT: room.default({ channel: 'console', chatId: 'front-desk' }),
  STAFF_ROOM_DEPARTMENT_HEAD: room.default({ channel: 'console', chatId: 'heads' }),
  STAFF_ROOM_GENERAL_MANAGER: room.default({ channel: 'console', chatId: 'managers' }),
  COMPLAINT_MAJOR_LOSS_YUAN: z.coerce.number().int().positive().default(2000),
  COMPLAINT_REPEATED_TIMES: z.coerce.number().int().min(1).max(20).default(2),
  COMPLAINT_GROUP_MIN_CUSTOMERS: z.coerce.number().int().min(2).max(1000).default(5),
  COMPLAINT_GROUP_WINDOW_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  COMPLAINT_CALLBACK_DELAY_MINUTES: z.coerce.number().int().min(0).max(23 * 60).default(60),
  SURVEY_DELAY_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(120),
  SURVEY_REMINDER_HOURS: z.coerce.number().int().min(1).max(48).default(24),
  SURVEY_PHONE_AFTER_HOURS: z.coerce.number().int().min(1).max(72).default(48),
  /** Local time (HH:mm) of the customer's evening-before visit reminder; moved earlier out of quiet hours. */
  WORKORDER_REMINDER_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day written HH:mm, e.g. "19:00"')
    .default(DEFAULT_WORK_ORDER_POLICY.reminderTime),
  /** Minutes the customer has to answer a worker's late notice before the front desk is told. */
  WORKORDER_RECONFIRM_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(DEFAULT_WORK_ORDER_POLICY.reconfirmMinutes),
  /** A visit starting more than this many minutes late without notice is a lateness event. */
  WORKORDER_LATE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(DEFAULT_WORK_ORDER_POLICY.lateAfterMinutes),
  /** When the complaint-deadline and survey sweeps run (node-cron; a sixth leading field counts seconds). */
  SWEEP_SCHEDULE: z
    .string()
    .default('* * * * *')
    .refine((expression) => cron.validate(expression), 'must be a cron expression such as "* * * * *" (every minute)'),
  /** How long an instance's claim on a due survey or an outbox message lasts; a dead instance's work is taken over after it. */
  LEASE_SECONDS: z.coerce.number().int().min(3).max(3600).default(30),
  /**
   * The bot's overall Telegram sending rate for this instance (Telegram allows about 30/s per bot;
   * with N instances give each 30/N; more only for bots with paid broadcasts).
   */
  TELEGRAM_MESSAGES_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(30),
  /**
   * Turns one conversation (a private chat, or one member of a staff room) may take in any rolling
   * minute; beyond it one polite "please wait" and no work, so one chat cannot monopolise the bot.
   */
  TURN_BUDGET_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  /** Minutes within which a person answers a handover inside desk hours; also each escalation step of an unclaimed one. */
  HANDOVER_ANSWER_MINUTES: z.coerce.number().int().min(1).max(240).default(5),
  /** Minutes without a message either way after which a handover ends by itself. */
  HANDOVER_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(30),
  /** Day of the month the monthly report is posted (before the 30th, DOMAIN §4). */
  REPORT_MONTHLY_DAY: z.coerce.number().int().min(1).max(29).default(28),
  /**
   * The optional large-model fallback for messages the intent classifier is unsure of: an
   * OpenAI-compatible chat-completions endpoint (base URL or full URL), its model and key.
   * Off unless the URL and the model are both set.
   */
  NLU_LLM_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL of an OpenAI-compatible API' }).optional(),
  NLU_LLM_MODEL: z.string().min(1).max(200).optional(),
  NLU_LLM_API_KEY: z.string().min(1).max(500).optional(),
  /** How long one fallback request may take before the bot asks its clarifying question instead. */
  NLU_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2000),
});

export type Env = Omit<z.infer<typeof envSchema>, 'DATABASE_CREATE'> & { DATABASE_CREATE: boolean };

/** Everything the process is configured with, validated. */
export interface Settings {
  /** The core's variables, parsed (defaults applied). */
  env: Env;
  /** The company file COMPANY_FILE names. */
  company: Company;
  complaints: ComplaintSettings;
  survey: SurveyPolicy;
  /** Handovers to a person: answer time, idle end, the customer's person window. */
  handover: HandoverPolicy;
  workOrders: WorkOrderPolicy;
  /** Each platform adapter's settings (`telegram`, `slack`, `wechat`); undefined for a platform that is off. */
  platforms: PlatformSettings;
}

/** The whole environment, read once by the core's schema and by each platform's. */
const settingsSchema = z.object({ env: envSchema, ...platformEnvSchemas });

function complaintSettings(env: Env): ComplaintSettings {
  return {
    rooms: { contact: env.STAFF_ROOM_CONTACT, department_head: env.STAFF_ROOM_DEPARTMENT_HEAD, general_manager: env.STAFF_ROOM_GENERAL_MANAGER },
    inviteCodes: env.STAFF_INVITE_CODES ?? CONSOLE_INVITE_CODES,
    consoleOnlyCodes: env.STAFF_INVITE_CODES === undefined,
    gradePolicy: { majorLossYuan: env.COMPLAINT_MAJOR_LOSS_YUAN, repeatedTimes: env.COMPLAINT_REPEATED_TIMES },
    groupPolicy: { minCustomers: env.COMPLAINT_GROUP_MIN_CUSTOMERS, windowDays: env.COMPLAINT_GROUP_WINDOW_DAYS },
    callbackDelayMs: env.COMPLAINT_CALLBACK_DELAY_MINUTES * 60_000,
  };
}

/**
 * Validates the environment (the core's variables and every platform's, together) and reads the
 * company file. Empty strings count as unset, as they do in most .env tooling.
 * @param source the environment; commands pass `loadDotEnv()`, tests a literal object.
 * @throws ConfigError naming each bad variable and what is wrong with it (never its value).
 */
export function loadSettings(source: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env): Settings {
  const cleaned = withoutEmpty(source);
  // Each part (the core's `env`, each platform's) reads the whole environment.
  const parsed = settingsSchema.safeParse(Object.fromEntries(Object.keys(settingsSchema.shape).map((part) => [part, cleaned])));
  if (!parsed.success) {
    // Drop the first path segment (`env`, `telegram`, ...): the variable's name is what users set.
    const issues = parsed.error.issues.map((issue) => ({ ...issue, path: issue.path.slice(1) }));
    throw new ConfigError(`Invalid settings:\n${formatZodIssues({ issues })}`);
  }
  const { env: parsedEnv, ...platforms } = parsed.data;
  const env = { ...parsedEnv, DATABASE_CREATE: parsedEnv.DATABASE_CREATE ?? isLocalPostgresUrl(parsedEnv.DATABASE_URL) };
  if (Boolean(env.NLU_LLM_URL) !== Boolean(env.NLU_LLM_MODEL)) {
    const missing = env.NLU_LLM_URL ? 'NLU_LLM_MODEL' : 'NLU_LLM_URL';
    throw new ConfigError(`Invalid settings:\n  - ${missing}: must be set together with ${missing === 'NLU_LLM_URL' ? 'NLU_LLM_MODEL' : 'NLU_LLM_URL'} (the large-model fallback)`);
  }
  const survey: SurveyPolicy = {
    ...DEFAULT_SURVEY_POLICY,
    delayMs: env.SURVEY_DELAY_MINUTES * 60_000,
    reminderAfterMs: env.SURVEY_REMINDER_HOURS * 3_600_000,
    phoneAfterMs: env.SURVEY_PHONE_AFTER_HOURS * 3_600_000,
  };
  const handover: HandoverPolicy = { ...DEFAULT_HANDOVER_POLICY, answerMs: env.HANDOVER_ANSWER_MINUTES * 60_000, idleMs: env.HANDOVER_IDLE_MINUTES * 60_000 };
  const workOrders: WorkOrderPolicy = {
    reminderTime: env.WORKORDER_REMINDER_TIME,
    reconfirmMinutes: env.WORKORDER_RECONFIRM_MINUTES,
    lateAfterMinutes: env.WORKORDER_LATE_MINUTES,
  };
  return { env, company: loadCompany(env.COMPANY_FILE), complaints: complaintSettings(env), survey, workOrders, handover, platforms };
}

/**
 * Reads `.env` from the project root into `process.env` when the file exists (variables already
 * set in the environment win) and returns `process.env`. Every command starts with
 * `loadSettings(loadDotEnv())`, so all read `.env` the same way and validate everything.
 */
export function loadDotEnv(path = `${PROJECT_ROOT}.env`): NodeJS.ProcessEnv {
  if (existsSync(path)) {
    const before = { ...process.env };
    process.loadEnvFile(path);
    Object.assign(process.env, before);
  }
  return process.env;
}
