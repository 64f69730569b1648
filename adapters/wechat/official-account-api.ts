/**
 * The official account's (公众号) side of the platform API the adapter uses: the access token
 * (`/cgi-bin/stable_token`, which, unlike `/cgi-bin/token`, does not invalidate the token other
 * instances hold) and the customer-service text message (`/cgi-bin/message/custom/send`). The
 * platform's error codes become `SendError`s: permanent when retrying cannot help (the customer has
 * not written within the window, unknown openid, no permission), retryable otherwise. Error
 * messages never carry the access token or the secret.
 */
import { SendError } from '../../src/lib/errors.ts';
import type { WechatOfficialAccountConfig } from './config.ts';

/** The platform's answer: `errcode` 0 or absent on success. */
interface ApiAnswer {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
}

/** The token is invalid or expired: fetch another and try once more. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);

/**
 * Retrying cannot help: 45015 the customer has not written within the window (48 h) or
 * unfollowed; 45047 the messages allowed after the customer's last one are used up; 40003 no such
 * openid; 43004 the customer does not follow the account; 48001 the account lacks the
 * customer-service message permission; 40008 invalid message type.
 */
const PERMANENT_ERRORS = new Set([45015, 45047, 40003, 43004, 48001, 40008]);

/** Longest text one message carries; longer texts go out as several messages. */
const MAX_TEXT_BYTES = 2_000;

/** Renew the token this long before it expires. */
const TOKEN_MARGIN_MS = 5 * 60_000;

/** A request to the platform that took longer than this failed. */
const REQUEST_TIMEOUT_MS = 15_000;

interface ApiOptions {
  fetch?: typeof fetch;
  now?: () => number;
}

export class OfficialAccountApi {
  readonly #config: Pick<WechatOfficialAccountConfig, 'appId' | 'secret' | 'apiBase'>;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  #token: { value: string; expiresAt: number } | undefined;
  #fetching: Promise<string> | undefined;

  constructor(config: Pick<WechatOfficialAccountConfig, 'appId' | 'secret' | 'apiBase'>, opts: ApiOptions = {}) {
    this.#config = config;
    this.#fetch = opts.fetch ?? fetch;
    this.#now = opts.now ?? Date.now;
  }

  /**
   * A valid access token, fetched when there is none or it is about to expire (one request at a
   * time however many sends wait for it).
   * @throws SendError (retryable) when the platform refuses or cannot be reached; `refused` tells
   *   a refusal (wrong AppID or secret, server IP not in the whitelist) from an outage.
   */
  async accessToken(): Promise<string> {
    if (this.#token && this.#token.expiresAt - TOKEN_MARGIN_MS > this.#now()) return this.#token.value;
    this.#fetching ??= this.#fetchToken().finally(() => {
      this.#fetching = undefined;
    });
    return this.#fetching;
  }

  async #fetchToken(): Promise<string> {
    const answer = await this.#post('cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: this.#config.appId,
      secret: this.#config.secret,
      force_refresh: false,
    });
    if (!answer.access_token) {
      throw new TokenRefused(`the official-account API refused the access token: ${describe(answer)} (check WECHAT_OA_APPID, WECHAT_OA_SECRET and the IP whitelist)`);
    }
    const lifetimeMs = Math.max(60, answer.expires_in ?? 7200) * 1000;
    this.#token = { value: answer.access_token, expiresAt: this.#now() + lifetimeMs };
    return answer.access_token;
  }

  /**
   * Sends one text message to a customer (split into several when longer than MAX_TEXT_BYTES).
   * @throws SendError, permanent for the errors in PERMANENT_ERRORS, retryable otherwise.
   */
  async sendText(openId: string, text: string): Promise<void> {
    for (const part of splitText(text, MAX_TEXT_BYTES)) {
      await this.#sendOne({ touser: openId, msgtype: 'text', text: { content: part } });
    }
  }

  async #sendOne(message: Record<string, unknown>): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.accessToken();
      const answer = await this.#post(`cgi-bin/message/custom/send?access_token=${encodeURIComponent(token)}`, message);
      const code = answer.errcode ?? 0;
      if (code === 0) return;
      if (TOKEN_ERRORS.has(code) && attempt === 1) {
        this.#token = undefined;
        continue;
      }
      throw new SendError(`official-account custom/send failed: ${describe(answer)}`, { permanent: PERMANENT_ERRORS.has(code) });
    }
  }

  /** POSTs JSON; a network failure, a timeout or a non-2xx status is a retryable SendError. */
  async #post(path: string, body: unknown): Promise<ApiAnswer> {
    const name = path.split('?')[0];
    let response: Response;
    try {
      response = await this.#fetch(new URL(path, this.#config.apiBase), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new SendError(`official-account API ${name} unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) throw new SendError(`official-account API ${name} answered HTTP ${response.status}`);
    try {
      return (await response.json()) as ApiAnswer;
    } catch {
      throw new SendError(`official-account API ${name} answered something other than JSON`);
    }
  }
}

/** The access token was refused (credentials or IP whitelist): retried, but worth an error log. */
export class TokenRefused extends SendError {}

function describe(answer: ApiAnswer): string {
  return `errcode ${answer.errcode ?? '?'} ${(answer.errmsg ?? '').slice(0, 200)}`.trim();
}

/** Splits text into parts of at most `maxBytes` UTF-8 bytes, at line ends where it can. */
function splitText(text: string, maxBytes: number): string[] {
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  if (bytes(text) <= maxBytes) return [text];
  const parts: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const joined = current === '' ? line : `${current}\n${line}`;
    if (bytes(joined) <= maxBytes) {
      current = joined;
      continue;
    }
    if (current !== '') parts.push(current);
    current = '';
    // A line longer than a part is cut by characters.
    for (const char of line) {
      if (bytes(current + char) > maxBytes) {
        parts.push(current);
        current = '';
      }
      current += char;
    }
  }
  if (current !== '') parts.push(current);
  return parts;
}
