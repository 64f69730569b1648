/**
 * The Prisma implementation of the core's storage port.
 */
import { Prisma } from '../generated/prisma/client.ts';
import {
  ACTIVE_STATUSES,
  TurnConflict,
  type BookingStatus,
  type BookingView,
  type ConversationRecord,
  type CoreStore,
  type CustomerProfile,
  type Effect,
} from '../core/ports.ts';
import type { Salutation } from '../core/state.ts';
import type { Db } from './db.ts';

const bookingView = {
  id: true,
  number: true,
  customerId: true,
  serviceCode: true,
  serviceName: true,
  start: true,
  status: true,
} as const;

const profile = { id: true, name: true, salutation: true, phone: true, address: true } as const;

function toProfile(c: { id: number; name: string | null; salutation: string | null; phone: string | null; address: string | null }): CustomerProfile {
  return { ...c, salutation: c.salutation === '先生' || c.salutation === '女士' ? (c.salutation as Salutation) : null };
}

function toView(b: { id: number; number: string; customerId: number; serviceCode: string; serviceName: string; start: Date; status: string }): BookingView {
  return { ...b, status: b.status as BookingStatus };
}

function prismaCode(error: unknown): string | undefined {
  return error instanceof Prisma.PrismaClientKnownRequestError ? error.code : undefined;
}

export class PrismaCoreStore implements CoreStore {
  constructor(private readonly db: Db) {}

  async conversation(opts: Parameters<CoreStore['conversation']>[0]): Promise<ConversationRecord> {
    const key = { channel: opts.channel, chatId: opts.chatId };
    const found = await this.db.conversation.findUnique({
      where: { channel_chatId: key },
      select: { id: true, version: true, state: true, locale: true, customer: { select: profile } },
    });
    if (found) return { ...found, customer: toProfile(found.customer) };
    const customer = await this.db.customer.upsert({
      where: { channel_platformUserId: { channel: opts.channel, platformUserId: opts.userId } },
      create: { channel: opts.channel, platformUserId: opts.userId, displayName: opts.displayName, locale: opts.locale },
      update: {},
      select: profile,
    });
    const created = await this.db.conversation.upsert({
      where: { channel_chatId: key },
      create: { ...key, customerId: customer.id, locale: opts.locale, state: '{"flow":"idle"}' },
      update: {},
      select: { id: true, version: true, state: true, locale: true, customer: { select: profile } },
    });
    return { ...created, customer: toProfile(created.customer) };
  }

  async commitTurn(opts: Parameters<CoreStore['commitTurn']>[0]): Promise<void> {
    const { inbound } = opts;
    const writes: Prisma.PrismaPromise<unknown>[] = [
      this.db.inboundMessage.create({
        data: {
          channel: inbound.channel,
          platformMessageId: inbound.messageId,
          chatId: inbound.chatId,
          userId: inbound.userId,
          kind: inbound.kind,
          receivedAt: inbound.at,
        },
        select: { id: true },
      }),
      this.db.conversation.update({
        where: { id: opts.conversationId, version: opts.version },
        data: { state: opts.state, locale: opts.locale, version: { increment: 1 } },
        select: { id: true },
      }),
      ...opts.effects.map((effect) => this.#write(effect)),
    ];
    try {
      await this.db.$transaction(writes);
    } catch (error) {
      const code = prismaCode(error);
      if (code === 'P2025') throw new TurnConflict('stale', { cause: error });
      if (code === 'P2002') {
        const seen = await this.db.inboundMessage.findUnique({
          where: { channel_platformMessageId: { channel: inbound.channel, platformMessageId: inbound.messageId } },
          select: { id: true },
        });
        throw new TurnConflict(seen ? 'duplicate' : 'number_taken', { cause: error });
      }
      throw error;
    }
  }

  #write(effect: Effect): Prisma.PrismaPromise<unknown> {
    switch (effect.kind) {
      case 'createBooking':
        return this.db.booking.create({ data: effect.booking, select: { id: true } });
      case 'cancelBooking':
        return this.db.booking.update({
          where: { id: effect.bookingId, customerId: effect.customerId, status: { in: [...ACTIVE_STATUSES] } },
          data: { status: 'cancelled', cancelledAt: effect.at },
          select: { id: true },
        });
      case 'moveBooking':
        return this.db.booking.update({
          where: { id: effect.bookingId, customerId: effect.customerId, status: { in: [...ACTIVE_STATUSES] } },
          data: { start: effect.start },
          select: { id: true },
        });
      case 'updateCustomer':
        return this.db.customer.update({ where: { id: effect.customerId }, data: effect.data, select: { id: true } });
    }
  }

  async upcomingBookings(customerId: number, now: Date): Promise<BookingView[]> {
    const rows = await this.db.booking.findMany({
      where: { customerId, status: { in: [...ACTIVE_STATUSES] }, start: { gt: now } },
      orderBy: { start: 'asc' },
      take: 10,
      select: bookingView,
    });
    return rows.map(toView);
  }

  async customerBooking(customerId: number, bookingId: number): Promise<BookingView | undefined> {
    const row = await this.db.booking.findFirst({ where: { id: bookingId, customerId }, select: bookingView });
    return row ? toView(row) : undefined;
  }
}
