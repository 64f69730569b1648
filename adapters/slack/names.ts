/**
 * People's names as Slack shows them: users.info's `profile.display_name`, else
 * `profile.real_name`, else the user's `real_name`, never the handle while Slack can tell us more.
 * Looked up once per person and kept in a bounded cache for a while (a renamed person is seen
 * anew after the TTL); lookups of one person at the same time share one call. A failed lookup is
 * logged at warn and answers undefined (the caller keeps what the event itself carries: the
 * message's `user_profile` or the action's handle), and is remembered for a minute so a broken
 * scope or a rate limit does not cost a call on every message.
 */
import type { webApi } from '@slack/bolt';
import { BoundedCache } from '../../src/lib/bounded-cache.ts';
import type { Logger } from '../../src/lib/log.ts';
import { describeSlackError } from './errors.ts';

interface NameEntry {
  name: Promise<string | undefined>;
  expiresAt: number;
}

interface SlackNamesOptions {
  /** How long a looked-up name is kept (ms). */
  ttlMs: number;
  /** How long a failed lookup is remembered (ms). */
  failureTtlMs?: number;
  /** People kept at most. */
  limit?: number;
  now: () => number;
  log: Logger;
}

/** users.info's answer, the fields read here. */
interface UsersInfoUser {
  name?: string;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
}

export class SlackNames {
  readonly #client: webApi.WebClient;
  readonly #cache: BoundedCache<string, NameEntry>;
  readonly #opts: SlackNamesOptions;

  constructor(client: webApi.WebClient, opts: SlackNamesOptions) {
    this.#client = client;
    this.#opts = opts;
    this.#cache = new BoundedCache(opts.limit ?? 5_000);
  }

  /** The name to call `userId` by, or undefined when Slack cannot tell (see the module comment). */
  nameOf(userId: string): Promise<string | undefined> {
    const now = this.#opts.now();
    const cached = this.#cache.get(userId);
    if (cached && cached.expiresAt > now) return cached.name;
    const entry: NameEntry = { name: Promise.resolve(undefined), expiresAt: now + this.#opts.ttlMs };
    entry.name = this.#lookUp(userId).catch((error: unknown) => {
      entry.expiresAt = now + (this.#opts.failureTtlMs ?? 60_000);
      this.#opts.log.warn({ userId, error: describeSlackError(error) }, 'slack users.info failed; using the name the event carries');
      return undefined;
    });
    this.#cache.set(userId, entry);
    return entry.name;
  }

  async #lookUp(userId: string): Promise<string | undefined> {
    const result = await this.#client.users.info({ user: userId });
    const user = result.user as UsersInfoUser | undefined;
    const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || undefined;
    return name?.slice(0, 256);
  }
}
