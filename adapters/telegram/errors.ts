/**
 * Telegram failures, classified for retry decisions and described without the bot token.
 *
 * telegraf puts the token in every request URL (`/bot<token>/<method>`), so a network error's
 * message can carry it, and a `TelegramError` keeps the request payload (the customer's text) on
 * `error.on`. Nothing from here logs or stores the raw error: `describeError` and `toSendError`
 * copy only what is safe.
 */
import { TelegramError } from 'telegraf';
import { SendError, summarizeError, type ErrorSummary } from '../../src/lib/errors.ts';

/** A bot token anywhere in a string (`123456:ABC...`), as telegraf builds it into URLs. */
const TOKEN_PATTERN = /\d+:[A-Za-z0-9_-]{35}/g;

/** Replaces any bot token (the given one, and anything shaped like one) with `[token]`. */
export function redactToken(text: string, token?: string): string {
  const withoutGiven = token ? text.split(token).join('[token]') : text;
  return withoutGiven.replace(TOKEN_PATTERN, '[token]');
}

/** What a failure means for the next attempt. */
type TelegramFailure =
  /** 429: wait `retryAfterMs` (Telegram's `retry_after`) and try again. */
  | { kind: 'rate-limited'; retryAfterMs: number }
  /** 403 (bot blocked, kicked) or 400 (chat not found, bad request): the same request will fail again. */
  | { kind: 'permanent' }
  /** Network failure, 5xx, anything else: may work later. */
  | { kind: 'transient' };

/** Telegram sends `retry_after` with every 429; this is used if one ever comes without it. */
const DEFAULT_RETRY_AFTER_MS = 5000;

/** Sorts an error thrown by a telegraf API call. */
export function classifyFailure(error: unknown): TelegramFailure {
  if (!(error instanceof TelegramError)) return { kind: 'transient' };
  if (error.code === 429) {
    const seconds = error.parameters?.retry_after;
    return { kind: 'rate-limited', retryAfterMs: typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS };
  }
  // 400 covers "chat not found" and malformed requests (too long, bad markup): resending the same
  // request cannot succeed. 403 is "bot was blocked by the user" or "kicked from the group".
  if (error.code === 400 || error.code === 403) return { kind: 'permanent' };
  return { kind: 'transient' };
}

/** True for Telegram's 400 "chat not found". */
export function isChatNotFound(error: unknown): boolean {
  return error instanceof TelegramError && error.code === 400 && /chat not found/i.test(error.description);
}

/** The API method a `TelegramError` came from (telegraf records it with the payload on `error.on`). */
function methodOf(error: TelegramError): string | undefined {
  const on: { method?: unknown } = error.on;
  return typeof on.method === 'string' ? on.method : undefined;
}

/** `summarizeError`'s shape, plus Telegram's method and `retry_after` for a refused call. */
interface TelegramErrorSummary extends ErrorSummary {
  method?: string;
  retryAfter?: number;
}

/**
 * A log-safe summary of any error in the project's one shape (log it as `err`): code, name,
 * redacted message and cause; for a `TelegramError`, code `TELEGRAM_<code>` with Telegram's
 * description, method and `retry_after`.
 */
export function describeError(error: unknown, token?: string): TelegramErrorSummary {
  if (error instanceof TelegramError) {
    const method = methodOf(error);
    const retryAfter = error.parameters?.retry_after;
    return {
      code: `TELEGRAM_${error.code}`,
      name: 'TelegramError',
      message: redactToken(error.description ?? '', token),
      ...(method === undefined ? {} : { method }),
      ...(retryAfter === undefined ? {} : { retryAfter }),
    };
  }
  const summary = summarizeError(error);
  return {
    ...summary,
    message: redactToken(summary.message, token),
    ...(summary.cause === undefined ? {} : { cause: redactToken(summary.cause, token) }),
  };
}

/**
 * Turns a failed delivery into the outbox's `SendError`: 429 -> `retryAfterMs`, 400/403 ->
 * `permanent`, anything else retryable. The message names the method and Telegram's answer, never
 * the token or the message text; the cause is the same safe summary, not the raw error.
 */
export function toSendError(error: unknown, token?: string): SendError {
  const failure = classifyFailure(error);
  const summary = describeError(error, token);
  const what =
    error instanceof TelegramError
      ? `telegram ${summary.method ?? 'call'} failed: ${error.code} ${summary.message}`
      : `telegram send failed: ${summary.message}`;
  return new SendError(what, {
    retryAfterMs: failure.kind === 'rate-limited' ? failure.retryAfterMs : undefined,
    permanent: failure.kind === 'permanent',
    cause: summary,
  });
}
