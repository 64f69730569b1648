/**
 * Prisma's better-sqlite3 adapter, made safe for several processes on one file.
 *
 * The upstream adapter (7.10, prisma/orm#29933, open) has three defects that lose acknowledged
 * writes once a second process holds the lock:
 *  1. it opens transactions with a deferred `BEGIN`, so the write lock is taken mid-transaction
 *     and can fail with SQLITE_BUSY where the busy timeout does not help;
 *  2. `commit()`/`rollback()` send no SQL, so after a failed `COMMIT` the shared connection stays
 *     inside the open transaction forever, and every later write joins it and is rolled back;
 *  3. `startTransaction()` leaks its mutex when `BEGIN` throws, hanging every later transaction;
 *  and statements outside a transaction are not held back while one is open on the shared
 *  connection, so they silently become part of it.
 *
 * This wrapper keeps the upstream adapter for type mapping and error conversion and fixes the
 * rest: `BEGIN IMMEDIATE` (the busy timeout applies to taking the lock), a gate that holds other
 * statements until the transaction ends, a `ROLLBACK` whenever a transaction ends still open, and
 * the gate always released. The connection runs in WAL mode with a busy timeout.
 */
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';
import { DeskError, ErrorCode } from '../lib/errors.ts';
import { BoundedCache } from '../lib/bounded-cache.ts';

/** How often WAL pages are copied back into the database file, off the commit path. */
const CHECKPOINT_EVERY_MS = 1000;
/** Safety valve: SQLite checkpoints by itself when the WAL grows past this many pages (~40 MB). */
const AUTO_CHECKPOINT_PAGES = 10_000;

interface SqliteOptions {
  /** `file:<path>` */
  url: string;
  /** How long a writer waits for another process's lock, in ms. */
  busyTimeoutMs: number;
  synchronous: 'NORMAL' | 'FULL';
}

const NO_ARGS = { args: [], argTypes: [] };
const STATEMENT_CACHE = 256;

type Statement = BetterSqlite3.Statement<unknown[]>;

/** A cached statement with its parameters, offering the calls the upstream adapter makes. */
class BoundStatement {
  constructor(
    private readonly stmt: Statement,
    private readonly args: unknown[],
  ) {}
  get reader(): boolean {
    return this.stmt.reader;
  }
  run() {
    return this.stmt.run(...this.args);
  }
  columns() {
    return this.stmt.columns();
  }
  raw() {
    return this;
  }
  all() {
    return this.stmt.raw(true).all(...this.args);
  }
}

/** A prepared statement reused for every execution of the same SQL text. */
class CachedStatement {
  constructor(private readonly stmt: Statement) {}
  get reader(): boolean {
    return this.stmt.reader;
  }
  run(...args: unknown[]) {
    return this.stmt.run(...args);
  }
  bind(args: unknown[]): BoundStatement {
    return new BoundStatement(this.stmt, args);
  }
}

/**
 * The upstream adapter prepares every statement anew (`prepare(sql).bind(args)`), which costs
 * more than running it. This keeps prepared statements per SQL text and hands the adapter a
 * bind-once view of a cached statement, so the same query is compiled by SQLite once.
 */
function cachePreparedStatements(db: BetterSqlite3.Database): void {
  const prepare = db.prepare.bind(db);
  const cache = new BoundedCache<string, CachedStatement>(STATEMENT_CACHE);
  const patched = (sql: string): CachedStatement => {
    // peek: a hit costs one Map lookup; statements leave in the order they were first prepared.
    let cached = cache.peek(sql);
    if (!cached) {
      cached = new CachedStatement(prepare(sql) as Statement);
      cache.set(sql, cached);
    }
    return cached;
  };
  (db as unknown as { prepare: typeof patched }).prepare = patched;
}

class SafeSqliteAdapter implements SqlDriverAdapter {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  #inner: SqlDriverAdapter;
  #db: BetterSqlite3.Database;
  /** Resolves when the open transaction ends; null when none is open. */
  #gate: Promise<void> | null = null;

  constructor(inner: SqlDriverAdapter) {
    this.#inner = inner;
    this.adapterName = inner.adapterName;
    // The upstream adapter keeps its better-sqlite3 handle on a public field.
    this.#db = (inner as unknown as { client: BetterSqlite3.Database }).client;
    cachePreparedStatements(this.#db);
  }

  // Every wait below is `while (gate) await gate` followed, in the same microtask, by the
  // statement or by taking the gate: any extra `await` in between would let another caller start
  // a transaction first ("cannot start a transaction within a transaction", or a statement
  // silently joining someone else's transaction). The inner adapter runs its statement
  // synchronously when called, before its first await.

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    while (this.#gate) await this.#gate;
    return this.#inner.queryRaw(query);
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    while (this.#gate) await this.#gate;
    return this.#inner.executeRaw(query);
  }

  async executeScript(script: string): Promise<void> {
    while (this.#gate) await this.#gate;
    return this.#inner.executeScript(script);
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== 'SERIALIZABLE') {
      // SQLite transactions are serializable; anything else is a programming error.
      throw new DeskError(ErrorCode.InvalidArgument, `SQLite supports only SERIALIZABLE transactions, not ${isolationLevel}`);
    }
    while (this.#gate) await this.#gate;
    let open!: () => void;
    this.#gate = new Promise<void>((resolve) => (open = resolve));
    const end = () => {
      if (this.#db.inTransaction) {
        try {
          this.#db.exec('ROLLBACK');
        } catch {
          // Nothing left to undo: SQLite already rolled back.
        }
      }
      this.#gate = null;
      open();
    };
    try {
      await this.#inner.executeRaw({ sql: 'BEGIN IMMEDIATE', ...NO_ARGS }); // runs synchronously inside
    } catch (error) {
      end();
      throw error;
    }
    const inner = this.#inner;
    return {
      provider: this.provider,
      adapterName: this.adapterName,
      // The client sends COMMIT and ROLLBACK itself as queries.
      options: { usePhantomQuery: false },
      queryRaw: (query) => inner.queryRaw(query),
      executeRaw: (query) => inner.executeRaw(query),
      // Called after the client's COMMIT succeeded; if it did not, the transaction is still open
      // and must not swallow later statements.
      commit: async () => end(),
      rollback: async () => end(),
    };
  }

  getConnectionInfo() {
    return this.#inner.getConnectionInfo?.() ?? { supportsRelationJoins: false };
  }

  /**
   * Copies committed WAL pages into the database file. Run from a timer rather than by SQLite
   * after the commit that crosses its threshold, so no customer's turn pays for it, and pages
   * written many times in a second are copied once. PASSIVE never waits for other processes.
   */
  async checkpoint(): Promise<void> {
    await this.executeScript('PRAGMA wal_checkpoint(PASSIVE)');
  }

  async dispose(): Promise<void> {
    while (this.#gate) await this.#gate;
    return this.#inner.dispose();
  }
}

/**
 * A Prisma driver-adapter factory for a SQLite file shared by several processes: WAL mode, busy
 * timeout, and the transaction fixes described above.
 */
export class SafeSqliteAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider = 'sqlite' as const;
  readonly adapterName = '@prisma/adapter-better-sqlite3';
  #options: SqliteOptions;

  constructor(options: SqliteOptions) {
    this.#options = options;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const factory = new PrismaBetterSqlite3({ url: this.#options.url, timeout: this.#options.busyTimeoutMs });
    const inner = await factory.connect();
    const adapter = new SafeSqliteAdapter(inner);
    await adapter.executeScript(
      [
        'PRAGMA journal_mode = WAL',
        `PRAGMA synchronous = ${this.#options.synchronous}`,
        `PRAGMA busy_timeout = ${Math.trunc(this.#options.busyTimeoutMs)}`,
        `PRAGMA wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`,
        'PRAGMA foreign_keys = ON',
      ].join(';\n'),
    );
    const timer = setInterval(() => {
      adapter.checkpoint().catch(() => {
        // Busy or closing: the next tick or SQLite's own threshold will do it.
      });
    }, CHECKPOINT_EVERY_MS);
    timer.unref();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      clearInterval(timer);
      await dispose();
    };
    return adapter;
  }
}
