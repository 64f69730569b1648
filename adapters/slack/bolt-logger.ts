/**
 * Bolt's and the Web API client's log lines, into the product's pino logger. Their debug output
 * holds whole request and event bodies (customers' messages, phone numbers, addresses), so debug
 * lines are dropped here whatever the level; info, warn and error lines pass through.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/lib/log.ts';

/** Joins Bolt's variadic log arguments into one line; errors contribute their message. */
function line(parts: unknown[]): string {
  return parts
    .map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : safeJson(p)))
    .join(' ');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A Bolt `Logger` that writes to `log` (as a child with `component: slack`). */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack' });
  let level: LogLevel = LogLevel.INFO;
  let name = 'bolt';
  return {
    debug: () => {},
    info: (...msg: unknown[]) => child.info({ source: name }, line(msg)),
    warn: (...msg: unknown[]) => child.warn({ source: name }, line(msg)),
    error: (...msg: unknown[]) => child.error({ source: name }, line(msg)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next: string) => {
      name = next;
    },
  };
}
