/**
 * Web API failures as the outbox understands them: `SendError` with `retryAfterMs` for a rate
 * limit (HTTP 429 with Retry-After), `permanent` for errors retrying cannot fix, and a plain
 * retryable `SendError` for the rest (network, 5xx, Slack-side hiccups).
 */
import { webApi } from '@slack/bolt';
import { SendError } from '../../src/lib/errors.ts';

/**
 * Slack error codes that mean "this message will never go through as is": the conversation is
 * gone or closed to the bot, the token is dead, or the message itself is refused.
 */
const PERMANENT_SLACK_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'restricted_action',
  'invalid_blocks',
  'msg_too_long',
  'no_text',
]);

/** The Retry-After of a rate-limited call in milliseconds, or undefined for any other failure. */
export function rateLimitDelayMs(error: unknown): number | undefined {
  if (error instanceof webApi.WebAPIRateLimitedError) return Math.max(0, error.retryAfter) * 1000;
  return undefined;
}

/** The Slack error code of a refused call (`ok: false`), e.g. `channel_not_found`. */
export function slackErrorCode(error: unknown): string | undefined {
  if (error instanceof webApi.WebAPIPlatformError) {
    const code: unknown = error.data.error;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/**
 * Wraps a failed Web API call (`what`, e.g. "chat.postMessage") in a `SendError`. The message
 * names the call and Slack's error code only: no token, no message text.
 */
export function toSendError(what: string, error: unknown): SendError {
  if (error instanceof SendError) return error;
  const retryAfterMs = rateLimitDelayMs(error);
  if (retryAfterMs !== undefined) {
    return new SendError(`slack ${what} rate limited, retry after ${retryAfterMs} ms`, { retryAfterMs, cause: error });
  }
  const code = slackErrorCode(error);
  if (code !== undefined) {
    return new SendError(`slack ${what} failed: ${code}`, { permanent: PERMANENT_SLACK_ERRORS.has(code), cause: error });
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    return new SendError(`slack ${what} failed: HTTP ${error.statusCode}`, { cause: error });
  }
  if (error instanceof webApi.WebAPIRequestError) {
    return new SendError(`slack ${what} failed: request error`, { cause: error });
  }
  return new SendError(`slack ${what} failed`, { cause: error });
}

/** A short description of a Web API failure for logs: the Slack error code or HTTP status, no secrets. */
export function describeSlackError(error: unknown): string {
  const retryAfterMs = rateLimitDelayMs(error);
  if (retryAfterMs !== undefined) return `rate limited (retry after ${retryAfterMs} ms)`;
  const code = slackErrorCode(error);
  if (code !== undefined) return code;
  if (error instanceof webApi.WebAPIHTTPError) return `HTTP ${error.statusCode}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
