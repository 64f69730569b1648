import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Effect, TurnCommit } from '../../src/contracts/records.ts';
import { ConversationRepository } from '../../src/store/conversations.ts';
import { driver, openDb, type Db } from '../../src/store/db.ts';
import { encodePayload } from '../../src/store/outbox.ts';
import { freshDatabase } from '../support/database.ts';

/**
 * A booking's confirmation on the turn's direct path (prepared statements on the driver; one
 * statement on PostgreSQL) writes the rows Prisma writes for the same effects: its query builder
 * (`create` with a nested `connect` and `create`, `update`) and the outbox's raw insert as they
 * were before the direct path took them over, and the turn's Prisma batch.
 */
describe('row writes on the direct path', () => {
  let db: Db;
  let repo: ConversationRepository;
  const at = new Date('2026-11-23T02:00:00Z');
  const start = new Date('2026-11-24T07:00:00Z');
  let seq = 0;

  beforeAll(async () => {
    db = openDb({ url: await freshDatabase() });
    repo = new ConversationRepository(db);
  });
  afterAll(() => db.$disconnect());

  /** A new customer's conversation. */
  async function newChat(name: string) {
    return repo.conversation({ channel: 'console', chatId: name, userId: name, locale: 'zh' });
  }

  function confirmation(customerId: number, number: string): Effect[] {
    return [
      {
        kind: 'createBooking',
        booking: {
          number,
          customerId,
          serviceCode: 'daily_cleaning',
          serviceName: '日常保洁',
          start,
          address: '阳光小区3栋2单元501',
          contactName: '张',
          salutation: '先生',
          phone: '13800138000',
          frequency: 'once',
          priceFen: 5000,
          unit: '小时',
          confirmKey: `key-${number}`,
        },
      },
      { kind: 'updateCustomer', customerId, data: { name: '张', salutation: '先生', phone: '13800138000', address: '阳光小区3栋2单元501' } },
      { kind: 'createWorkOrder', bookingNumber: number, department: null, visitStart: start, at },
      {
        kind: 'enqueue',
        message: { channel: 'console', chatId: 'front-desk', kind: 'workorder', dedupeKey: `booking:${number}:workorder`, message: { text: `派工单 ${number}`, buttons: [[{ label: '派单', action: `wo:assign.${number}` }]] } },
      },
      { kind: 'enqueue', message: { channel: 'console', chatId: 'front-desk', kind: 'notice', dedupeKey: `later:${number}`, message: { text: '稍后' }, notBefore: start } },
    ];
  }

  function turn(c: { id: number; version: number }, chat: string, effects: Effect[]): TurnCommit {
    seq += 1;
    return {
      inbound: { channel: 'console', messageId: `m${seq}`, chatId: chat, userId: chat, kind: 'action', at },
      conversationId: c.id,
      version: c.version,
      state: '{"flow":"idle"}',
      locale: 'zh',
      effects,
      now: at,
    };
  }

  /** A row as stored (SQLite's text of an instant as it is, not parsed), read on the driver. */
  async function stored(table: string, where: string, value: string | number): Promise<Record<string, unknown>> {
    const drv = driver(db);
    if (!drv) throw new Error('no driver');
    const text = `SELECT * FROM "${table}" WHERE "${where}" = ${drv.kind === 'sqlite' ? '?' : '$1'}`;
    const row = drv.kind === 'sqlite' ? await drv.read((sql) => sql.get<Record<string, unknown>>(text, value)) : (await drv.query({ text, values: [value] })).rows[0];
    if (!row) throw new Error(`no ${table} row with ${where} = ${value}`);
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
  }

  /** Every row a confirmation wrote, without the ids and keys that differ between bookings; instants Prisma fills by the clock only by their shape. */
  async function confirmationRows(number: string) {
    const booking = await stored('Booking', 'number', number);
    const workOrder = await stored('WorkOrder', 'bookingId', Number(booking.id));
    const event = await stored('WorkOrderEvent', 'workOrderId', Number(workOrder.id));
    const customer = await stored('Customer', 'id', Number(booking.customerId));
    const post = await stored('Outbox', 'dedupeKey', `booking:${number}:workorder`);
    const later = await stored('Outbox', 'dedupeKey', `later:${number}`);
    const shape = (v: unknown) => (v instanceof Date ? 'Date' : String(v).replace(/\d/g, '0'));
    const strip = (row: Record<string, unknown>, varying: string[], clock: string[] = []) => ({
      ...Object.fromEntries(Object.entries(row).filter(([k]) => !varying.includes(k) && !clock.includes(k))),
      ...Object.fromEntries(clock.map((k) => [k, shape(row[k])])),
    });
    expect(workOrder.bookingId).toBe(booking.id);
    expect(event.workOrderId).toBe(workOrder.id);
    return {
      booking: strip(booking, ['id', 'number', 'confirmKey', 'customerId'], ['createdAt', 'updatedAt']),
      customer: strip(customer, ['id', 'platformUserId'], ['createdAt', 'updatedAt']),
      workOrder: strip(workOrder, ['id', 'bookingId'], ['createdAt']),
      event: strip(event, ['id', 'workOrderId']),
      post: strip(post, ['id', 'dedupeKey', 'payload']),
      postPayload: String(post.payload).replaceAll(number, 'N'),
      later: strip(later, ['id', 'dedupeKey']),
    };
  }

  /** The same effects as Prisma's query builder and the outbox's raw insert wrote them before the direct path. */
  async function writeWithPrisma(effects: Effect[]): Promise<void> {
    const statements = effects.map((effect) => {
      switch (effect.kind) {
        case 'createBooking':
          return db.booking.create({ data: effect.booking, select: { id: true } });
        case 'updateCustomer':
          return db.customer.update({ where: { id: effect.customerId }, data: effect.data, select: { id: true } });
        case 'createWorkOrder':
          return db.workOrder.create({
            data: {
              booking: { connect: { number: effect.bookingNumber } },
              department: effect.department,
              visitStart: effect.visitStart,
              events: { create: [{ at: effect.at, actor: 'system', kind: 'posted' }] },
            },
            select: { id: true },
          });
        case 'enqueue': {
          const msg = effect.message;
          return db.$executeRaw`
            INSERT INTO "Outbox" ("channel", "chatId", "payload", "kind", "dedupeKey", "status", "attempts", "nextAttemptAt", "createdAt")
            VALUES (${msg.channel}, ${msg.chatId}, ${encodePayload(msg.message, msg.onFailure)}, ${msg.kind}, ${msg.dedupeKey}, 'pending', 0, ${msg.notBefore ?? at}, ${at})
            ON CONFLICT ("dedupeKey") DO NOTHING`;
        }
        default:
          throw new Error(`not a confirmation's effect: ${effect.kind}`);
      }
    });
    await db.$transaction(statements);
  }

  it("writes a confirmation's rows as Prisma does: booking, customer, work order and its event, outbox rows", async () => {
    const direct = await newChat('direct');
    const batch = await newChat('batch');
    const prisma = await newChat('prisma');
    const before = Date.now();
    await repo.commitTurn(turn(direct, 'direct', confirmation(direct.customer.id, 'JZ0001')));
    // A turn with an effect the direct path does not take goes through Prisma's batch.
    await repo.commitTurn(turn(batch, 'batch', [...confirmation(batch.customer.id, 'JZ0002'), { kind: 'flagGroup', matter: 'none', since: at }]));
    await writeWithPrisma(confirmation(prisma.customer.id, 'JZ0003'));
    const after = Date.now();
    const rows = await confirmationRows('JZ0001');
    expect(await confirmationRows('JZ0002')).toEqual(rows);
    expect(await confirmationRows('JZ0003')).toEqual(rows);
    // Prisma's defaults: the booking is confirmed, once, no visits yet; the work order open at version 0.
    expect(rows.booking).toMatchObject({ status: 'confirmed', frequency: 'once', visits: 0, cancelledAt: null });
    expect(rows.workOrder).toMatchObject({ status: 'open', version: 0, workerId: null });
    const written = await db.workOrder.findFirstOrThrow({ where: { booking: { number: 'JZ0001' } }, select: { createdAt: true, booking: { select: { createdAt: true, updatedAt: true } } } });
    for (const instant of [written.createdAt, written.booking.createdAt, written.booking.updatedAt]) {
      expect(instant.getTime()).toBeGreaterThanOrEqual(before);
      expect(instant.getTime()).toBeLessThanOrEqual(after);
    }
    expect(await db.conversation.findUniqueOrThrow({ where: { id: direct.id }, select: { version: true } })).toEqual({ version: direct.version + 1 });
  });

  it('writes an outbox row once per dedupe key, keeping the first, as enqueue does', async () => {
    const c = await newChat('dedupe');
    const message = (text: string) => ({ kind: 'enqueue' as const, message: { channel: 'console' as const, chatId: 'room', kind: 'notice', dedupeKey: 'once-only', message: { text } } });
    await repo.commitTurn(turn(c, 'dedupe', [message('first'), message('second')]));
    await repo.commitTurn(turn({ id: c.id, version: c.version + 1 }, 'dedupe', [message('third')]));
    const rows = await db.outbox.findMany({ where: { dedupeKey: 'once-only' }, select: { payload: true } });
    expect(rows).toEqual([{ payload: encodePayload({ text: 'first' }) }]);
    expect(await db.conversation.findUniqueOrThrow({ where: { id: c.id }, select: { version: true } })).toEqual({ version: c.version + 2 });
  });

  it("finds a work order's booking by its number in an earlier turn, and refuses the turn, writing nothing, when there is none", async () => {
    const c = await newChat('lookup');
    await repo.commitTurn(turn(c, 'lookup', confirmation(c.customer.id, 'JZ0004').slice(0, 1)));
    await repo.commitTurn(turn({ id: c.id, version: c.version + 1 }, 'lookup', [{ kind: 'createWorkOrder', bookingNumber: 'JZ0004', department: 'deep', visitStart: start, at }]));
    const found = await db.workOrder.findFirstOrThrow({ where: { booking: { number: 'JZ0004' } }, select: { department: true, events: { select: { kind: true, actor: true, at: true } } } });
    expect(found).toEqual({ department: 'deep', events: [{ kind: 'posted', actor: 'system', at }] });

    const missing = turn({ id: c.id, version: c.version + 2 }, 'lookup', [
      { kind: 'createWorkOrder', bookingNumber: 'JZ-none', department: null, visitStart: start, at },
      { kind: 'enqueue', message: { channel: 'console', chatId: 'room', kind: 'notice', dedupeKey: 'after-missing', message: { text: 'x' } } },
    ]);
    await expect(repo.commitTurn(missing)).rejects.toMatchObject({ reason: 'stale' });
    expect(await db.outbox.count({ where: { dedupeKey: 'after-missing' } })).toBe(0);
    expect(await db.inboundMessage.count({ where: { platformMessageId: missing.inbound.messageId } })).toBe(0);
    expect(await db.conversation.findUniqueOrThrow({ where: { id: c.id }, select: { version: true } })).toEqual({ version: c.version + 2 });
  });

  it('refuses a confirmation whose booking number is taken, and one on a stale version, writing nothing', async () => {
    const c = await newChat('taken');
    const other = await newChat('taken-other');
    await repo.commitTurn(turn(other, 'taken-other', confirmation(other.customer.id, 'JZ0005')));
    await expect(repo.commitTurn(turn(c, 'taken', confirmation(c.customer.id, 'JZ0005')))).rejects.toMatchObject({ reason: 'number_taken' });
    await expect(repo.commitTurn(turn({ id: c.id, version: c.version + 1 }, 'taken', confirmation(c.customer.id, 'JZ0006')))).rejects.toMatchObject({ reason: 'stale' });
    expect(await db.booking.count({ where: { customerId: c.customer.id } })).toBe(0);
    expect(await db.workOrder.count({ where: { booking: { number: 'JZ0006' } } })).toBe(0);
    expect(await db.outbox.count({ where: { dedupeKey: { in: ['booking:JZ0006:workorder', 'later:JZ0006'] } } })).toBe(0);
    expect(await db.customer.findUniqueOrThrow({ where: { id: c.customer.id }, select: { name: true } })).toEqual({ name: null });
  });
});
