/**
 * The large-model fallback against a local fake of an OpenAI-compatible chat-completions server:
 * the strict JSON answer is validated, personal data is masked before it leaves, and a timeout,
 * an HTTP error or an answer outside the schema give nothing (the bot then asks instead).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { llmFallback } from '../../../src/features/nlu/llm-fallback.ts';
import { silentLogger } from '../../../src/lib/log.ts';

type Reply = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let base: string;
let reply: Reply = () => {};
const requests: { url: string; auth: string | undefined; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      requests.push({ url: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(body) as Record<string, unknown> });
      reply(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const answer = (content: string): Reply => (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
};

const fallback = (timeoutMs = 2000) =>
  llmFallback({ url: base, model: 'test-model', apiKey: 'sk-test', timeoutMs, services: ['日常保洁', '空调清洗'], log: silentLogger });

describe('llmFallback', () => {
  it('sends the masked message to the chat-completions endpoint and reads the strict JSON answer', async () => {
    reply = answer('{"intent":"book","service":"空调清洗","time":"周六上午"}');
    const read = await fallback()('我家那个挂机想弄一下 周六上午 电话13812345678 阳光小区3栋501');
    expect(read).toStrictEqual({ intent: 'book', service: '空调清洗', timeWords: '周六上午' });
    const sent = requests.at(-1)!;
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.auth).toBe('Bearer sk-test');
    expect(sent.body.model).toBe('test-model');
    const user = (sent.body.messages as { role: string; content: string }[]).find((m) => m.role === 'user')!.content;
    expect(user).not.toContain('13812345678');
    expect(user).not.toContain('501');
    expect(user).toContain('周六上午');
  });

  it('accepts null service and time, and a fenced answer', async () => {
    reply = answer('```json\n{"intent":"complain","service":null,"time":null}\n```');
    expect(await fallback()('你们这样搞我真的没法接受')).toStrictEqual({ intent: 'complain' });
  });

  it.each([
    ['an intent outside the list', '{"intent":"order_pizza","service":null,"time":null}'],
    ['extra fields', '{"intent":"book","service":null,"time":null,"note":"x"}'],
    ['prose instead of JSON', 'The customer wants a booking.'],
  ])('gives nothing for %s', async (_kind, content) => {
    reply = answer(content);
    expect(await fallback()('随便说点什么')).toBeUndefined();
  });

  it('gives nothing on an HTTP error', async () => {
    reply = (_req, res) => {
      res.writeHead(500);
      res.end('oops');
    };
    expect(await fallback()('随便说点什么')).toBeUndefined();
  });

  it('gives nothing when the server does not answer within the timeout', async () => {
    reply = () => {}; // never answers
    expect(await fallback(150)('随便说点什么')).toBeUndefined();
  });
});
