/**
 * PostgreSQL notifications of changed tables, for what an instance keeps in memory (the staff
 * directory, staff.ts): a connection of its own LISTENs on a channel that a trigger notifies
 * (prisma/postgresql/migrations/*_staff_changed), and `generation` moves on every notification
 * and every reconnection, so a copy taken at one generation is current while the feed is `live`
 * and the generation has not moved. While the connection is down (the server restarting, the
 * network), and until a notification it sent itself has come back, the feed is not live and
 * readers go to the database; it reconnects with a growing pause.
 * A change committed by another instance reaches this one as fast as the server delivers its
 * notification (well under a millisecond here); one committed by this process is told at once
 * (`bump`) by the code that committed it.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The first pause before reconnecting, doubled after each failure up to the last. */
const RECONNECT_MS = { first: 100, last: 30_000 } as const;

export class ChangeFeed {
  /** Moves whenever what was read before may have changed. */
  generation = 0;
  /** Whether notifications are arriving (LISTEN is in place on an open connection). */
  live = false;
  #client: pg.Client | undefined;
  #retry: NodeJS.Timeout | undefined;
  #pause: number = RECONNECT_MS.first;
  #closed = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
  ) {
    this.#connect();
  }

  /** A change made by this process: what was read before it is stale now. */
  bump(): void {
    this.generation += 1;
  }

  /** Stops listening for good (the client's `$disconnect`). */
  async close(): Promise<void> {
    this.#closed = true;
    this.live = false;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  #connect(): void {
    const client = new pg.Client({ connectionString: this.url });
    this.#client = client;
    const lost = () => {
      if (this.#client !== client) return;
      this.#client = undefined;
      this.live = false;
      this.generation += 1;
      client.end().catch(() => undefined);
      if (this.#closed) return;
      this.#retry = setTimeout(() => this.#connect(), this.#pause);
      this.#retry.unref();
      this.#pause = Math.min(this.#pause * 2, RECONNECT_MS.last);
    };
    client.on('error', lost);
    client.on('end', lost);
    // Live once a notification of its own comes back: a path that passes LISTEN but loses
    // notifications (a transaction-pooling proxy such as PgBouncer's) never goes live.
    const probe = randomUUID();
    client.on('notification', (message) => {
      if (message.channel !== this.channel || this.#client !== client) return;
      // On (re)connecting too: changes made while nobody listened were not notified.
      this.generation += 1;
      if (message.payload === probe) {
        this.live = true;
        this.#pause = RECONNECT_MS.first;
      }
    });
    client
      .connect()
      .then(() => client.query(`LISTEN "${this.channel}"`))
      .then(() => client.query('SELECT pg_notify($1, $2)', [this.channel, probe]))
      .catch(lost);
  }
}
