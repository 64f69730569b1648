/**
 * A guard in front of Bolt's HTTPReceiver for what it lets through or mishandles.
 *
 * Request age, both ways: Bolt 5.1 refuses a request whose X-Slack-Request-Timestamp is more than
 * 5 minutes in the past, but not one dated ahead, so a captured signed request with a future
 * timestamp could be replayed until that time came. Slack's rule is "differs from the local time
 * by more than 5 minutes": this guard answers 401 (as Bolt does to a stale one) with a warn line.
 *
 * One body Bolt mishandles. After verifying a request,
 * Bolt 5.1 reads `body.ssl_check` of whatever the JSON holds; a signed body of `null` (JSON `null`
 * or `payload=null`) throws outside its error handling, so the request is never answered and the
 * rejection goes unhandled, which ends a Node process. Slack never sends such a body, but a
 * signed request must not be able to stop the bot: this guard answers it 400 (401 when unsigned,
 * as Bolt would) and hands every other request to Bolt untouched (its body already read, which
 * Bolt accepts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, type HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../../src/lib/log.ts';

interface HttpGuardOptions {
  signingSecret: string;
  /** The receiver's event paths; other requests pass straight through. */
  endpoints: string[];
  log: Logger;
  /** The clock requests are dated against (tests). */
  now?: () => number;
}

/** Slack's allowed difference between a request's timestamp and the local time, either way. */
const MAX_REQUEST_SKEW_SEC = 5 * 60;

/** Installs the guard on `receiver` (before `start()`). */
export function guardHttpReceiver(receiver: HTTPReceiver, opts: HttpGuardOptions): void {
  const bolt = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    if (req.method !== 'POST' || !opts.endpoints.includes(pathOf(req))) return bolt(req, res);
    screen(req, res, opts)
      .then((pass) => {
        if (pass) bolt(req, res);
      })
      .catch((error: unknown) => {
        opts.log.error({ err: error }, 'slack request failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
  };
}

/** True when Bolt can take the request; otherwise the response has been written. */
async function screen(req: IncomingMessage, res: ServerResponse, opts: HttpGuardOptions): Promise<boolean> {
  const aheadSec = secondsAhead(req, (opts.now ?? Date.now)());
  if (aheadSec !== undefined && aheadSec > MAX_REQUEST_SKEW_SEC) {
    opts.log.warn({ aheadSec }, 'slack request refused: timestamp more than 5 minutes ahead');
    req.resume();
    res.writeHead(401).end();
    return false;
  }
  let buffered: Awaited<ReturnType<typeof HTTPModuleFunctions.bufferIncomingMessage>>;
  try {
    buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit);
  } catch (error) {
    const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && error.statusCode === 413;
    res.writeHead(tooLarge ? 413 : 400).end();
    return false;
  }
  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
  } catch {
    return true; // Bolt answers an unparsable body itself (401 unsigned, 400 signed).
  }
  if (body !== null && body !== undefined) return true;
  try {
    await HTTPModuleFunctions.parseAndVerifyHTTPRequest({ signingSecret: opts.signingSecret }, buffered);
  } catch {
    res.writeHead(401).end();
    return false;
  }
  opts.log.warn('slack request refused: signed body is null');
  res.writeHead(400).end();
  return false;
}

/** How far X-Slack-Request-Timestamp is ahead of `nowMs`, in seconds; undefined when absent or unreadable. */
function secondsAhead(req: IncomingMessage, nowMs: number): number | undefined {
  const header = req.headers['x-slack-request-timestamp'];
  const value = Number(Array.isArray(header) ? header[0] : header);
  if (header === undefined || !Number.isFinite(value)) return undefined;
  return value - Math.floor(nowMs / 1000);
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}
