/**
 * The console messages repository, delivery for the console channel: the outbox dispatcher
 * writes here (it is the console's `Sender`), and each console chat process shows what arrived for
 * its chat or room.
 */
import type { Outbound } from '../contracts/messages.ts';
import { decodePayload, encodePayload } from './outbox.ts';
import type { Db } from './db.ts';

/** Messages read at once when `since` is given no limit. */
const READ_AT_ONCE = 50;

export class ConsoleInbox {
  constructor(private readonly db: Db) {}

  /** Stores a message for a console chat (the console's `Sender.send`); its row id is its reference. */
  async send(chatId: string, message: Outbound): Promise<string> {
    const row = await this.db.consoleMessage.create({ data: { chatId, payload: encodePayload(message) }, select: { id: true } });
    return String(row.id);
  }

  /**
   * Messages for a chat after `afterId` (or, with `unshownOnly`, those no session has shown yet),
   * oldest first, marked as shown, with the last id seen.
   */
  async since(
    chatId: string,
    afterId: number,
    opts: { unshownOnly?: boolean; limit?: number } = {},
  ): Promise<{ lastId: number; messages: (Outbound & { ref: string })[] }> {
    const rows = await this.db.consoleMessage.findMany({
      where: { chatId, id: { gt: afterId }, ...(opts.unshownOnly ? { shownAt: null } : {}) },
      orderBy: { id: 'asc' },
      take: opts.limit ?? READ_AT_ONCE,
    });
    if (rows.length > 0) {
      await this.db.consoleMessage.updateMany({ where: { id: { in: rows.map((r) => r.id) }, shownAt: null }, data: { shownAt: new Date() } });
    }
    return { lastId: rows.at(-1)?.id ?? afterId, messages: rows.map((r) => ({ ...decodePayload(r.payload), ref: String(r.id) })) };
  }

  /** The id before the chat's last `count` messages, so a watcher starts by showing them. */
  async tailStart(chatId: string, count: number): Promise<number> {
    const rows = await this.db.consoleMessage.findMany({ where: { chatId }, orderBy: { id: 'desc' }, take: count, select: { id: true } });
    return rows.length === count ? (rows.at(-1)?.id ?? 1) - 1 : 0;
  }
}
