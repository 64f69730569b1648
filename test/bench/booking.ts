/**
 * Booking turns through the real core on SQLite: turns per second, p50/p99 turn latency, and the
 * cost of a turn against a baseline measured in the same run on the same kind of file: the plain
 * Prisma writes the same conversations must make (18 per seven-turn booking).
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadSettings } from '../../src/config/env.ts';
import { DialogueCore } from '../../src/core/engine.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { PrismaCoreStore } from '../../src/store/core-store.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { migrateDatabase } from '../../src/store/migrate.ts';

export interface BookingBenchResult {
  conversations: number;
  turns: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  baselineMsPerTurn: number;
  ratio: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const SCRIPT: { text?: string; action?: string }[] = [
  { text: '你好' },
  { text: '明天下午三点日常保洁' },
  { text: '阳光小区3栋2单元501' },
  { text: '张先生' },
  { text: '13800138000' },
  { action: 'freq:once' },
  { action: 'yes' },
];

async function freshDb(template: string): Promise<{ db: Db; path: string }> {
  const path = join(mkdtempSync(join(tmpdir(), 'jz-bench-')), 'bench.db');
  copyFileSync(template, path);
  return { db: openDb({ url: `file:${path}` }), path };
}

/**
 * The baseline: the writes a booking conversation must make, as plain Prisma calls one after
 * another on the same kind of client: the customer and the conversation on first contact, for
 * every turn one inbound-message insert and one conversation update, and at the end the booking
 * and the customer's saved details.
 */
async function baseline(template: string, conversations: number): Promise<number> {
  const { db } = await freshDb(template);
  let seq = 0;
  const conversation = async (user: string) => {
    const customer = await db.customer.create({ data: { channel: 'bench', platformUserId: user }, select: { id: true } });
    const conv = await db.conversation.create({ data: { channel: 'bench', chatId: user, customerId: customer.id }, select: { id: true } });
    for (let turn = 0; turn < SCRIPT.length; turn += 1) {
      seq += 1;
      await db.inboundMessage.create({
        data: { channel: 'bench', platformMessageId: `m${seq}`, chatId: user, userId: user, kind: 'text', receivedAt: new Date() },
        select: { id: true },
      });
      await db.conversation.update({ where: { id: conv.id }, data: { state: `{"turn":${turn}}` }, select: { id: true } });
    }
    await db.booking.create({
      data: {
        number: `B${seq}`, customerId: customer.id, serviceCode: 'daily_cleaning', serviceName: '日常保洁', start: new Date(),
        address: '阳光小区3栋2单元501', contactName: '张', salutation: '先生', phone: '13800138000', priceFen: 5000,
        unit: '小时', confirmKey: `k${seq}`,
      },
      select: { id: true },
    });
    await db.customer.update({ where: { id: customer.id }, data: { name: '张', salutation: '先生', phone: '13800138000' }, select: { id: true } });
  };
  for (let i = 0; i < 50; i += 1) await conversation(`warm-${i}`);
  const start = performance.now();
  for (let i = 0; i < conversations; i += 1) await conversation(`user-${i}`);
  const elapsed = performance.now() - start;
  await db.$disconnect();
  return elapsed / (conversations * SCRIPT.length);
}

export async function benchBooking(conversations = 1000): Promise<BookingBenchResult> {
  const template = join(mkdtempSync(join(tmpdir(), 'jz-bench-tpl-')), 'template.db');
  await migrateDatabase({ url: `file:${template}` });
  const { db } = await freshDb(template);
  const clock = new ManualClock('2026-11-23T10:00:00+08:00');
  const core = new DialogueCore({ store: new PrismaCoreStore(db), clock, log: silentLogger, ...loadSettings({}) });
  let seq = 0;
  const converse = async (user: string, latencies?: number[]) => {
    for (const step of SCRIPT) {
      seq += 1;
      const t0 = performance.now();
      const replies = await core.handle({ channel: 'console', chatId: user, userId: user, messageId: `m${seq}`, at: clock.now(), ...step });
      latencies?.push(performance.now() - t0);
      if (replies.length === 0) throw new Error(`no reply to ${JSON.stringify(step)}`);
    }
  };
  for (let i = 0; i < 50; i += 1) await converse(`warm-${i}`); // warm-up: JIT, query plans
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < conversations; i += 1) await converse(`user-${i}`, latencies);
  const elapsed = performance.now() - start;
  const booked = await db.booking.count();
  if (booked !== conversations + 50) throw new Error(`expected ${conversations + 50} bookings, found ${booked}`);
  await db.$disconnect();
  const baselineMsPerTurn = await baseline(template, conversations);
  latencies.sort((a, b) => a - b);
  const msPerTurn = elapsed / latencies.length;
  return {
    conversations,
    turns: latencies.length,
    turnsPerSecond: latencies.length / (elapsed / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    baselineMsPerTurn,
    ratio: msPerTurn / baselineMsPerTurn,
  };
}
