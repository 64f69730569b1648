/**
 * Structured logging with pino (JSON lines, fast, with redaction built in). Customers' phone
 * numbers, addresses and platform tokens never reach the log (DOMAIN §5).
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever they appear in a log object. */
const REDACT = ['phone', '*.phone', 'address', '*.address', 'token', '*.token', 'secret', '*.secret', 'text', '*.text'];

/**
 * The process logger. Logs go to stderr so that the console chat's stdout stays a clean
 * transcript.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, pino.destination(2));
}

/** A logger that drops everything, for tests and benchmarks. */
export const silentLogger: Logger = pino({ level: 'silent' });
