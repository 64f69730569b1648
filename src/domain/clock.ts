/**
 * The one clock every rule reads. Production uses the system clock; tests and the console's
 * `--now` use a fixed or manually advanced one, so "three days later" runs in milliseconds.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at `start` and only moves when told to. */
export class ManualClock implements Clock {
  #ms: number;
  constructor(start: Date | string) {
    this.#ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  set(to: Date | string): void {
    this.#ms = new Date(to).getTime();
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}

/**
 * A clock that starts at `start` and runs at real speed from there (the console's `--now`), so
 * the times recorded in one scripted run stay ordered.
 */
export function offsetClock(start: Date | string): Clock {
  const offset = new Date(start).getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}
