/**
 * The staff repository: the staff member behind a platform identity, the list managers see, and
 * the recent wrong invite codes the `/join` lockout counts. Staff join through an invite code, and
 * every attempt is recorded, as effects of a turn (effects.ts).
 */
import type { Channel } from '../contracts/messages.ts';
import type { Role, StaffMemberView, StaffView } from '../contracts/records.ts';
import type { ChangeFeed } from './change-feed.ts';
import { driver, type Db } from './db.ts';

/** More wrong codes than any lockout needs to be decided (the rule counts 5 in 15 minutes). */
const FAILURES_READ = 100;
/** More staff than a housekeeping company has. */
const STAFF_LISTED = 500;

export class StaffRepository {
  constructor(private readonly db: Db) {}

  /**
   * The staff member behind a platform identity, if they joined and were not revoked since. Read
   * on every turn of a private chat (a staff member answering a handover), so never through
   * Prisma: through it the read cost more than the rest of the turn, and Prisma merges the
   * findUnique calls of one tick into one query, which a thousand customers writing at once took
   * past the database's limit of parameters. On SQLite a prepared statement on the driver (in
   * process, a few microseconds); on PostgreSQL the instance's copy of the directory (a round
   * trip saved on every such turn, two in a booking), or the statement while the copy cannot be
   * trusted (see StaffDirectory).
   */
  async byIdentity(channel: Channel, userId: string): Promise<StaffView | undefined> {
    const drv = driver(this.db);
    let row: StaffRow | undefined;
    if (drv?.kind === 'sqlite') row = await drv.read((sql) => sql.get(STAFF_BY_IDENTITY_SQLITE, channel, userId));
    else if (drv?.kind === 'postgresql') {
      const directory = await directoryOf(this.db, drv).current();
      if (directory) row = directory.get(identity(channel, userId));
      else [row] = (await drv.query<StaffRow>({ name: 'staff-by-identity', text: STAFF_BY_IDENTITY_POSTGRESQL, values: [channel, userId] })).rows;
    } else {
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

type StaffRow = { id: number | bigint; role: string; displayName: string | null; department: string | null };

/** Larger directories are not copied: each look-up reads the database. */
const DIRECTORY_MAX = 5_000;

const identity = (channel: string, userId: string) => `${channel}\u0000${userId}`;

type PostgresDriver = Extract<NonNullable<ReturnType<typeof driver>>, { kind: 'postgresql' }>;

/**
 * An instance's copy of the current staff (PostgreSQL), keyed by platform identity. It is read
 * again when the `staff_changed` notification (a trigger on "Staff") or this process's own staff
 * change (`staffChanged`) moves the feed's generation, and not used at all while the feed is not
 * live (no notification could arrive): then, and for a directory larger than DIRECTORY_MAX, every
 * look-up reads the database.
 */
class StaffDirectory {
  #copy: { generation: number; rows: Map<string, StaffRow> } | undefined;
  #reading: { generation: number; rows: Promise<Map<string, StaffRow> | undefined> } | undefined;

  constructor(
    private readonly drv: PostgresDriver,
    readonly feed: ChangeFeed,
  ) {}

  /** The current directory, or undefined when it cannot be trusted (read the database). */
  async current(): Promise<Map<string, StaffRow> | undefined> {
    const { feed } = this;
    if (!feed.live) return undefined;
    const generation = feed.generation;
    if (this.#copy?.generation === generation) return this.#copy.rows;
    if (this.#reading?.generation !== generation) {
      const reading = { generation, rows: this.#read() };
      this.#reading = reading;
      // A failed read is not kept: the next look-up reads again.
      reading.rows.catch(() => {
        if (this.#reading === reading) this.#reading = undefined;
      });
    }
    const rows = await this.#reading.rows;
    // Read after the generation was taken: at least as fresh as a look-up of its own would be.
    if (rows && feed.live && (this.#copy?.generation ?? -1) < generation) this.#copy = { generation, rows };
    return rows;
  }

  async #read(): Promise<Map<string, StaffRow> | undefined> {
    const { rows } = await this.drv.query<StaffRow & { channel: string; platformUserId: string }>({
      name: 'staff-directory',
      text: STAFF_DIRECTORY_POSTGRESQL,
      values: [DIRECTORY_MAX + 1],
    });
    if (rows.length > DIRECTORY_MAX) return undefined;
    return new Map(rows.map(({ channel, platformUserId, ...row }) => [identity(channel, platformUserId), row]));
  }
}

const directories = new WeakMap<Db, StaffDirectory>();

function directoryOf(db: Db, drv: PostgresDriver): StaffDirectory {
  let directory = directories.get(db);
  if (!directory) {
    directory = new StaffDirectory(drv, drv.changes(STAFF_CHANNEL));
    directories.set(db, directory);
  }
  return directory;
}

/** The channel the trigger on "Staff" notifies (prisma/postgresql/migrations/*_staff_changed). */
const STAFF_CHANNEL = 'staff_changed';

/**
 * This process committed a change to staff: its copy of the directory is stale at once, before
 * the server's notification arrives (another instance learns from the notification).
 */
export function staffChanged(db: Db): void {
  directories.get(db)?.feed.bump();
}

const STAFF_DIRECTORY_POSTGRESQL = `
  SELECT "id", "role", "displayName", "department", "channel", "platformUserId" FROM "Staff" WHERE "revokedAt" IS NULL LIMIT $1`;
const STAFF_BY_IDENTITY_SQLITE = `
  SELECT "id", "role", "displayName", "department" FROM "Staff" WHERE "channel" = ? AND "platformUserId" = ? AND "revokedAt" IS NULL`;
const STAFF_BY_IDENTITY_POSTGRESQL = `
  SELECT "id", "role", "displayName", "department" FROM "Staff" WHERE "channel" = $1 AND "platformUserId" = $2 AND "revokedAt" IS NULL`;
