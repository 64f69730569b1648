/**
 * A local fake of the parts of Slack's Web API the adapter uses, served by node:http on a free
 * port: auth.test, chat.postMessage, files.getUploadURLExternal, the upload URL,
 * files.completeUploadExternal, files.info and the files' `url_private_download` (which, as on
 * Slack, needs the bot token as `Authorization: Bearer`; without it Slack answers its sign-in page),
 * conversations.info, users.info (members added with `addUser`), and apps.connections.open with a WebSocket
 * endpoint for Socket Mode. Every call is recorded; the next K chat.postMessage calls can be made
 * to fail with HTTP 429 (Retry-After) or with a Slack error code.
 */
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { parse as parseQuery } from 'node:querystring';

export const BOT_TOKEN = 'xoxb-test-bot-token';
export const APP_TOKEN = 'xapp-test-app-token';
export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';

/** One Web API call as the fake received it. */
export interface RecordedCall {
  method: string;
  /** Form fields, with JSON-looking fields (blocks, files) parsed. */
  args: Record<string, unknown>;
  token: string | undefined;
  /** HTTP status the fake answered. */
  status: number;
  /** Slack's `ok` in the answer. */
  ok: boolean;
  /** The JSON the fake answered. */
  response: Record<string, unknown>;
  at: number;
}

/** A workspace member as users.info describes them. */
export interface FakeUser {
  id: string;
  /** The handle (legacy username), e.g. li.lan. */
  name: string;
  /** Profile fields; Slack sends empty strings for names a person has not set. */
  displayName?: string;
  realName?: string;
}

/** A message posted to a response_url (slash commands, interactivity). */
export interface ResponseUrlPost {
  /** The id in the response_url the fake handed out (`responseUrl(id)`). */
  id: string;
  body: Record<string, unknown>;
  at: number;
}

/** A file as uploaded to the upload URL. */
export interface Upload {
  fileId: string;
  filename: string;
  bytes: Buffer;
}

/** A file a person shared, as the fake holds it (`addFile`). */
export interface SharedFile {
  id: string;
  name: string;
  mimetype: string;
  bytes: Buffer;
}

/** A posted message's button, as Slack would show it. */
export interface PostedButton {
  actionId: string;
  blockId: string;
  label: string;
  value: string;
}

// `ws` ships with @slack/socket-mode's dependency tree but without types: a minimal local shape.
interface WsSocket {
  send(data: string): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: () => void): void;
  close(): void;
  terminate(): void;
  /** The underlying TCP socket (a `ws` internal, used to make a connection go silent). */
  _socket: { pause(): void };
}
interface WsServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, done: (ws: WsSocket) => void): void;
  close(): void;
}
const { WebSocketServer } = createRequire(import.meta.url)('ws') as {
  WebSocketServer: new (opts: { noServer: true }) => WsServer;
};

export class FakeSlackWebApi {
  readonly calls: RecordedCall[] = [];
  readonly uploads: Upload[] = [];
  /** Messages posted to response URLs, in order. */
  readonly responses: ResponseUrlPost[] = [];
  #server: Server | undefined;
  #base = '';
  #rateLimited = 0;
  #retryAfterSec = 1;
  #failures: string[] = [];
  #ts = 1_795_000_000;
  #fileSeq = 0;
  #wss: WsServer | undefined;
  readonly #sockets = new Set<WsSocket>();
  readonly #acks = new Map<string, () => void>();
  #envelopeSeq = 0;
  #socketConnections = 0;
  readonly #users = new Map<string, FakeUser>();
  readonly #frozen = new Set<WsSocket>();
  readonly #files = new Map<string, SharedFile>();

  /** Base URL of the Web API, for SLACK_API_URL / slackApiUrl. */
  get apiUrl(): string {
    return `${this.#base}/api/`;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      this.#route(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(req, socket, head));
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    const { port } = this.#server.address() as AddressInfo;
    this.#base = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    for (const socket of [...this.#sockets, ...this.#frozen]) socket.terminate();
    this.#wss?.close();
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * A response_url as Slack puts in a slash command's payload. Slack accepts up to 5 posts to one
   * within 30 minutes; the fake answers a sixth with HTTP 404 `used_url`, as Slack does.
   */
  responseUrl(id: string): string {
    return `${this.#base}/response/${encodeURIComponent(id)}`;
  }

  /** What was posted to the response_url `id`. */
  responsesTo(id: string): ResponseUrlPost[] {
    return this.responses.filter((r) => r.id === id);
  }

  /** Adds (or replaces) a workspace member that users.info knows. */
  addUser(user: FakeUser): void {
    this.#users.set(user.id, user);
  }

  /**
   * A file a person shares (what a message event's `files` lists): returns the file object as the
   * Events API carries it (id, name, mimetype, size, url_private, url_private_download).
   */
  addFile(file: { name: string; mimetype: string; bytes: Buffer }): Record<string, unknown> {
    const id = `F${++this.#fileSeq}`;
    this.#files.set(id, { id, ...file });
    return this.#fileObject(id);
  }

  /** Forgets a shared file (files.info then answers `file_not_found`, as for a deleted one). */
  deleteFile(id: string): void {
    this.#files.delete(id);
  }

  #fileObject(id: string): Record<string, unknown> {
    const file = this.#files.get(id);
    if (!file) return { id };
    const name = encodeURIComponent(file.name);
    return {
      id,
      name: file.name,
      title: file.name,
      mimetype: file.mimetype,
      filetype: file.name.split('.').pop() ?? '',
      size: file.bytes.length,
      user: 'U0CUSTOMER',
      mode: 'hosted',
      url_private: `${this.#base}/files-pri/T1-${id}/${name}`,
      url_private_download: `${this.#base}/files-pri/T1-${id}/download/${name}`,
    };
  }

  /** The next `count` chat.postMessage calls answer HTTP 429 with `Retry-After: seconds`. */
  rateLimitNextPosts(count: number, seconds = 1): void {
    this.#rateLimited = count;
    this.#retryAfterSec = seconds;
  }

  /** The next chat.postMessage calls answer `{ ok: false, error }`, one per code given. */
  failNextPosts(...errors: string[]): void {
    this.#failures.push(...errors);
  }

  /** Every call of one method. */
  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages Slack accepted, optionally in one channel. */
  posted(channel?: string): RecordedCall[] {
    return this.callsOf('chat.postMessage').filter((c) => c.ok && (channel === undefined || c.args.channel === channel));
  }

  /** Text of the accepted messages of a channel (section text when there are blocks). */
  texts(channel?: string): string[] {
    return this.posted(channel).map((c) => String(c.args.text ?? ''));
  }

  /** Buttons of the last accepted message in a channel that has any. */
  lastButtons(channel: string): PostedButton[] {
    const withButtons = this.posted(channel).filter((c) => buttonsOf(c).length > 0);
    const last = withButtons[withButtons.length - 1];
    return last ? buttonsOf(last) : [];
  }

  /** The `ts` the fake gave the last accepted message in a channel. */
  lastTs(channel: string): string | undefined {
    const posts = this.posted(channel);
    const ts = posts[posts.length - 1]?.response.ts;
    return typeof ts === 'string' ? ts : undefined;
  }

  /**
   * Pushes an envelope to every connected Socket Mode client; resolves when it is acknowledged.
   * `events_api` by default; `slash_commands` and `interactive` carry those payloads (as JSON).
   */
  async pushSocketEvent(payload: Record<string, unknown>, type: 'events_api' | 'slash_commands' | 'interactive' = 'events_api'): Promise<void> {
    const envelopeId = `env-${++this.#envelopeSeq}`;
    const acked = new Promise<void>((resolve) => this.#acks.set(envelopeId, resolve));
    const frame = JSON.stringify({
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
    });
    for (const socket of this.#sockets) socket.send(frame);
    await acked;
  }

  get socketClients(): number {
    return this.#sockets.size;
  }

  /** WebSocket connections accepted so far (a reconnect adds one). */
  get socketConnections(): number {
    return this.#socketConnections;
  }

  /** Drops every Socket Mode connection abruptly, without a close frame (a network failure). */
  dropSocketConnections(): void {
    for (const socket of this.#sockets) socket.terminate();
  }

  /**
   * Makes every Socket Mode connection go silent, as a half-open connection does after a network
   * failure: nothing is read or answered any more (no pongs, no close handshake) and no close
   * reaches the client. Frozen connections no longer count as clients.
   */
  freezeSocketConnections(): void {
    for (const socket of this.#sockets) {
      socket._socket.pause();
      this.#frozen.add(socket);
    }
    this.#sockets.clear();
  }

  /**
   * Sends Slack's `disconnect` message to every Socket Mode client, as Slack does before it
   * recycles a connection (`refresh_requested`, `warning`, `link_disabled`); Slack closes the
   * socket itself some seconds later if the client has not (`closeAfterMs`).
   */
  sendSocketDisconnect(reason: string, closeAfterMs = 10_000): void {
    for (const socket of this.#sockets) {
      socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
      const timer = setTimeout(() => socket.close(), closeAfterMs);
      socket.on('close', () => clearTimeout(timer));
    }
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#base);
    const raw = await readBody(req);
    if (url.pathname.startsWith('/upload/')) return this.#receiveUpload(url.pathname.slice('/upload/'.length), req, raw, res);
    if (url.pathname.startsWith('/files-pri/')) return this.#serveFile(url.pathname, req, res);
    if (url.pathname.startsWith('/response/')) return this.#receiveResponse(decodeURIComponent(url.pathname.slice('/response/'.length)), req, raw, res);
    const method = url.pathname.replace(/^\/api\//, '');
    const args = await parseArgs(req, raw);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : typeof args.token === 'string' ? args.token : undefined;
    const reply = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
      this.calls.push({ method, args, token, status, ok: body.ok === true, response: body, at: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };

    if (method === 'apps.connections.open') {
      if (token !== APP_TOKEN) return reply(200, { ok: false, error: 'invalid_auth' });
      return reply(200, { ok: true, url: `${this.#base.replace(/^http/, 'ws')}/socket` });
    }
    if (token !== BOT_TOKEN) return reply(200, { ok: false, error: 'invalid_auth' });

    switch (method) {
      case 'auth.test':
        return reply(200, { ok: true, url: 'https://fake.slack.test/', team: 'Fake', team_id: 'T1', user: 'bot', user_id: BOT_USER_ID, bot_id: BOT_ID });
      case 'chat.postMessage': {
        if (this.#rateLimited > 0) {
          this.#rateLimited -= 1;
          return reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(this.#retryAfterSec) });
        }
        const failure = this.#failures.shift();
        if (failure !== undefined) return reply(200, { ok: false, error: failure });
        if (typeof args.channel !== 'string' || (args.text === undefined && args.blocks === undefined)) {
          return reply(200, { ok: false, error: args.channel === undefined ? 'channel_not_found' : 'no_text' });
        }
        const ts = `${++this.#ts}.000100`;
        return reply(200, { ok: true, channel: args.channel, ts, message: { type: 'message', text: args.text, ts, bot_id: BOT_ID } });
      }
      case 'files.getUploadURLExternal': {
        if (typeof args.filename !== 'string' || args.length === undefined) return reply(200, { ok: false, error: 'invalid_arguments' });
        const fileId = `F${++this.#fileSeq}`;
        return reply(200, { ok: true, upload_url: `${this.#base}/upload/${fileId}`, file_id: fileId });
      }
      case 'files.completeUploadExternal': {
        const files = Array.isArray(args.files) ? (args.files as Array<{ id: string; title?: string }>) : [];
        if (files.length === 0 || !files.every((f) => this.uploads.some((u) => u.fileId === f.id))) {
          return reply(200, { ok: false, error: 'file_not_found' });
        }
        return reply(200, { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) });
      }
      case 'files.info': {
        const id = String(args.file ?? '');
        if (!this.#files.has(id)) return reply(200, { ok: false, error: 'file_not_found' });
        return reply(200, { ok: true, file: this.#fileObject(id), comments: [] });
      }
      case 'users.info': {
        const user = this.#users.get(String(args.user ?? ''));
        if (!user) return reply(200, { ok: false, error: 'user_not_found' });
        const displayName = user.displayName ?? '';
        const realName = user.realName ?? '';
        return reply(200, {
          ok: true,
          user: {
            id: user.id,
            team_id: 'T1',
            name: user.name,
            deleted: false,
            real_name: realName,
            is_bot: false,
            profile: {
              display_name: displayName,
              display_name_normalized: displayName,
              real_name: realName,
              real_name_normalized: realName,
              team: 'T1',
            },
          },
        });
      }
      case 'conversations.info': {
        const id = String(args.channel ?? '');
        return reply(200, { ok: true, channel: { id, is_im: id.startsWith('D'), is_channel: id.startsWith('C') } });
      }
      default:
        return reply(200, { ok: false, error: 'unknown_method' });
    }
  }

  /** A file's url_private(_download): the bytes with the bot token, Slack's sign-in page without it. */
  #serveFile(path: string, req: IncomingMessage, res: ServerResponse): void {
    const id = /^\/files-pri\/T1-(F\d+)\//.exec(path)?.[1];
    const file = id === undefined ? undefined : this.#files.get(id);
    const authorized = req.headers.authorization === `Bearer ${BOT_TOKEN}`;
    this.calls.push({ method: 'download', args: { id, authorized }, token: undefined, status: 200, ok: Boolean(file && authorized), response: {}, at: Date.now() });
    if (!authorized) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><title>Slack</title><p>Sign in to your workspace</p>');
      return;
    }
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('file not found');
      return;
    }
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.bytes.length) }).end(file.bytes);
  }

  async #receiveUpload(fileId: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
    const file = form.get('body') ?? form.get('file');
    const upload: Upload =
      typeof file === 'object' && file !== null
        ? { fileId, filename: file.name, bytes: Buffer.from(await file.arrayBuffer()) }
        : { fileId, filename: '', bytes: raw };
    this.uploads.push(upload);
    this.calls.push({ method: 'upload', args: { fileId, size: upload.bytes.length }, token: undefined, status: 200, ok: true, response: {}, at: Date.now() });
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${upload.bytes.length}`);
  }

  /** A post to a response_url: JSON with text and/or blocks, response_type ephemeral (default) or in_channel. */
  #receiveResponse(id: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): void {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    if (this.responsesTo(id).length >= 5) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('used_url');
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString()) as Record<string, unknown>;
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
      return;
    }
    if (typeof body.text !== 'string' && !Array.isArray(body.blocks)) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('no_text');
      return;
    }
    this.responses.push({ id, body, at: Date.now() });
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (new URL(req.url ?? '/', this.#base).pathname !== '/socket') {
      socket.destroy();
      return;
    }
    this.#wss ??= new WebSocketServer({ noServer: true });
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#sockets.add(ws);
      this.#socketConnections += 1;
      ws.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { envelope_id?: string };
        if (message.envelope_id) this.#acks.get(message.envelope_id)?.();
      });
      ws.on('close', () => this.#sockets.delete(ws));
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
    });
  }
}

function buttonsOf(call: RecordedCall): PostedButton[] {
  const blocks = Array.isArray(call.args.blocks) ? (call.args.blocks as Array<Record<string, unknown>>) : [];
  return blocks.flatMap((block, i) =>
    block.type === 'actions'
      ? (block.elements as Array<{ action_id: string; value: string; text: { text: string } }>).map((e) => ({
          actionId: e.action_id,
          blockId: String(block.block_id ?? `blk${i}`),
          label: e.text.text,
          value: e.value,
        }))
      : [],
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Form-encoded (what the Web API client sends) or JSON arguments; JSON-looking values parsed. */
async function parseArgs(req: IncomingMessage, raw: Buffer): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) return JSON.parse(raw.toString() || '{}') as Record<string, unknown>;
  const fields = parseQuery(raw.toString());
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    const text = Array.isArray(value) ? value[0] : value;
    if (text !== undefined && /^[[{]/.test(text)) {
      try {
        args[key] = JSON.parse(text);
        continue;
      } catch {
        // not JSON after all
      }
    }
    args[key] = text;
  }
  return args;
}
