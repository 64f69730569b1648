/**
 * The WeChat adapter in official-account mode (`WECHAT_MODE=official-account`): customers write to
 * the company's 公众号. The platform POSTs each message as XML to this adapter's webhook, signed with
 * the Token of 服务器配置 (`signature` = sha1 of the sorted token, timestamp and nonce); the adapter
 * answers `success` at once (the platform waits 5 s at most and retries), asks the core, and sends
 * the replies through the customer-service message API. Only plaintext mode (明文模式) is read.
 *
 * Every chat is a private chat with one customer (chat id = user id = the openid): an official
 * account has no groups, so staff rooms belong on another channel. Options go out as numbered lines
 * and are answered by number or label, as in personal mode; files are not sent (a line says so).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pickOption } from '../console/console-chat.ts';
import type { AdapterDeps, PlatformAdapter } from '../../src/contracts/adapter.ts';
import { inboundSchema, type Outbound } from '../../src/contracts/messages.ts';
import { AdapterStartError, SendError } from '../../src/lib/errors.ts';
import { KeyedQueue } from '../../src/lib/keyed-queue.ts';
import type { WechatOfficialAccountConfig } from './config.ts';
import { OfficialAccountApi, TokenRefused } from './official-account-api.ts';
import { deliverReplies, type Conversation } from './outbound.ts';
import { SendPacer } from './pacer.ts';
import { ShownOptions } from './shown-options.ts';
import { BodyTooLarge, readBody } from '../../src/lib/http-body.ts';

/** The platform's messages are small; anything larger is refused. */
const MAX_BODY_BYTES = 64 * 1024;

interface OfficialAccountAdapterOptions {
  /** The HTTP client for the platform API; default the global fetch. */
  fetch?: typeof fetch;
  /** How many chats' last shown options are remembered; default 10 000. */
  optionsLimit?: number;
}

export interface OfficialAccountAdapter extends PlatformAdapter {
  /** The webhook's port once started (the configured one, or the one picked for port 0). */
  readonly port: number | undefined;
}

/** Whether `signature` is sha1(sort(token, timestamp, nonce)), compared in constant time. */
function validSignature(token: string, query: URLSearchParams): boolean {
  const signature = query.get('signature');
  const timestamp = query.get('timestamp');
  const nonce = query.get('nonce');
  if (!signature || !timestamp || !nonce || !/^[0-9a-f]{40}$/i.test(signature)) return false;
  const expected = createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

/** The top-level elements of the platform's flat `<xml>` message (CDATA or plain text values). */
function parseMessageXml(xml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const body = /^\s*<xml>([\s\S]*)<\/xml>\s*$/.exec(xml)?.[1] ?? '';
  for (const match of body.matchAll(/<([A-Za-z][\w]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) {
    const [, name, cdata, plain] = match;
    fields[name!] = cdata ?? decodeEntities(plain ?? '');
  }
  return fields;
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return text.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => named[name]!);
}


/**
 * Builds the official-account adapter. `start()` checks the AppID and secret by fetching an access
 * token (a refusal is an AdapterStartError naming the variables; an unreachable API is logged and
 * retried at the first send) and opens the webhook.
 */
export function createOfficialAccountAdapter(
  config: WechatOfficialAccountConfig,
  deps: AdapterDeps,
  opts: OfficialAccountAdapterOptions = {},
): OfficialAccountAdapter {
  const log = deps.log.child({ adapter: 'wechat', mode: 'official-account' });
  const api = new OfficialAccountApi(config, { fetch: opts.fetch });
  const shown = new ShownOptions(opts.optionsLimit);
  // One chat's work one piece after another, so "2" is read against the options shown before it.
  const chats = new KeyedQueue();
  const pacer = new SendPacer({ intervalMs: 0 });
  let server: Server | undefined;
  let port: number | undefined;
  /** Messages being handled after their request was answered; stop() waits for them. */
  const inFlight = new Set<Promise<void>>();

  /** A customer as a conversation: texts through custom/send; files are not supported here. */
  function conversation(openId: string): Conversation {
    return {
      id: openId,
      async say(sayable) {
        if (typeof sayable !== 'string') throw new SendError('the official-account mode sends no files', { permanent: true });
        await api.sendText(openId, sayable);
      },
    };
  }

  async function onMessage(fields: Record<string, string>): Promise<void> {
    const openId = fields.FromUserName ?? '';
    const type = fields.MsgType ?? '';
    const logFields = { chatId: openId, messageId: fields.MsgId, type: type === 'event' ? `event:${fields.Event}` : type };
    if (type !== 'text' || !fields.MsgId || !openId) {
      // The core reads text only: an image, a voice message or a follow event gets no answer.
      log.info(logFields, 'official-account message not answered (not text)');
      return;
    }
    await chats.run(openId, async () => {
      const text = fields.Content ?? '';
      const action = pickOption(text, shown.get(openId));
      const created = Number(fields.CreateTime);
      const parsed = inboundSchema.safeParse({
        channel: 'wechat',
        chatId: openId,
        userId: openId,
        messageId: fields.MsgId,
        ...(action !== undefined ? { action } : { text }),
        at: Number.isFinite(created) && created > 0 ? new Date(created * 1000) : new Date(),
        chatType: 'private',
      });
      if (!parsed.success) {
        log.warn({ ...logFields, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 'official-account message refused');
        return;
      }
      const replies = await deps.handle(parsed.data);
      if (replies.length === 0) return;
      const { options } = await deliverReplies(conversation(openId), replies, { pacer, log });
      if (options.length > 0) shown.set(openId, options);
    });
  }

  function track(work: Promise<void>): void {
    const done = work.catch((error: unknown) => log.error({ err: error }, 'official-account message not handled'));
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = (status: number, text = '') => {
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(text);
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== config.path) return answer(404);
    if (!validSignature(config.webhookToken, url.searchParams)) {
      log.warn({ method: req.method, remote: req.socket.remoteAddress }, 'official-account webhook: bad signature, request refused');
      return answer(403);
    }
    // The platform checks the server URL with a signed GET and expects echostr back.
    if (req.method === 'GET') return answer(200, url.searchParams.get('echostr') ?? '');
    if (req.method !== 'POST') return answer(405);
    let xml: string;
    try {
      xml = (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
    } catch (error) {
      return answer(error instanceof BodyTooLarge ? 413 : 400);
    }
    const fields = parseMessageXml(xml);
    if (fields.Encrypt !== undefined && fields.MsgType === undefined) {
      log.error('official-account webhook: encrypted message (安全模式) cannot be read; set 消息加解密方式 to 明文模式');
      return answer(200, 'success');
    }
    // Answer now: the platform gives up after 5 s and retries; replies go out through custom/send.
    answer(200, 'success');
    track(onMessage(fields));
  }

  return {
    channel: 'wechat',
    get port() {
      return port;
    },

    async start() {
      if (server) return;
      try {
        await api.accessToken();
      } catch (error) {
        if (error instanceof TokenRefused) throw new AdapterStartError(`wechat (official account): ${error.message}`, { cause: error });
        log.warn({ err: error }, 'official-account API unreachable at start; the token is fetched again at the first send');
      }
      const created = createServer((req, res) => {
        onRequest(req, res).catch((error: unknown) => {
          log.error({ err: error }, 'official-account webhook: request failed');
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
      });
      await new Promise<void>((resolve, reject) => {
        created.once('error', (error) => reject(new AdapterStartError(`wechat (official account): webhook port ${config.port} not available`, { cause: error })));
        created.listen(config.port, () => resolve());
      });
      server = created;
      port = (created.address() as AddressInfo).port;
      log.info({ port, path: config.path }, 'official-account webhook listening');
    },

    async stop() {
      const running = server;
      if (!running) return;
      server = undefined;
      await new Promise<void>((resolve) => {
        running.close(() => resolve());
        running.closeIdleConnections();
      });
      await Promise.allSettled([...inFlight]);
      await chats.idle();
      await pacer.close();
      port = undefined;
    },

    /**
     * Sends to a customer by openid through custom/send.
     * @throws SendError, permanent when the platform says retrying cannot help (the customer has not
     *   written within 48 hours, unknown openid); retryable when it is unreachable, busy or refuses
     *   the token.
     */
    async send(chatId: string, message: Outbound) {
      await chats.run(chatId, async () => {
        let options: Awaited<ReturnType<typeof deliverReplies>>['options'];
        try {
          ({ options } = await deliverReplies(conversation(chatId), [message], { pacer, log }));
        } catch (error) {
          if (error instanceof SendError) throw error;
          throw new SendError('official-account send failed', { cause: error });
        }
        if (options.length > 0) shown.set(chatId, options);
      });
    },
  };
}
