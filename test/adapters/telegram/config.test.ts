import { describe, expect, it } from 'vitest';
import { telegramConfigFromEnv } from '../../../adapters/telegram/config.ts';
import { ConfigError } from '../../../src/lib/errors.ts';

const TOKEN = '123456789:TESTtoken_0123456789abcdefghijklmno';

function error(env: Record<string, string>): ConfigError {
  try {
    telegramConfigFromEnv(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('telegramConfigFromEnv', () => {
  it('is off without a token (empty counts as unset)', () => {
    expect(telegramConfigFromEnv({})).toBeUndefined();
    expect(telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: '', TELEGRAM_MODE: 'webhook' })).toBeUndefined();
  });

  it('defaults to long polling against api.telegram.org', () => {
    expect(telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: TOKEN, PATH: '/usr/bin' })).toEqual({
      token: TOKEN,
      apiRoot: 'https://api.telegram.org',
      conflictExitAfterMs: 120_000,
      mode: 'polling',
    });
    expect(telegramConfigFromEnv({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_CONFLICT_EXIT_AFTER_MS: '30000' })?.conflictExitAfterMs).toBe(30_000);
  });

  it('reads webhook mode, taking the local path from the public URL', () => {
    const config = telegramConfigFromEnv({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/telegram/hook-7f3a',
      TELEGRAM_WEBHOOK_SECRET: 'abc_DEF-123',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081',
    });
    expect(config).toEqual({
      token: TOKEN,
      apiRoot: 'http://127.0.0.1:8081',
      conflictExitAfterMs: 120_000,
      mode: 'webhook',
      webhook: { url: 'https://bot.example.com/telegram/hook-7f3a', path: '/telegram/hook-7f3a', secret: 'abc_DEF-123', port: 8443 },
    });
  });

  it('names a malformed token without echoing it', () => {
    const bad = '12345:tooshort';
    const e = error({ TELEGRAM_BOT_TOKEN: bad });
    expect(e.message).toContain('TELEGRAM_BOT_TOKEN');
    expect(e.message).not.toContain('tooshort');
  });

  it('requires the webhook URL (https) and secret in webhook mode', () => {
    const missing = error({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: 'webhook' });
    expect(missing.message).toContain('TELEGRAM_WEBHOOK_URL');
    expect(missing.message).toContain('TELEGRAM_WEBHOOK_SECRET');
    const http = error({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_URL: 'http://bot.example.com/h', TELEGRAM_WEBHOOK_SECRET: 's' });
    expect(http.message).toContain('TELEGRAM_WEBHOOK_URL');
    const secret = error({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_URL: 'https://b.example.com/h', TELEGRAM_WEBHOOK_SECRET: 'no spaces!' });
    expect(secret.message).toContain('TELEGRAM_WEBHOOK_SECRET');
  });

  it('names a bad mode or port', () => {
    expect(error({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: 'push' }).message).toContain('TELEGRAM_MODE');
    expect(error({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_PORT: '70000' }).message).toContain('TELEGRAM_WEBHOOK_PORT');
    expect(error({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'ftp://x' }).message).toContain('TELEGRAM_API_ROOT');
  });
});
