/**
 * The staff repository: the staff member behind a platform identity, the list managers see, and
 * the recent wrong invite codes the `/join` lockout counts. Staff join through an invite code, and
 * every attempt is recorded, as effects of a turn (effects.ts).
 */
import type { Channel } from '../contracts/messages.ts';
import type { Role, StaffMemberView, StaffView } from '../contracts/records.ts';
import type { Db } from './db.ts';

/** More wrong codes than any lockout needs to be decided (the rule counts 5 in 15 minutes). */
const FAILURES_READ = 100;
/** More staff than a housekeeping company has. */
const STAFF_LISTED = 500;

export class StaffRepository {
  constructor(private readonly db: Db) {}

  /** The staff member behind a platform identity, if they joined and were not revoked since. */
  async byIdentity(channel: Channel, userId: string): Promise<StaffView | undefined> {
    const row = await this.db.staff.findUnique({
      where: { channel_platformUserId: { channel, platformUserId: userId }, revokedAt: null },
      select: { id: true, role: true, displayName: true, department: true },
    });
    return row ? { ...row, role: row.role as Role } : undefined;
  }

  /** Current staff (not revoked), in the order they joined. */
  async members(): Promise<StaffMemberView[]> {
    const rows = await this.db.staff.findMany({
      where: { revokedAt: null },
      select: { id: true, role: true, displayName: true, department: true, channel: true, joinedAt: true },
      orderBy: [{ joinedAt: 'asc' }, { id: 'asc' }],
      take: STAFF_LISTED,
    });
    return rows.map((r) => ({ ...r, role: r.role as Role, channel: r.channel as Channel }));
  }

  /**
   * The times of wrong invite codes since `since`: of one user on a platform (in any chat), and,
   * when `chatId` is given, of anyone in that chat (a group).
   */
  async joinFailures(opts: { channel: Channel; userId: string; chatId?: string; since: Date }): Promise<{ user: Date[]; chat: Date[] }> {
    const { channel, userId, chatId, since } = opts;
    const read = (where: { userId: string } | { chatId: string }) =>
      this.db.joinAttempt.findMany({
        where: { channel, ...where, result: 'wrong_code', at: { gte: since } },
        select: { at: true },
        orderBy: { at: 'desc' },
        take: FAILURES_READ,
      });
    const user = await read({ userId });
    const chat = chatId === undefined ? [] : await read({ chatId });
    return { user: user.map((r) => r.at), chat: chat.map((r) => r.at) };
  }
}
