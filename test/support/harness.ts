/**
 * Drives the real dialogue core on a fresh, migrated database (SQLite or PostgreSQL, see
 * database.ts) with a set clock: the way conversation tests talk to the product.
 */
import { randomUUID } from 'node:crypto';
import { loadSettings } from '../../src/config/env.ts';
import { loadCompany } from '../../src/config/company.ts';
import type { ComplaintSettings } from '../../src/domain/complaints/settings.ts';
import { DialogueCore } from '../../src/core/engine.ts';
import type { Button, InboundInput, Outbound } from '../../src/contracts/messages.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { OutboxDispatcher, type DispatcherOptions } from '../../src/outbox/dispatcher.ts';
import { PrismaCoreStore } from '../../src/store/core-store.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { OutboxRepository } from '../../src/store/outbox.ts';
import { freshDatabase, TEST_DIALECT } from './database.ts';
import type { Company } from '../../src/contracts/company.ts';

export interface Harness {
  db: Db;
  /** DATABASE_URL of this test's database. */
  dbUrl: string;
  clock: ManualClock;
  company: Company;
  core: DialogueCore;
  /** A new core on the same database, as after a process restart. */
  restart(): DialogueCore;
  /** Another instance: a core with its own connection to this database (close it after). */
  instance(): { core: DialogueCore; db: Db };
  chat(userId?: string, channel?: InboundInput['channel']): Chat;
  /**
   * An outbox dispatcher on this database and clock; its rate limiter waits by moving the clock,
   * so paced platforms (WeChat: one message per 2 s) drain without real waiting.
   */
  dispatcher(senders: DispatcherOptions['senders']): OutboxDispatcher;
  /** A staff member in a staff room (a group chat). */
  room(roomId: string, userId: string, displayName?: string): Chat;
  close(): Promise<void>;
}

export async function createHarness(opts: { now: string; company?: Company; complaints?: Partial<ComplaintSettings> }): Promise<Harness> {
  const dbUrl = await freshDatabase();
  const db = openDb({ url: dbUrl, poolSize: 4 });
  const clock = new ManualClock(opts.now);
  const company = opts.company ?? loadCompany();
  const complaints: ComplaintSettings = { ...loadSettings({}).complaints, ...opts.complaints };
  const makeCore = (on: Db = db) =>
    new DialogueCore({ store: new PrismaCoreStore(on, { zone: company.timeZone, departments: company.departments }), company, clock, log: silentLogger, complaints, survey: loadSettings({}).survey });
  const instances: Db[] = [];
  const harness: Harness = {
    db,
    dbUrl,
    clock,
    company,
    core: makeCore(),
    restart() {
      harness.core = makeCore();
      return harness.core;
    },
    instance() {
      // better-sqlite3 is synchronous: two connections in one process would wait on each other's
      // lock with the event loop blocked, so on SQLite the instance shares the connection (its
      // adapter serializes transactions); separate processes are test/store/two-writers.slow.test.ts.
      if (TEST_DIALECT === 'sqlite') return { core: makeCore(), db };
      const other = openDb({ url: dbUrl, poolSize: 4 });
      instances.push(other);
      return { core: makeCore(other), db: other };
    },
    chat: (userId = 'u1', channel = 'console') => new Chat(harness, userId, channel),
    dispatcher: (senders) =>
      new OutboxDispatcher({ queue: new OutboxRepository(db), senders, clock, log: silentLogger, owner: 'test-dispatcher', sleep: async (ms) => clock.advance(ms) }),
    room: (roomId, userId, displayName) => new Chat(harness, userId, 'console', { chatId: roomId, chatType: 'group', displayName }),
    close: async () => {
      await Promise.all([db, ...instances].map((d) => d.$disconnect()));
    },
  };
  return harness;
}

/** One customer's side of a chat. */
export class Chat {
  replies: Outbound[] = [];
  constructor(
    private readonly h: Harness,
    readonly userId: string,
    readonly channel: InboundInput['channel'],
    private readonly where: { chatId?: string; chatType?: 'private' | 'group'; displayName?: string } = {},
  ) {}

  /** Sends raw inbound fields (for hostile and duplicate tests). */
  async raw(fields: Partial<InboundInput>): Promise<Outbound[]> {
    this.replies = await this.h.core.handle({
      channel: this.channel,
      chatId: this.where.chatId ?? this.userId,
      userId: this.userId,
      chatType: this.where.chatType ?? 'private',
      displayName: this.where.displayName,
      messageId: randomUUID(),
      at: this.h.clock.now(),
      ...fields,
    });
    return this.replies;
  }

  say(text: string): Promise<Outbound[]> {
    return this.raw({ text });
  }

  press(action: string): Promise<Outbound[]> {
    return this.raw({ action });
  }

  /** Presses the button of the last replies whose label contains `label`. */
  tap(label: string): Promise<Outbound[]> {
    const button = this.buttons.find((b) => b.label.includes(label));
    if (!button) throw new Error(`no button "${label}" in: ${this.buttons.map((b) => b.label).join(' | ')}`);
    return this.press(button.action);
  }

  /** Books a one-off service start to finish (the booking flow has its own tests). */
  async book(when = '明天上午9点保洁', opts: { address?: string; who?: string; phone?: string } = {}): Promise<Outbound[]> {
    await this.say(when);
    await this.say(opts.address ?? '阳光小区3栋501');
    await this.say(opts.who ?? '李先生');
    await this.say(opts.phone ?? '13912345678');
    await this.tap('单次');
    return this.tap('确认预约');
  }

  get buttons(): Button[] {
    return this.replies.flatMap((r) => (r.buttons ?? []).flat());
  }

  get text(): string {
    return this.replies.map((r) => r.text).join('\n');
  }
}
