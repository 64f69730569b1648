/**
 * Opens the database named by DATABASE_URL: the embedded SQLite file, or PostgreSQL through
 * @prisma/adapter-pg. Only the store imports Prisma.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { PrismaClient as PostgresPrismaClient } from '../generated/prisma-postgresql/client.ts';
import { ConfigError, DeskError, ErrorCode } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import { sqliteFilePath } from '../../prisma/tools/providers.ts';
import { type DatabaseProvider, prepareSqliteFile } from './migrate.ts';
import { ChangeFeed } from './change-feed.ts';
import { SafeSqliteAdapterFactory, type SqliteStatements } from './sqlite-adapter.ts';

/**
 * Both clients are generated from the same models (prisma/tools/providers.ts), so the
 * PostgreSQL one is used through the SQLite client's type; SQL that differs asks `dialect(db)`.
 */
export type Db = PrismaClient;
export type Dialect = DatabaseProvider;

interface DbOptions {
  url: string;
  busyTimeoutMs?: number;
  synchronous?: 'NORMAL' | 'FULL';
  /** PostgreSQL: connections in this process's pool (pg's default is 10). */
  poolSize?: number;
  /**
   * PostgreSQL: `synchronous_commit` of this process's connections; default `records`: `on`,
   * except a turn that only moves the conversation, which commits without waiting for its WAL to
   * reach the disk (see `Driver.relaxedStateCommits`). `off` returns from every commit before its
   * WAL is flushed. What did not wait may be lost in a server or machine crash (up to three times
   * wal_writer_delay; never part of a commit).
   */
  synchronousCommit?: 'records' | 'on' | 'off';
  /** PostgreSQL: where the notification feeds say when they stop and start arriving. */
  log?: Logger;
}

const dialects = new WeakMap<Db, Dialect>();

/**
 * The driver under a client, for the turn's hot path (src/store/conversations.ts), which runs
 * prepared statements without Prisma's query compiler: on SQLite one synchronous write
 * transaction on the client's own connection (after any transaction Prisma has open on it), on
 * PostgreSQL single statements on the client's own pool (one round trip each).
 */
export type Driver =
  | {
      kind: 'sqlite';
      write<T>(work: (sql: SqliteStatements) => T): Promise<T>;
      read<T>(work: (sql: SqliteStatements) => T): Promise<T>;
    }
  | {
      kind: 'postgresql';
      query<R extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>>;
      /** A turn that only moves the conversation commits without waiting for the disk (`synchronousCommit: 'records'`). */
      relaxedStateCommits: boolean;
      /** The notifications of `channel`, listened to from the first call until the client disconnects. */
      changes(channel: string): ChangeFeed;
    };

const drivers = new WeakMap<Db, Driver>();

/** The driver under a client opened by `openDb` (undefined for any other client). */
export function driver(db: Db): Driver | undefined {
  return drivers.get(db);
}

/** Which SQL the database speaks. */
export function dialect(db: Db): Dialect {
  return dialects.get(db) ?? 'sqlite';
}

/**
 * `FOR UPDATE SKIP LOCKED` on PostgreSQL, so concurrent claimants take different rows; nothing on
 * SQLite, where a write transaction already excludes every other writer.
 */
export function skipLocked(db: Db): Prisma.Sql {
  return dialect(db) === 'postgresql' ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty;
}

/**
 * `"id"` among the ids a claim's sub-select picks, evaluated once. On PostgreSQL `"id" IN (SELECT …
 * LIMIT n FOR UPDATE SKIP LOCKED)` may be planned as a semi-join that runs the sub-select again,
 * and with SKIP LOCKED each run can pick other rows (one claim took 340 rows with a limit of 15,
 * test/store/claims.test.ts); `= ANY(ARRAY(…))` runs it once. SQLite has no arrays and runs one
 * writer at a time, so `IN` is exact there.
 */
export function idIn(db: Db, ids: Prisma.Sql): Prisma.Sql {
  return dialect(db) === 'postgresql' ? Prisma.sql`"id" = ANY(ARRAY(${ids}))` : Prisma.sql`"id" IN (${ids})`;
}

/**
 * How long a transaction may wait to start, and to run. Prisma's defaults (2 s and 5 s) made a
 * burst of turns (a webhook backlog delivered at once) fail with P2028 while they queued for a
 * pooled connection: 2,953 of 3,000 first messages got the error apology with a pool of 2 on
 * PostgreSQL (test/core/burst.slow.test.ts). A turn that waits is answered late; one that fails is
 * answered with an apology and, unrecorded, answered again when redelivered.
 */
const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 15_000 } as const;

/**
 * A Prisma client on the configured database. The SQLite file's folder is created if missing.
 * @throws ConfigError for a database kind this build cannot open, or a SQLite path it cannot write.
 */
export function openDb(options: DbOptions): Db {
  if (options.url.startsWith('file:')) {
    const path = sqliteFilePath(options.url);
    if (path !== ':memory:') prepareSqliteFile(path);
    const adapter = new SafeSqliteAdapterFactory({
      url: `file:${path}`,
      path,
      busyTimeoutMs: options.busyTimeoutMs ?? 10_000,
      synchronous: options.synchronous ?? 'NORMAL',
    });
    const db = remember(new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS }), 'sqlite');
    // The connection is opened with the client's first query; the direct path opens it if needed.
    const connection = async () => {
      if (!adapter.adapter) await db.$connect();
      if (!adapter.adapter) throw new DeskError(ErrorCode.StoreInvariant, 'SQLite connection did not open');
      return adapter.adapter;
    };
    drivers.set(db, {
      kind: 'sqlite',
      write: async (work) => (await connection()).write(work),
      read: async (work) => (await connection()).read(work),
    });
    return db;
  }
  if (/^postgres(ql)?:\/\//i.test(options.url)) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      ...(options.synchronousCommit === 'off' ? { options: '-c synchronous_commit=off' } : {}),
    });
    const feeds = new Map<string, ChangeFeed>();
    const adapter = new ClosingPgFactory(pool, async () => {
      const open = [...feeds.values()];
      feeds.clear();
      await Promise.all(open.map((feed) => feed.close()));
    });
    const db = remember(new PostgresPrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS }) as unknown as Db, 'postgresql');
    // An idle client's error (a server restart) ends that client; the next query takes another.
    pool.on('error', () => undefined);
    // Through the client's connect, so its $disconnect ends the pool even if only this path ran.
    let connected: Promise<void> | undefined;
    drivers.set(db, {
      kind: 'postgresql',
      relaxedStateCommits: (options.synchronousCommit ?? 'records') === 'records',
      changes: (channel) => {
        let feed = feeds.get(channel);
        if (!feed) {
          feed = new ChangeFeed(options.url, channel, { log: options.log });
          feeds.set(channel, feed);
        }
        return feed;
      },
      query: async (config) => {
        connected ??= db.$connect();
        await connected;
        // Not `pool.query`: it closes the connection after any failed statement, and a turn's
        // statement fails by design now and then (a booking number drawn twice, a stale version),
        // so each cost a new connection (a server process, its start-up, the statements prepared
        // again): 28 in 100 conversations here. The server's refusal (DatabaseError) leaves the
        // connection ready for the next statement; any other failure retires it.
        const client = await pool.connect();
        let broken: Error | undefined;
        try {
          return await client.query(config);
        } catch (error) {
          if (!(error instanceof pg.DatabaseError)) broken = error instanceof Error ? error : new Error(String(error));
          throw error;
        } finally {
          client.release(broken);
        }
      },
    });
    return db;
  }
  throw new ConfigError('DATABASE_URL: use file:<path> for the embedded SQLite database or postgresql://… for PostgreSQL.');
}

/**
 * Prisma's PostgreSQL adapter, which ends the pool on `$disconnect` and then runs `onDispose`
 * (closing the connections that listen for notifications).
 */
class ClosingPgFactory extends PrismaPg {
  constructor(
    pool: pg.Pool,
    private readonly onDispose: () => Promise<void>,
  ) {
    super(pool, { disposeExternalPool: true });
  }

  override async connect(): ReturnType<PrismaPg['connect']> {
    const adapter = await super.connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await this.onDispose();
      await dispose();
    };
    return adapter;
  }
}

function remember(db: Db, kind: Dialect): Db {
  dialects.set(db, kind);
  return db;
}
