/**
 * What the dialogue core needs from storage, as an interface: the Prisma store implements it,
 * unit tests can pass a fake. Flows read through it; writes are collected as effects and
 * committed in one transaction with the inbound message and the new conversation state.
 */
import type { Channel } from './types.ts';
import type { Salutation } from './state.ts';

export const ACTIVE_STATUSES = ['requested', 'confirmed', 'assigned'] as const;
export type BookingStatus = (typeof ACTIVE_STATUSES)[number] | 'completed' | 'cancelled';

export interface CustomerProfile {
  id: number;
  name: string | null;
  salutation: Salutation | null;
  phone: string | null;
  address: string | null;
}

export interface ConversationRecord {
  id: number;
  version: number;
  state: string;
  locale: string;
  customer: CustomerProfile;
}

export interface BookingView {
  id: number;
  number: string;
  customerId: number;
  serviceCode: string;
  serviceName: string;
  start: Date;
  status: BookingStatus;
}

export interface NewBooking {
  number: string;
  customerId: number;
  serviceCode: string;
  serviceName: string;
  start: Date;
  address: string;
  contactName: string;
  salutation: Salutation;
  phone: string;
  frequency: string;
  priceFen: number;
  unit: string;
  confirmKey: string;
}

/** A write decided by a flow, applied atomically with the turn. */
export type Effect =
  | { kind: 'createBooking'; booking: NewBooking }
  | { kind: 'cancelBooking'; bookingId: number; customerId: number; at: Date }
  | { kind: 'moveBooking'; bookingId: number; customerId: number; start: Date }
  | {
      kind: 'updateCustomer';
      customerId: number;
      data: Partial<Pick<CustomerProfile, 'name' | 'salutation' | 'phone' | 'address'>>;
    };

export interface InboundKey {
  channel: Channel;
  messageId: string;
  chatId: string;
  userId: string;
  kind: 'text' | 'action';
  at: Date;
}

/** Why a turn could not be committed; the core retries or drops the turn accordingly. */
export class TurnConflict extends Error {
  constructor(
    readonly reason: 'duplicate' | 'stale' | 'number_taken',
    options?: { cause?: unknown },
  ) {
    super(`turn not committed: ${reason}`, options);
    this.name = 'TurnConflict';
  }
}

export interface CoreStore {
  /** The conversation of a chat, created with its customer on first contact. */
  conversation(opts: {
    channel: Channel;
    chatId: string;
    userId: string;
    displayName?: string;
    locale: string;
  }): Promise<ConversationRecord>;
  /**
   * Records the inbound message, the new state (if `version` still matches) and the effects, all
   * or nothing.
   * @throws TurnConflict `duplicate` when the message was already handled, `stale` when another
   *   process moved the conversation or a booking first, `number_taken` on a booking-number clash.
   */
  commitTurn(opts: {
    inbound: InboundKey;
    conversationId: number;
    version: number;
    state: string;
    locale: string;
    effects: Effect[];
  }): Promise<void>;
  /** The customer's bookings that have not happened yet and are not cancelled, soonest first. */
  upcomingBookings(customerId: number, now: Date): Promise<BookingView[]>;
  /** One of the customer's bookings; undefined if it does not exist or is someone else's. */
  customerBooking(customerId: number, bookingId: number): Promise<BookingView | undefined>;
}
