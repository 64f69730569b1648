import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/contracts/messages.ts';
import { ManualClock, systemClock } from '../../src/domain/clock.ts';
import { silentLogger, type Logger } from '../../src/lib/log.ts';
import { DEFAULT_BACKOFF, OutboxDispatcher, backoffDelay, describeError, type DispatcherOptions } from '../../src/outbox/dispatcher.ts';
import { decodePayload, encodePayload, enqueue, OutboxRepository } from '../../src/store/outbox.ts';
import { RateLimiter } from '../../src/lib/rate-limit.ts';
import type { OutboxMessage, Sender } from '../../src/contracts/outbox.ts';
import { SendError } from '../../src/lib/errors.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { freshDatabase } from '../support/database.ts';
import { deferred } from '../support/deferred.ts';

const T0 = '2026-11-23T10:00:00+08:00';
const WRITER = fileURLToPath(new URL('../support/outbox-writer.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

/** Records what reached the platform; fails with the queued errors first. */
class FakeSender implements Sender {
  deliveries: { chatId: string; text: string; at: number; message: Outbound }[] = [];
  calls = 0;
  failures: unknown[] = [];
  /** Settles when `send` is first called. */
  readonly called: Promise<void>;
  #markCalled!: () => void;
  /** Each send waits for this before it completes (a test holds a send in flight with it). */
  gate: Promise<void> = Promise.resolve();
  constructor(private readonly clock?: ManualClock) {
    this.called = new Promise((resolve) => (this.#markCalled = resolve));
  }
  async send(chatId: string, message: Outbound): Promise<void> {
    this.calls += 1;
    this.#markCalled();
    await this.gate;
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.deliveries.push({ chatId, text: message.text, at: this.clock?.now().getTime() ?? Date.now(), message });
  }
  get texts(): string[] {
    return this.deliveries.map((d) => d.text);
  }
}

/** A pino logger that keeps its lines for assertions. */
function recordingLogger(): { log: Logger; lines: { level: number; msg: string; [k: string]: unknown }[] } {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines };
}

const opened: Db[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.$disconnect()));
});

async function setup() {
  const dbUrl = await freshDatabase();
  const db = open(dbUrl);
  return { dbUrl, db, clock: new ManualClock(T0) };
}

function open(dbUrl: string): Db {
  const db = openDb({ url: dbUrl });
  opened.push(db);
  return db;
}

function dispatcher({ db, ...opts }: { db: Db } & Pick<DispatcherOptions, 'clock' | 'senders'> & Partial<DispatcherOptions>): OutboxDispatcher {
  return new OutboxDispatcher({ queue: new OutboxRepository(db), log: silentLogger, owner: 'A', random: () => 0, ...opts });
}

function message(n: number, over: Partial<OutboxMessage> = {}): OutboxMessage {
  return { channel: 'console', chatId: 'c1', kind: 'notice', dedupeKey: `notice:${n}`, message: { text: `m${n}` }, ...over };
}

const row = (db: Db, dedupeKey: string) => db.outbox.findUniqueOrThrow({ where: { dedupeKey } });

describe('OutboxDispatcher: media from another platform', () => {
  it('carries allowed bytes as a file; sends the unshown line for another type, an oversized one, a failed fetch or no source', async () => {
    const { db, clock } = await setup();
    const target = new FakeSender(clock);
    const fetched: string[] = [];
    const source: Sender = {
      send: async () => undefined,
      fetchMedia: async (media) => {
        fetched.push(media.ref);
        if (media.ref === 'broken') throw new Error('ECONNRESET');
        const mime = media.ref === 'zip' ? 'application/zip' : 'image/jpeg';
        return { name: `${media.ref}.bin`, mime, data: new Uint8Array([1, 2, 3]) };
      },
    };
    const d = dispatcher({ db, clock, senders: { console: target, telegram: source } });
    const relay = (n: number, ref: string, from: 'telegram' | 'slack', size?: number): OutboxMessage =>
      message(n, { message: { text: `[图片] ${n}`, replyTo: '7', media: { kind: 'photo', ref, from, unshown: `[图片：无法显示] ${n}`, ...(size === undefined ? {} : { size }) } } });
    for (const [n, ref, from, size] of [[1, 'ok', 'telegram'], [2, 'zip', 'telegram'], [3, 'big', 'telegram', 11 * 1024 * 1024], [4, 'broken', 'telegram'], [5, 'ok', 'slack']] as const) {
      await enqueue(db, relay(n, ref, from, size), clock.now());
    }
    expect(await d.tick()).toMatchObject({ sent: 5 });
    const [carried, ...lines] = target.deliveries.map((x) => x.message);
    expect(carried).toEqual({ text: '[图片] 1', replyTo: '7', file: { name: 'ok.bin', mime: 'image/jpeg', data: new Uint8Array([1, 2, 3]) } });
    expect(lines).toEqual([2, 3, 4, 5].map((n) => ({ text: `[图片：无法显示] ${n}`, replyTo: '7' })));
    // The oversized one (by the size the platform gave) and the one from a platform without a sender are not fetched.
    expect(fetched).toEqual(['ok', 'zip', 'broken']);
  });
});

describe('OutboxDispatcher: retries and outcomes', () => {
  it('delivers exactly once after 3 failures, recording attempts and waiting out each backoff', async () => {
    const { db, clock } = await setup();
    const sender = new FakeSender(clock);
    sender.failures = [new Error('502 Bad Gateway'), new Error('ETIMEDOUT'), new SendError('500 Internal Server Error')];
    const d = dispatcher({ db, clock, senders: { console: sender } });
    await enqueue(db, message(1), clock.now());

    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const failedAt = clock.now().getTime();
      expect(await d.tick()).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
      const r = await row(db, 'notice:1');
      const wait = backoffDelay(attempt, DEFAULT_BACKOFF, () => 0);
      expect(r).toMatchObject({ status: 'pending', attempts: attempt, leaseOwner: null });
      expect(r.nextAttemptAt.getTime() - failedAt).toBe(wait);
      expect(r.lastError).toMatch(/502|ETIMEDOUT|500/);
      clock.advance(wait - 1);
      expect((await d.tick()).claimed).toBe(0); // not before the backoff is over
      clock.advance(1);
    }
    expect(await d.tick()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await d.tick()).toMatchObject({ claimed: 0 });
    clock.advance(3_600_000);
    expect(await d.tick()).toMatchObject({ claimed: 0 });

    expect(sender.texts).toEqual(['m1']);
    expect(sender.calls).toBe(4);
    const r = await row(db, 'notice:1');
    expect(r).toMatchObject({ status: 'sent', attempts: 4, leaseOwner: 'A' });
    expect(r.sentAt?.getTime()).toBe(new Date(T0).getTime() + 500 + 1000 + 2000);
  });

  it('backs off exponentially with jitter, capped', () => {
    const b = { baseMs: 1000, maxMs: 300_000 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, b, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(3, b, () => 0.999_999)).toBe(4000);
    expect(backoffDelay(30, b, () => 0)).toBe(150_000);
    expect(backoffDelay(30, b, () => 0.999_999)).toBe(300_000);
  });

  it("delays a 429's retry by at least its retry-after, and holds the chat's later messages behind it", async () => {
    const { db, clock } = await setup();
    const sender = new FakeSender(clock);
    sender.failures = [new SendError('429 Too Many Requests: retry after 60', { retryAfterMs: 60_000 })];
    const d = dispatcher({ db, clock, senders: { telegram: sender }, sleep: async (ms) => clock.advance(ms) });
    await db.$transaction([enqueue(db, message(1, { channel: 'telegram' }), clock.now()), enqueue(db, message(2, { channel: 'telegram' }), clock.now())]);

    expect(await d.tick()).toMatchObject({ claimed: 2, sent: 0, retried: 1, deferred: 1 });
    const [first, second] = [await row(db, 'notice:1'), await row(db, 'notice:2')];
    expect(first.nextAttemptAt.getTime() - clock.now().getTime()).toBe(60_000);
    expect(second).toMatchObject({ status: 'pending', attempts: 0 });
    expect(second.nextAttemptAt).toEqual(first.nextAttemptAt);

    clock.advance(59_999);
    expect((await d.tick()).claimed).toBe(0);
    expect(sender.deliveries).toHaveLength(0);
    clock.advance(1);
    expect(await d.tick()).toMatchObject({ claimed: 2, sent: 2 });
    expect(sender.texts).toEqual(['m1', 'm2']);
    expect(sender.deliveries[1]!.at - sender.deliveries[0]!.at).toBeGreaterThanOrEqual(1000); // 1/s per chat
  });

  it('marks a permanent failure dead at once, logs it, and never retries it', async () => {
    const { db, clock } = await setup();
    const { log, lines } = recordingLogger();
    const sender = new FakeSender(clock);
    sender.failures = [new SendError('403 Forbidden: bot was blocked by the user', { permanent: true })];
    const d = dispatcher({ db, clock, log, senders: { console: sender } });
    await enqueue(db, message(1, { kind: 'survey' }), clock.now());

    expect(await d.tick()).toMatchObject({ claimed: 1, dead: 1, retried: 0 });
    const r = await row(db, 'notice:1');
    expect(r).toMatchObject({ status: 'dead', attempts: 1 });
    expect(r.lastError).toContain('bot was blocked');
    const error = lines.find((l) => l.level === 50);
    expect(error).toMatchObject({ outboxId: r.id, kind: 'survey', channel: 'console' });
    expect(error?.msg).toContain(`${r.id}`);

    clock.advance(86_400_000);
    expect((await d.tick()).claimed).toBe(0);
    expect(sender.calls).toBe(1);
  });

  it('gives up after maxAttempts', async () => {
    const { db, clock } = await setup();
    const sender = new FakeSender(clock);
    sender.failures = Array.from({ length: 10 }, () => new Error('503'));
    const d = dispatcher({ db, clock, senders: { console: sender }, backoff: { maxAttempts: 3 } });
    await enqueue(db, message(1), clock.now());
    const results = [];
    for (let i = 0; i < 5; i += 1) {
      results.push(await d.tick());
      clock.advance(DEFAULT_BACKOFF.maxMs);
    }
    expect(results.map((r) => r.retried + r.dead * 10)).toEqual([1, 1, 10, 0, 0]);
    expect(await row(db, 'notice:1')).toMatchObject({ status: 'dead', attempts: 3 });
    expect(sender.calls).toBe(3);
  });

  it('posts the follow-up a dead message asks for, once, with the reason; a sent one asks nothing', async () => {
    const { db, clock } = await setup();
    const sender = new FakeSender(clock);
    const failing: Sender = {
      async send(chatId, message) {
        if (chatId === 'c1') throw new SendError('403 Forbidden: bot was blocked by the user', { permanent: true });
        if (chatId === 'c2') throw new Error('503');
        await sender.send(chatId, message);
      },
    };
    const d = dispatcher({ db, clock, senders: { console: failing }, backoff: { maxAttempts: 2 } });
    const onFailure = (n: number) => ({ channel: 'console' as const, chatId: 'room', text: `not delivered: m${n} ({reason})` });
    await enqueue(db, message(1, { onFailure: onFailure(1) }), clock.now());
    await enqueue(db, message(2, { chatId: 'c2', onFailure: onFailure(2) }), clock.now());
    await enqueue(db, message(3, { chatId: 'c3', onFailure: onFailure(3) }), clock.now());
    // m1 dies at once (permanent); m2 fails twice (retries exhausted); m3 is sent.
    for (let i = 0; i < 4; i += 1) {
      await d.tick();
      clock.advance(DEFAULT_BACKOFF.maxMs);
    }
    expect(await row(db, 'notice:1')).toMatchObject({ status: 'dead' });
    expect(await row(db, 'notice:2')).toMatchObject({ status: 'dead' });
    expect(await row(db, 'notice:3')).toMatchObject({ status: 'sent' });
    const toRoom = sender.deliveries.filter((m) => m.chatId === 'room').map((m) => m.text).sort();
    expect(toRoom).toEqual(['not delivered: m1 (SendError: 403 Forbidden: bot was blocked by the user)', 'not delivered: m2 (Error: 503)']);
    // The follow-up's own payload carries no follow-up, so a dead follow-up ends there.
    const followUps = await db.outbox.findMany({ where: { chatId: 'room' } });
    expect(followUps).toHaveLength(2);
    expect(followUps.every((f) => f.kind === 'delivery-failed')).toBe(true);
  });

  it('stores errors without tokens or phone numbers, at most 500 characters', async () => {
    const { db, clock } = await setup();
    const sender = new FakeSender(clock);
    sender.failures = [
      new Error(`request to https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage failed for +86 139-1234-5678 ${'x'.repeat(1000)}`),
    ];
    const d = dispatcher({ db, clock, senders: { console: sender } });
    await enqueue(db, message(1), clock.now());
    await d.tick();
    const { lastError } = await row(db, 'notice:1');
    expect(lastError!.length).toBeLessThanOrEqual(500);
    expect(lastError).not.toMatch(/AAHdq|5678|1234/);
    expect(lastError).toContain('bot[token]');
    expect(lastError).toContain('[number]');
    expect(describeError(new Error('Authorization: Bearer xoxb-1-2-abc at 2026-11-23'))).toBe('Error: Authorization: Bearer [redacted] at 2026-11-23');
  });

  it('marks a payload that is not an Outbound dead without sending it', async () => {
    const { db, clock } = await setup();
    const sender = new FakeSender(clock);
    await db.outbox.create({ data: { channel: 'console', chatId: 'c1', kind: 'x', dedupeKey: 'bad', payload: '{"nope":1}', nextAttemptAt: clock.now() } });
    const d = dispatcher({ db, clock, senders: { console: sender } });
    expect(await d.tick()).toMatchObject({ dead: 1 });
    expect((await row(db, 'bad')).lastError).toContain('text');
    expect(sender.calls).toBe(0);
  });
});

describe('enqueue', () => {
  it('enqueues a repeated decision once and delivers it once', async () => {
    const { db, clock } = await setup();
    const sender = new FakeSender(clock);
    expect(await enqueue(db, message(1), clock.now())).toBe(1);
    expect(await enqueue(db, message(1, { message: { text: 'again' } }), clock.now())).toBe(0);
    expect(await db.outbox.count()).toBe(1);
    const d = dispatcher({ db, clock, senders: { console: sender } });
    await d.tick();
    await d.tick();
    expect(sender.texts).toEqual(['m1']);
  });

  it('is atomic with its cause: a batch that fails later leaves no row', async () => {
    const { db, clock } = await setup();
    await expect(
      db.$transaction([
        enqueue(db, message(1), clock.now()),
        db.customer.update({ where: { id: 999 }, data: { name: 'nobody' } }), // fails: no such customer
      ]),
    ).rejects.toThrow();
    expect(await db.outbox.count()).toBe(0);

    await db.$transaction([
      db.customer.create({ data: { channel: 'console', platformUserId: 'u1' } }),
      enqueue(db, message(2), clock.now()),
    ]);
    expect(await db.outbox.count()).toBe(1);
    expect(await db.customer.count()).toBe(1);
  });

  it('round-trips file data through the JSON payload and honours notBefore', async () => {
    const { db, clock } = await setup();
    const data = new Uint8Array([0, 1, 2, 250, 255]);
    const out: Outbound = { text: '月报', buttons: [[{ label: '好', action: 'ok' }]], file: { name: 'r.png', mime: 'image/png', data } };
    expect(decodePayload(encodePayload(out))).toEqual(out);
    expect(decodePayload(encodePayload({ text: 'b', file: { name: 'b', mime: 'x', data: Buffer.from('hi') } })).file?.data).toEqual(
      new Uint8Array(Buffer.from('hi')),
    );
    // A photo passed on by reference (a handover) keeps its reference and its thread.
    const relayed: Outbound = { text: '【RG1 客户】[图片]', replyTo: '42', media: { kind: 'photo', ref: 'AgACAgQ', mime: 'image/jpeg', size: 10 } };
    expect(decodePayload(encodePayload(relayed))).toEqual(relayed);

    const sender = new FakeSender(clock);
    const d = dispatcher({ db, clock, senders: { console: sender } });
    await enqueue(db, message(1, { message: out, notBefore: new Date(clock.now().getTime() + 60_000) }), clock.now());
    expect((await d.tick()).claimed).toBe(0);
    clock.advance(60_000);
    await d.tick();
    expect(sender.deliveries[0]?.message).toEqual(out);
    expect(sender.deliveries[0]?.message.file?.data).toBeInstanceOf(Uint8Array);
  });
});

describe('OutboxDispatcher: claims', () => {
  it('two dispatchers on one database deliver each of 200 rows exactly once', async () => {
    const { dbUrl, db, clock } = await setup();
    await db.$transaction(Array.from({ length: 200 }, (_, i) => enqueue(db, message(i, { chatId: `c${i % 40}` }), clock.now())));
    const delivered: string[] = [];
    // The two overlap whatever the scheduling: each one's sends wait until the other has claimed
    // rows and started sending too (or has found nothing left to claim). The split between them
    // is not asserted, only that every row went out once.
    const active = { A: deferred(), B: deferred() };
    const senderFor = (who: 'A' | 'B'): Sender => ({
      send: async (_chat, m) => {
        active[who].resolve();
        await active[who === 'A' ? 'B' : 'A'].promise;
        delivered.push(`${m.text}@${who}`);
      },
    });
    const a = dispatcher({ db, clock, owner: 'A', batchSize: 15, senders: { console: senderFor('A') } });
    const b = dispatcher({ db: open(dbUrl), clock, owner: 'B', batchSize: 15, senders: { console: senderFor('B') } });
    // Until nothing is pending, not until a tick claims nothing: on PostgreSQL a claim racing the
    // other's may return fewer rows than its LIMIT, even none (READ COMMITTED re-checks locked rows).
    const drain = async (d: OutboxDispatcher, who: 'A' | 'B') => {
      let total = 0;
      for (;;) {
        const r = await d.tick();
        total += r.sent;
        if (r.claimed === 0 && (await db.outbox.count({ where: { status: 'pending' } })) === 0) break;
      }
      active[who].resolve();
      return total;
    };
    const [sentA, sentB] = await Promise.all([drain(a, 'A'), drain(b, 'B')]);

    const texts = delivered.map((t) => t.split('@')[0]);
    expect(texts).toHaveLength(200);
    expect(new Set(texts).size).toBe(200);
    expect(sentA + sentB).toBe(200);
    expect(delivered.filter((t) => t.endsWith('@A'))).toHaveLength(sentA);
    expect(await db.outbox.count({ where: { status: 'sent', attempts: 1 } })).toBe(200);
    expect(await db.outbox.count({ where: { leaseOwner: 'A' } })).toBe(sentA);
  });

  it("takes over a row whose claimant never finished once its lease has expired, and not before", async () => {
    const { dbUrl, db, clock } = await setup();
    const { log, lines } = recordingLogger();
    let finishStuckSend!: () => void;
    const stuckSendStarted = deferred();
    const stuck: Sender = {
      send: () =>
        new Promise<void>((resolve) => {
          finishStuckSend = resolve;
          stuckSendStarted.resolve();
        }),
    };
    const a = dispatcher({ db, clock, owner: 'A', leaseMs: 30_000, sendTimeoutMs: 60_000, senders: { console: stuck }, log });
    const sender = new FakeSender(clock);
    const b = dispatcher({ db: open(dbUrl), clock, owner: 'B', leaseMs: 30_000, senders: { console: sender } });
    await enqueue(db, message(1), clock.now());

    const stuckTick = a.tick();
    await stuckSendStarted.promise;
    expect(await row(db, 'notice:1')).toMatchObject({ status: 'sending', leaseOwner: 'A' });
    expect((await b.tick()).claimed).toBe(0);
    clock.advance(30_000);
    expect((await b.tick()).claimed).toBe(0); // the lease runs until exactly then
    clock.advance(1);
    expect(await b.tick()).toMatchObject({ claimed: 1, sent: 1 });
    expect(sender.texts).toEqual(['m1']);
    expect(await row(db, 'notice:1')).toMatchObject({ status: 'sent', leaseOwner: 'B', attempts: 2 });

    // The old claimant comes back late: it cannot overwrite the outcome, and says so.
    finishStuckSend();
    await stuckTick;
    expect(await row(db, 'notice:1')).toMatchObject({ status: 'sent', leaseOwner: 'B' });
    expect(lines.some((l) => l.level === 40 && /lease expired/.test(l.msg))).toBe(true);
    clock.advance(60_000);
    expect((await b.tick()).claimed).toBe(0);
    expect(sender.texts).toEqual(['m1']);
  });

  it("leaves rows of a channel without a sender pending and warns once per channel", async () => {
    const { db, clock } = await setup();
    const { log, lines } = recordingLogger();
    const sender = new FakeSender(clock);
    const d = dispatcher({ db, clock, log, senders: { console: sender } });
    await enqueue(db, message(1, { channel: 'telegram' }), clock.now());
    await enqueue(db, message(2, { channel: 'slack' }), clock.now());
    await enqueue(db, message(3), clock.now());
    for (let i = 0; i < 4; i += 1) {
      await d.tick();
      clock.advance(61_000);
    }
    expect(sender.texts).toEqual(['m3']);
    expect(await row(db, 'notice:1')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await row(db, 'notice:2')).toMatchObject({ status: 'pending', attempts: 0 });
    const warnings = lines.filter((l) => l.level === 40).map((l) => l.channel);
    expect(warnings.sort()).toEqual(['slack', 'telegram']);
  });
});

describe('OutboxDispatcher: pacing and order', () => {
  it('sends one chat in order and different chats concurrently', async () => {
    const { db, clock } = await setup();
    let inFlight = 0;
    let maxInFlight = 0;
    const seen: string[] = [];
    const sender: Sender = {
      send: async (chat, m) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        seen.push(`${chat}:${m.text}`);
        inFlight -= 1;
      },
    };
    let n = 0;
    for (const chat of ['a', 'b', 'c']) {
      for (let i = 0; i < 4; i += 1) {
        n += 1;
        await enqueue(db, message(n, { chatId: chat, message: { text: `${chat}${i}` } }), clock.now());
      }
    }
    const d = dispatcher({ db, clock, senders: { console: sender } });
    expect(await d.tick()).toMatchObject({ claimed: 12, sent: 12 });
    for (const chat of ['a', 'b', 'c']) {
      expect(seen.filter((s) => s.startsWith(`${chat}:`))).toEqual([0, 1, 2, 3].map((i) => `${chat}:${chat}${i}`));
    }
    expect(maxInFlight).toBe(3);
  });

  it('paces one Telegram chat at 1/s and gives back untried what does not fit in the lease', async () => {
    const { db, clock } = await setup();
    const sender = new FakeSender(clock);
    // The limiter waits by the dispatcher's clock; here waiting just moves it.
    const d = dispatcher({ db, clock, senders: { telegram: sender }, sleep: async (ms) => clock.advance(ms) });
    await db.$transaction(Array.from({ length: 15 }, (_, i) => enqueue(db, message(i, { channel: 'telegram', chatId: '42' }), clock.now())));

    const first = await d.tick();
    // A 30 s lease leaves 10 s for sending: messages at 0, 1, ..., 10 s.
    expect(first).toMatchObject({ claimed: 15, sent: 11, deferred: 4 });
    expect(await db.outbox.count({ where: { status: 'pending', attempts: 0 } })).toBe(4);
    while ((await d.tick()).claimed > 0 || (await db.outbox.count({ where: { status: { not: 'sent' } } })) > 0) clock.advance(100);

    expect(sender.texts).toEqual(Array.from({ length: 15 }, (_, i) => `m${i}`));
    const at = sender.deliveries.map((x) => x.at);
    for (let i = 1; i < at.length; i += 1) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(await db.outbox.count({ where: { status: 'sent', attempts: 1 } })).toBe(15);
  });

  it('shares a limiter with direct replies: a slot a reply took delays the outbox send', async () => {
    const { db, clock } = await setup();
    const limiter = new RateLimiter({ now: () => clock.now().getTime() });
    const sender = new FakeSender(clock);
    const d = dispatcher({ db, clock, limiter, senders: { telegram: sender }, sleep: async (ms) => clock.advance(ms) });
    await enqueue(db, message(1, { channel: 'telegram', chatId: '42' }), clock.now());
    expect(limiter.tryAcquire('telegram', '42')).toBe(0); // an adapter's reply to the same chat
    await d.tick();
    expect(sender.deliveries[0]?.at).toBe(new Date(T0).getTime() + 1000);
  });
});

describe('OutboxDispatcher: start, wake, stop', () => {
  it('delivers soon after wake() and stop() waits for the tick in flight', async () => {
    const { db, clock } = await setup();
    const sender = new FakeSender(clock);
    const release = deferred();
    sender.gate = release.promise;
    const d = dispatcher({ db, clock, senders: { console: sender } });
    d.start(60_000);
    // tick() runs after the tick in flight: once it returns, start()'s first tick found nothing.
    expect((await d.tick()).claimed).toBe(0);
    await enqueue(db, message(1), clock.now());
    d.wake(); // the next interval tick is a minute away: only wake() delivers now
    await sender.called;
    let stopped = false;
    const stopping = d.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false); // the send is still in progress here
    release.resolve();
    await stopping;
    expect(sender.texts).toEqual(['m1']);
    expect(await row(db, 'notice:1')).toMatchObject({ status: 'sent' });
  });

  it('stop() cuts a rate-limit wait short and gives the waiting rows back untried', async () => {
    const { db } = await setup();
    const sender = new FakeSender();
    // One message per chat an hour (a 6-hour lease leaves a 2-hour sending budget, so the
    // dispatcher waits rather than gives back): stop() returning at all proves it cut the wait short.
    const d = dispatcher({
      db,
      clock: systemClock,
      leaseMs: 6 * 3_600_000,
      limits: { telegram: { perChat: { count: 1, perMs: 3_600_000 } } },
      senders: { telegram: sender },
    });
    await db.$transaction([1, 2, 3].map((n) => enqueue(db, message(n, { channel: 'telegram', chatId: '42' }), systemClock.now())));
    d.start(60_000);
    await sender.called;
    await d.stop(); // the second message is waiting out its hour
    expect(sender.texts).toEqual(['m1']);
    expect(await db.outbox.count({ where: { status: 'pending', attempts: 0, leaseOwner: null } })).toBe(2);
  });
});

describe('a process killed after its commit', () => {
  function runWriter(dbUrl: string, mode: 'commit' | 'claim'): Promise<{ out: string }> {
    return new Promise((resolve, reject) => {
      // tsx runs the script in a child of its own and exits 128 + 9 when that one is SIGKILLed.
      const child = spawn(process.execPath, [TSX, WRITER, dbUrl, mode, T0], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('error', reject);
      child.on('exit', (code, signal) =>
        signal === 'SIGKILL' || code === 137 ? resolve({ out }) : reject(new Error(`writer exited ${code ?? signal}: ${err}`)),
      );
    });
  }

  it('loses nothing: the committed row is delivered exactly once', async () => {
    const { db, dbUrl, clock } = await setup();
    const { out } = await runWriter(dbUrl, 'commit');
    expect(out).toBe('COMMITTED crash:commit\nKILLED\n');
    expect(await db.customer.count()).toBe(1);
    const sender = new FakeSender(clock);
    const d = dispatcher({ db, clock, senders: { telegram: sender } });
    expect(await d.tick()).toMatchObject({ claimed: 1, sent: 1 });
    clock.advance(3_600_000);
    expect((await d.tick()).claimed).toBe(0);
    expect(sender.deliveries).toMatchObject([{ chatId: '777', text: 'sent after a crash (commit)' }]);
  }, 30_000);

  it('killed mid-send: the row is taken over after the lease and delivered once', async () => {
    const { db, dbUrl, clock } = await setup();
    const { out } = await runWriter(dbUrl, 'claim');
    expect(out).toBe('COMMITTED crash:claim\nSENDING\n');
    expect(await row(db, 'crash:claim')).toMatchObject({ status: 'sending', leaseOwner: 'child', attempts: 1 });
    const sender = new FakeSender(clock);
    const d = dispatcher({ db, clock, senders: { telegram: sender } });
    expect((await d.tick()).claimed).toBe(0);
    clock.advance(30_001);
    expect(await d.tick()).toMatchObject({ claimed: 1, sent: 1 });
    expect(sender.texts).toEqual(['sent after a crash (claim)']);
    expect(await row(db, 'crash:claim')).toMatchObject({ status: 'sent', leaseOwner: 'A', attempts: 2 });
  }, 30_000);
});
