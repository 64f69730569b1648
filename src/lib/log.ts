/**
 * Structured logging with pino (JSON lines, fast, with redaction built in). Customers' phone
 * numbers, addresses and platform tokens never reach the log (DOMAIN §5). Errors take one shape
 * in every line: log them as `log.x({ err }, '...')` and `err` prints as `summarizeError(err)`
 * (`{ code, name, message, cause }`), plus the stack when the level is debug or trace.
 */
import { pino, type Logger } from 'pino';
import { isDatabaseError, summarizeError, type ErrorSummary } from './errors.ts';

export type { Logger };

/** Paths pino blanks out wherever they appear in a log object. */
const REDACT = ['phone', '*.phone', 'address', '*.address', 'token', '*.token', 'secret', '*.secret', 'text', '*.text'];

/** Levels at which an error's stack is worth its bytes. */
const STACK_LEVELS = new Set(['debug', 'trace']);

/** A value already in the summary shape (an adapter's redacted description): kept as it is. */
function isSummary(value: unknown): value is ErrorSummary {
  if (typeof value !== 'object' || value === null || value instanceof Error) return false;
  const { code, name, message } = value as Record<string, unknown>;
  return typeof code === 'string' && typeof name === 'string' && typeof message === 'string';
}

/** The `err` serializer: every error as one summary, with its stack when `withStack`. */
function errorSerializer(withStack: boolean): (value: unknown) => ErrorSummary & { stack?: string } {
  return (value) => {
    if (isSummary(value)) return value;
    const summary = summarizeError(value);
    // A database error's stack starts with its message, query arguments included: never logged.
    return withStack && value instanceof Error && value.stack && !isDatabaseError(value) ? { ...summary, stack: value.stack } : summary;
  };
}

/**
 * The process logger. Logs go to stderr so that the console chat's stdout stays a clean
 * transcript.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    { level, redact: { paths: REDACT, censor: '[redacted]' }, serializers: { err: errorSerializer(STACK_LEVELS.has(level)) } },
    destination,
  );
}

/** A logger that drops everything, for tests and benchmarks. */
export const silentLogger: Logger = pino({ level: 'silent' });
