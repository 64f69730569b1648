/**
 * The staff repository: the staff member behind a platform identity, the list managers see, and
 * the recent wrong invite codes the `/join` lockout counts. Staff join through an invite code, and
 * every attempt is recorded, as effects of a turn (effects.ts).
 */
import type { Channel } from '../contracts/messages.ts';
import type { Role, StaffMemberView, StaffView } from '../contracts/records.ts';
import { driver, type Db } from './db.ts';

/** More wrong codes than any lockout needs to be decided (the rule counts 5 in 15 minutes). */
const FAILURES_READ = 100;
/** More staff than a housekeeping company has. */
const STAFF_LISTED = 500;

export class StaffRepository {
  constructor(private readonly db: Db) {}

  /**
   * The staff member behind a platform identity, if they joined and were not revoked since. Read
   * on every turn of a private chat (a staff member answering a handover), so straight on the
   * driver like the turn's own statements (conversations.ts): through Prisma it cost more than
   * the rest of the turn, and Prisma merges the findUnique calls of one tick into one query, which
   * a thousand customers writing at once took past the database's limit of parameters.
   */
  async byIdentity(channel: Channel, userId: string): Promise<StaffView | undefined> {
    const drv = driver(this.db);
    let row: { id: number | bigint; role: string; displayName: string | null; department: string | null } | undefined;
    if (drv?.kind === 'sqlite') row = await drv.read((sql) => sql.get(STAFF_BY_IDENTITY_SQLITE, channel, userId));
    else if (drv?.kind === 'postgresql') [row] = (await drv.query<NonNullable<typeof row>>({ name: 'staff-by-identity', text: STAFF_BY_IDENTITY_POSTGRESQL, values: [channel, userId] })).rows;
    else {
      row =
        (await this.db.staff.findFirst({
          where: { channel, platformUserId: userId, revokedAt: null },
          select: { id: true, role: true, displayName: true, department: true },
        })) ?? undefined;
    }
    return row ? { id: Number(row.id), role: row.role as Role, displayName: row.displayName, department: row.department } : undefined;
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

const STAFF_BY_IDENTITY_SQLITE = `
  SELECT "id", "role", "displayName", "department" FROM "Staff" WHERE "channel" = ? AND "platformUserId" = ? AND "revokedAt" IS NULL`;
const STAFF_BY_IDENTITY_POSTGRESQL = `
  SELECT "id", "role", "displayName", "department" FROM "Staff" WHERE "channel" = $1 AND "platformUserId" = $2 AND "revokedAt" IS NULL`;
