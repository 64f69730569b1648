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
import type { Logger } from '../lib/log.ts';

/** The first pause before reconnecting, doubled after each failure up to the last. */
const RECONNECT_MS = { first: 100, last: 30_000 } as const;

/** How long the feed's own notification may take to come back before the operator is told. */
const PROBE_WAIT_MS = 10_000;

export class ChangeFeed {
  /** Moves whenever what was read before may have changed. */
  generation = 0;
  /** Whether notifications are arriving (LISTEN is in place on an open connection). */
  live = false;
  #client: pg.Client | undefined;
  #retry: NodeJS.Timeout | undefined;
  #pause: number = RECONNECT_MS.first;
  #closed = false;

  readonly #log: Logger | undefined;
  readonly #probeWaitMs: number;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    options: { log?: Logger; probeWaitMs?: number } = {},
  ) {
    this.#log = options.log;
    this.#probeWaitMs = options.probeWaitMs ?? PROBE_WAIT_MS;
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
    let probeWait: NodeJS.Timeout | undefined;
    const lost = (error?: unknown) => {
      if (this.#client !== client) return;
      clearTimeout(probeWait);
      if (this.live) this.#log?.warn({ channel: this.channel, err: error }, 'database notifications lost: reading the database on every look-up until they are back');
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
        clearTimeout(probeWait);
        this.live = true;
        this.#pause = RECONNECT_MS.first;
        this.#log?.debug({ channel: this.channel }, 'database notifications arriving');
      }
    });
    client
      .connect()
      .then(() => client.query(`LISTEN "${this.channel}"`))
      .then(() => client.query('SELECT pg_notify($1, $2)', [this.channel, probe]))
      .then(() => {
        probeWait = setTimeout(() => {
          if (this.#client === client && !this.live) {
            this.#log?.warn(
              { channel: this.channel },
              'database notifications do not arrive on this connection (a transaction-pooling proxy between the bot and PostgreSQL?): reading the database on every look-up',
            );
          }
        }, this.#probeWaitMs);
        probeWait.unref();
      })
      .catch(lost);
  }
}
