/**
 * The staff repository: the staff member behind a platform identity. Staff join through an
 * invite code, written as an effect of a turn (effects.ts).
 */
import type { Channel } from '../contracts/messages.ts';
import type { Role, StaffView } from '../contracts/records.ts';
import type { Db } from './db.ts';

export class StaffRepository {
  constructor(private readonly db: Db) {}

  /** The staff member behind a platform identity, if they joined. */
  async byIdentity(channel: Channel, userId: string): Promise<StaffView | undefined> {
    const row = await this.db.staff.findUnique({
      where: { channel_platformUserId: { channel, platformUserId: userId } },
      select: { id: true, role: true, displayName: true },
    });
    return row ? { ...row, role: row.role as Role } : undefined;
  }
}
