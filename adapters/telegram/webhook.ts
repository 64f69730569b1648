/**
 * The webhook receiver: a small HTTP server that lets through only Telegram's POSTs to the
 * webhook path carrying the secret token given to setWebhook, and hands each update on.
 *
 * Rules, in the order they are checked:
 *  1. Only the configured path is served (404 otherwise, logged at debug: scanners are noise).
 *  2. Only POST (405).
 *  3. `X-Telegram-Bot-Api-Secret-Token` must equal the secret, compared in constant time over
 *     SHA-256 digests so neither content nor length leaks (401, logged as a warning).
 *  4. The body is at most 1 MiB (413) and a JSON object with a numeric `update_id` (400, warned).
 *  5. The update is handled before the response ends, so Telegram redelivers it if the process
 *     dies mid-way (the core answers a redelivery once). A handler failure answers 500.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../src/lib/log.ts';
import { describeError } from './errors.ts';
import { BodyTooLarge, readBody } from '../../src/lib/http-body.ts';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
const MAX_BODY_BYTES = 1024 * 1024;

/** Constant-time comparison of the received secret header with the expected secret. */
export function secretMatches(expected: string, received: string | string[] | undefined): boolean {
  if (typeof received !== 'string') return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(received, 'utf8').digest();
  return timingSafeEqual(a, b);
}

interface WebhookServerOptions {
  path: string;
  secret: string;
  port: number;
  host?: string;
  log: Logger;
  /** Handles one update; must end `res` or leave it to be ended with 200. */
  onUpdate: (update: { update_id: number }, res: ServerResponse) => Promise<void>;
}

export interface WebhookServer {
  /** The port actually listened on (useful with port 0). */
  readonly port: number;
  close(): Promise<void>;
}


function isUpdateLike(value: unknown): value is { update_id: number } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'update_id' in value && typeof value.update_id === 'number';
}

/** Starts listening; resolves once requests can arrive. */
export async function startWebhookServer(opts: WebhookServerOptions): Promise<WebhookServer> {
  const { log } = opts;
  const refuse = (res: ServerResponse, status: number) => {
    if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain' });
    res.end();
  };

  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path !== opts.path) {
        log.debug({ method: req.method }, 'telegram webhook: request for another path refused');
        return refuse(res, 404);
      }
      if (req.method !== 'POST') return refuse(res, 405);
      const header = req.headers[SECRET_HEADER];
      if (!secretMatches(opts.secret, header)) {
        log.warn(
          { remote: req.socket.remoteAddress, reason: header === undefined ? 'missing secret token' : 'wrong secret token' },
          'telegram webhook: request refused',
        );
        return refuse(res, 401);
      }
      let update: unknown;
      try {
        update = JSON.parse((await readBody(req, MAX_BODY_BYTES)).toString('utf8'));
      } catch (error) {
        if (error instanceof BodyTooLarge) return refuse(res, 413);
        log.warn('telegram webhook: body is not JSON');
        return refuse(res, 400);
      }
      if (!isUpdateLike(update)) {
        log.warn('telegram webhook: body is not an update');
        return refuse(res, 400);
      }
      try {
        await opts.onUpdate(update, res);
        if (!res.writableEnded) res.end();
      } catch (error) {
        log.error({ err: describeError(error) }, 'telegram webhook: update handling failed');
        refuse(res, 500);
      }
    })().catch(() => refuse(res, 500));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
