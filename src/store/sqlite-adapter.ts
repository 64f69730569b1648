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
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { DeskError, ErrorCode } from '../lib/errors.ts';
import { BoundedCache } from '../lib/bounded-cache.ts';

/** How often WAL pages are copied back into the database file, off the main thread. */
const CHECKPOINT_EVERY_MS = 1000;
const require = createRequire(import.meta.url);

/** Safety valve: SQLite checkpoints by itself when the WAL grows past this many pages (~40 MB). */
const AUTO_CHECKPOINT_PAGES = 10_000;

interface SqliteOptions {
  /** `file:<path>` */
  url: string;
  /** The file's path (`:memory:` for none). */
  path: string;
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
function cachePreparedStatements(db: BetterSqlite3.Database, prepare: (sql: string) => Statement): void {
  const cache = new BoundedCache<string, CachedStatement>(STATEMENT_CACHE);
  const patched = (sql: string): CachedStatement => {
    // peek: a hit costs one Map lookup; statements leave in the order they were first prepared.
    let cached = cache.peek(sql);
    if (!cached) {
      cached = new CachedStatement(prepare(sql));
      cache.set(sql, cached);
    }
    return cached;
  };
  (db as unknown as { prepare: typeof patched }).prepare = patched;
}

/** SQLite's spelling of an instant, as the Prisma adapter writes it (ISO 8601, `+00:00`). */
function sqliteValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString().replace('Z', '+00:00') : value;
}

/** Prepared statements run straight on the connection (see `SafeSqliteAdapter.write`). */
export interface SqliteStatements {
  /** Runs a writing statement; `changes` is the number of rows it changed. */
  run(sql: string, ...params: unknown[]): { changes: number };
  /** The first row of a query (or of a statement with RETURNING), column names as keys. */
  get<T>(sql: string, ...params: unknown[]): T | undefined;
}

class SafeSqliteAdapter implements SqlDriverAdapter {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  #inner: SqlDriverAdapter;
  #db: BetterSqlite3.Database;
  /** Resolves when the open transaction ends; null when none is open. */
  #gate: Promise<void> | null = null;
  /** Statements of the direct path (`write`, `read`), prepared once per SQL text. */
  readonly #direct = new BoundedCache<string, Statement>(STATEMENT_CACHE);
  readonly #statements: SqliteStatements;
  readonly #prepare: (sql: string) => Statement;

  constructor(inner: SqlDriverAdapter) {
    this.#inner = inner;
    this.adapterName = inner.adapterName;
    // The upstream adapter keeps its better-sqlite3 handle on a public field.
    this.#db = (inner as unknown as { client: BetterSqlite3.Database }).client;
    const db = this.#db;
    this.#prepare = db.prepare.bind(db) as (sql: string) => Statement;
    cachePreparedStatements(db, this.#prepare);
    const statement = (sql: string): Statement => {
      let stmt = this.#direct.peek(sql);
      if (!stmt) {
        stmt = this.#prepare(sql);
        this.#direct.set(sql, stmt);
      }
      return stmt;
    };
    this.#statements = {
      run: (sql, ...params) => statement(sql).run(...params.map(sqliteValue)),
      get: <T>(sql: string, ...params: unknown[]) => statement(sql).get(...params.map(sqliteValue)) as T | undefined,
    };
  }

  /**
   * Runs `work` as one write transaction (`BEGIN IMMEDIATE` … `COMMIT`) of prepared statements
   * straight on the connection, after any transaction in progress, without Prisma's query
   * compiler: the turn's hot path (src/store/conversations.ts). `work` is synchronous, so nothing
   * else can join the transaction; if it throws, everything it wrote is rolled back and the error
   * is rethrown.
   */
  async write<T>(work: (sql: SqliteStatements) => T): Promise<T> {
    while (this.#gate) await this.#gate;
    const db = this.#db;
    this.#statements.run('BEGIN IMMEDIATE');
    try {
      const result = work(this.#statements);
      this.#statements.run('COMMIT');
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Runs `work` (reads) straight on the connection, after any transaction in progress. */
  async read<T>(work: (sql: SqliteStatements) => T): Promise<T> {
    while (this.#gate) await this.#gate;
    return work(this.#statements);
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

  async dispose(): Promise<void> {
    while (this.#gate) await this.#gate;
    return this.#inner.dispose();
  }
}

/**
 * A Prisma driver-adapter factory for a SQLite file shared by several processes: WAL mode, busy
 * timeout, and the transaction fixes described above.
 */
/**
 * Copies committed WAL pages into the database file every second, from a worker thread on a
 * second connection, so no turn on the main thread waits for it (a checkpoint writes and syncs
 * the file: 1–20 ms, which showed up as the p99 turn when it ran on the main thread), and pages
 * written many times in a second are copied once. PASSIVE never waits for writers, and in WAL
 * mode writers go on while it runs. No checkpointer for an in-memory database.
 */
function startCheckpointer(path: string, busyTimeoutMs: number): { stop(): Promise<void> } {
  if (path === ':memory:' || path === '') return { stop: async () => undefined };
  const worker = new Worker(CHECKPOINTER_SOURCE, {
    eval: true,
    workerData: { path, busyTimeoutMs, everyMs: CHECKPOINT_EVERY_MS, betterSqlite3: require.resolve('better-sqlite3') },
  });
  worker.unref();
  // A checkpoint that fails (the file went away) is retried next second; the worker never throws.
  worker.on('error', () => undefined);
  return {
    stop: async () => {
      await worker.terminate();
    },
  };
}

/** The checkpointer's code: a CommonJS worker, so it needs no loader for TypeScript. */
const CHECKPOINTER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
let checkpoint;
setInterval(() => {
  try {
    checkpoint ??= new Database(workerData.path, { timeout: workerData.busyTimeoutMs }).prepare('PRAGMA wal_checkpoint(PASSIVE)');
    checkpoint.run();
  } catch {
    // Busy, closing, or the file is gone: the next tick, or SQLite's own threshold, does it.
  }
}, workerData.everyMs);
`;

export class SafeSqliteAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider = 'sqlite' as const;
  readonly adapterName = '@prisma/adapter-better-sqlite3';
  #options: SqliteOptions;
  /** The adapter of the latest connection, for the store's direct path (`write`, `read`). */
  adapter: SafeSqliteAdapter | undefined;

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
    const checkpointer = startCheckpointer(this.#options.path, this.#options.busyTimeoutMs);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await checkpointer.stop();
      await dispose();
    };
    this.adapter = adapter;
    return adapter;
  }
}
