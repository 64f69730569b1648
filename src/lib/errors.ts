/**
 * One error family for the whole project (Bolt's `errors.ts` is the model): every error the
 * project throws is a `DeskError` with a stable `code` from `ErrorCode`, one small class per
 * failure worth handling, wrapping its cause. Logs carry errors as `summarizeError(error)`.
 */
import type { ZodError } from 'zod';

/** Stable codes: match on these, never on messages. */
export const ErrorCode = {
  /** A setting or the company file is wrong (exit code 2). */
  ConfigInvalid: 'CONFIG_INVALID',
  /** The database cannot be reached, created or migrated. */
  MigrationFailed: 'MIGRATION_FAILED',
  /** A platform refused or failed a send; see `SendError.permanent` and `retryAfterMs`. */
  SendFailed: 'SEND_FAILED',
  /** A turn could not be committed (duplicate delivery, lost race, number clash). */
  TurnConflict: 'TURN_CONFLICT',
  /** A platform adapter could not connect (token refused, platform unreachable, port taken). */
  AdapterStartFailed: 'ADAPTER_START_FAILED',
  /** A caller passed something no correct caller passes (a programming error). */
  InvalidArgument: 'INVALID_ARGUMENT',
  /** Stored or received data is not of the shape it must have. */
  InvalidPayload: 'INVALID_PAYLOAD',
  /** The database answered in a way it never should (a row missing after an upsert). */
  StoreInvariant: 'STORE_INVARIANT',
  /** A file the product ships with is missing (a chart font). */
  AssetMissing: 'ASSET_MISSING',
  /** A command line was used wrongly. */
  Usage: 'USAGE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The base of every error the project throws. */
export class DeskError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** A setting or the company file is wrong; the message names it and says what is wrong. */
export class ConfigError extends DeskError {
  constructor(message: string) {
    super(ErrorCode.ConfigInvalid, message);
  }
}

/** A command line was used wrongly; the message says how to use it. */
export class UsageError extends DeskError {
  constructor(message: string) {
    super(ErrorCode.Usage, message);
  }
}

/**
 * A delivery failure. `retryAfterMs` from a platform's 429 (Telegram retry_after, Slack
 * Retry-After); `permanent` for failures retrying cannot fix (chat not found, bot blocked).
 * Keep tokens and phone numbers out of `message`: it is stored as the row's `lastError`.
 */
export class SendError extends DeskError {
  readonly retryAfterMs?: number;
  readonly permanent: boolean;

  constructor(message: string, opts: { retryAfterMs?: number; permanent?: boolean; cause?: unknown } = {}) {
    super(ErrorCode.SendFailed, message, opts);
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = Math.max(0, opts.retryAfterMs);
    this.permanent = opts.permanent ?? false;
  }
}

/** Why a turn could not be committed; the core retries or drops the turn accordingly. */
export class TurnConflict extends DeskError {
  constructor(
    readonly reason: 'duplicate' | 'stale' | 'number_taken',
    options?: { cause?: unknown },
  ) {
    super(ErrorCode.TurnConflict, `turn not committed: ${reason}`, options);
  }
}

/** The database is unreachable, or a migration failed: the message says which. */
export class MigrationError extends DeskError {
  /** The migration folder name involved, when known. */
  readonly migration: string | undefined;
  /** Prisma's own error code from the engine (e.g. P3009, P1014), when it gave one. */
  readonly prismaCode: string | undefined;

  constructor(message: string, options: { migration?: string; prismaCode?: string; cause?: unknown } = {}) {
    super(ErrorCode.MigrationFailed, message, options);
    this.migration = options.migration;
    this.prismaCode = options.prismaCode;
  }
}

/** A platform adapter could not start; the message names the platform and the reason, no token. */
export class AdapterStartError extends DeskError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(ErrorCode.AdapterStartFailed, message, options);
  }
}

/** Whether `error` is one of the project's errors with `code`. */
export function hasCode(error: unknown, code: ErrorCode): error is DeskError {
  return error instanceof DeskError && error.code === code;
}

/** The one shape an error takes in a log line: code, name, message, and the cause's message. */
export interface ErrorSummary {
  code: string;
  name: string;
  message: string;
  cause?: string;
}

/** Summarises any thrown value for a log line; errors outside the family get code `UNEXPECTED`. */
export function summarizeError(error: unknown): ErrorSummary {
  if (!(error instanceof Error)) return { code: 'UNEXPECTED', name: typeof error, message: String(error) };
  if (isDatabaseError(error)) return databaseSummary(error);
  const code = error instanceof DeskError ? error.code : typeof (error as Error & { code?: unknown }).code === 'string' ? String((error as Error & { code?: unknown }).code) : 'UNEXPECTED';
  const cause = error.cause === undefined ? undefined : messageOf(error.cause);
  return { code, name: error.name, message: error.message, ...(cause === undefined ? {} : { cause }) };
}

/**
 * Whether `error` comes from the database layer: Prisma's client errors, the driver adapters'
 * errors, PostgreSQL's (pg) and SQLite's (better-sqlite3). Their messages carry query arguments
 * (user ids, customers' text), so logs keep only their code and where it happened.
 */
export function isDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (/^PrismaClient|^DriverAdapterError$|^SqliteError$/.test(error.name)) return true;
  // pg's DatabaseError: a SQLSTATE code and a severity.
  const fields = error as Error & { severity?: unknown; code?: unknown };
  return typeof fields.severity === 'string' && typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code);
}

/** A database error's code and the model, table or fields involved, never its message. */
function databaseSummary(error: Error): ErrorSummary {
  const fields = error as Error & { code?: unknown; meta?: Record<string, unknown>; table?: unknown; constraint?: unknown };
  const code = typeof fields.code === 'string' ? fields.code : 'DATABASE_ERROR';
  const where = [fields.meta?.modelName, fields.meta?.target, fields.table, fields.constraint]
    .filter((part) => typeof part === 'string' || Array.isArray(part))
    .map(String);
  const message = `database error ${code}${where.length ? ` (${where.join(', ')})` : ''}`;
  const cause = isDatabaseError(error.cause) ? databaseSummary(error.cause as Error).message : undefined;
  return { code, name: error.name, message, ...(cause === undefined ? {} : { cause }) };
}

/**
 * The message of a cause: a database error's summary, an error's message, a summary's (an object
 * with a string `message`), or the value as text.
 */
function messageOf(cause: unknown): string {
  if (isDatabaseError(cause)) return databaseSummary(cause as Error).message;
  if (cause instanceof Error) return cause.message;
  const message = typeof cause === 'object' && cause !== null ? (cause as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(cause);
}

/** One line per issue: `  - path.to.field: what is wrong`. */
export function formatZodIssues(error: Pick<ZodError, 'issues'>): string {
  return error.issues
    .map((issue) => `  - ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}
