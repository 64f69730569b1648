/**
 * Drives the real dialogue core on a fresh, migrated SQLite file with a set clock: the way
 * conversation tests talk to the product.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadSettings } from '../../src/config/env.ts';
import { loadCompany, type Company } from '../../src/config/company.ts';
import type { ComplaintSettings } from '../../src/core/complaints/settings.ts';
import { DialogueCore } from '../../src/core/engine.ts';
import type { Button, InboundInput, Outbound } from '../../src/core/types.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { OutboxDispatcher, type DispatcherOptions } from '../../src/outbox/dispatcher.ts';
import { PrismaCoreStore } from '../../src/store/core-store.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';

let template: Promise<string> | undefined;

/** A migrated empty database file, made once per test worker and copied for each test. */
async function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'jz-template-')), 'template.db');
    await migrateDatabase({ url: `file:${path}` });
    return path;
  })();
  return template;
}

/** A fresh database file path with every migration applied. */
export async function freshDatabase(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'jz-test-')), 'test.db');
  copyFileSync(await migratedTemplate(), path);
  return path;
}

export interface Harness {
  db: Db;
  dbPath: string;
  clock: ManualClock;
  company: Company;
  core: DialogueCore;
  /** A new core on the same database, as after a process restart. */
  restart(): DialogueCore;
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
  const dbPath = await freshDatabase();
  const db = openDb({ url: `file:${dbPath}` });
  const clock = new ManualClock(opts.now);
  const company = opts.company ?? loadCompany();
  const complaints: ComplaintSettings = { ...loadSettings({}).complaints, ...opts.complaints };
  const makeCore = () => new DialogueCore({ store: new PrismaCoreStore(db), company, clock, log: silentLogger, complaints, survey: loadSettings({}).survey });
  const harness: Harness = {
    db,
    dbPath,
    clock,
    company,
    core: makeCore(),
    restart() {
      harness.core = makeCore();
      return harness.core;
    },
    chat: (userId = 'u1', channel = 'console') => new Chat(harness, userId, channel),
    dispatcher: (senders) =>
      new OutboxDispatcher({ db, senders, clock, log: silentLogger, owner: 'test-dispatcher', sleep: async (ms) => clock.advance(ms) }),
    room: (roomId, userId, displayName) => new Chat(harness, userId, 'console', { chatId: roomId, chatType: 'group', displayName }),
    close: () => db.$disconnect(),
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
