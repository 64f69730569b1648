/**
 * How many turns one conversation may take: at most `perMinute` in any rolling minute of the
 * injected clock (a sliding-window log per conversation key). Over budget a turn does no work; the
 * first refused turn of a window gets one "please wait", later ones nothing, so a flood of
 * messages or forged button presses neither monopolises the core nor makes the bot flood back.
 * Memory is bounded: at most `perMinute` stamps for each of the `keys` most recent conversations.
 */
import { BoundedCache } from '../lib/bounded-cache.ts';

const WINDOW_MS = 60_000;

type BudgetVerdict = 'go' | 'wait' | 'silent';

interface Usage {
  /** Start times (ms) of the turns taken in the window, oldest first. */
  stamps: number[];
  /** When the last "please wait" was said. */
  warnedAt?: number;
}

export class TurnBudget {
  readonly #perMinute: number;
  readonly #usage: BoundedCache<string, Usage>;

  constructor(perMinute: number, keys = 10_000) {
    this.#perMinute = perMinute;
    this.#usage = new BoundedCache(keys);
  }

  /** Takes one turn of `key`'s budget at `now`: 'go', or 'wait' (say so once) or 'silent'. */
  take(key: string, now: Date): BudgetVerdict {
    const at = now.getTime();
    const usage = this.#usage.get(key) ?? { stamps: [] };
    this.#usage.set(key, usage);
    while (usage.stamps.length > 0 && (usage.stamps[0] ?? 0) <= at - WINDOW_MS) usage.stamps.shift();
    if (usage.stamps.length < this.#perMinute) {
      usage.stamps.push(at);
      return 'go';
    }
    if (usage.warnedAt !== undefined && usage.warnedAt > at - WINDOW_MS) return 'silent';
    usage.warnedAt = at;
    return 'wait';
  }
}
