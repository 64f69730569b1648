/**
 * Time zones for luxon with memoized offsets. Luxon asks `Intl` for a zone's offset on every
 * conversion (about 15 µs each), and a turn converts dozens of times; offsets only change on
 * transitions, which fall on whole quarter hours, so one lookup per zone and quarter hour is exact.
 */
import { IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';

const QUARTER_HOUR = 15 * 60 * 1000;
const MAX_ENTRIES = 50_000;

class MemoZone extends Zone {
  readonly #inner: IANAZone;
  readonly #offsets = new Map<number, number>();

  constructor(inner: IANAZone) {
    super();
    this.#inner = inner;
  }
  override get type(): string {
    return this.#inner.type;
  }
  override get name(): string {
    return this.#inner.name;
  }
  override get isUniversal(): boolean {
    return false;
  }
  override get isValid(): boolean {
    return this.#inner.isValid;
  }
  override offsetName(ts: number, options: ZoneOffsetOptions): string | null {
    return this.#inner.offsetName(ts, options);
  }
  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.#inner.formatOffset(ts, format);
  }
  override offset(ts: number): number {
    const key = Math.floor(ts / QUARTER_HOUR);
    let offset = this.#offsets.get(key);
    if (offset === undefined) {
      offset = this.#inner.offset(ts);
      if (this.#offsets.size >= MAX_ENTRIES) this.#offsets.clear();
      this.#offsets.set(key, offset);
    }
    return offset;
  }
  override equals(other: Zone): boolean {
    return other.type === this.type && other.name === this.name;
  }
}

/** The company zone where none is given (ARCHITECTURE.md "Time": default Asia/Shanghai). */
export const DEFAULT_ZONE = 'Asia/Shanghai';

const zones = new Map<string, Zone>();

/** The memoized zone for an IANA name (or the zone itself when given one). */
export function tz(zone: string | Zone): Zone {
  if (typeof zone !== 'string') return zone;
  let found = zones.get(zone);
  if (!found) {
    found = new MemoZone(IANAZone.create(zone));
    zones.set(zone, found);
  }
  return found;
}

const HOUR = 60 * 60 * 1000;

/**
 * The UTC offsets a zone has between `from` and `to`, each with the instant it starts (the first
 * at `from`), in milliseconds: one entry for a zone without transitions in the span. For SQL that
 * needs company wall-clock time (the report's calendar-day deadlines). Transitions fall on whole
 * quarter hours, so hours are scanned and a change is placed to the quarter hour.
 */
export function offsetsBetween(zone: string, from: Date, to: Date): { from: Date; offsetMs: number }[] {
  const memo = tz(zone);
  const offsetAt = (ms: number) => memo.offset(ms) * 60_000;
  const start = Math.floor(from.getTime() / QUARTER_HOUR) * QUARTER_HOUR;
  const out = [{ from: new Date(start), offsetMs: offsetAt(start) }];
  for (let t = start; t < to.getTime(); t += HOUR) {
    const current = out.at(-1)!.offsetMs;
    if (offsetAt(t + HOUR) === current) continue;
    let change = t + QUARTER_HOUR;
    while (offsetAt(change) === current) change += QUARTER_HOUR;
    out.push({ from: new Date(change), offsetMs: offsetAt(change) });
  }
  return out;
}
