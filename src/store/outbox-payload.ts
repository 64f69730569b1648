/**
 * Writing a message into the outbox, and the payload encoding the dispatcher reads back.
 *
 * `enqueue` returns an unstarted Prisma statement so it goes into the SAME `db.$transaction([...])`
 * batch as the change that causes it (a complaint escalated, a booking completed): both commit or
 * neither does, and a crash after the commit loses nothing (ARCHITECTURE.md, "Delivery you can
 * trust").
 */
import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.ts';
import type { Outbound } from '../contracts/messages.ts';
import type { Db } from './db.ts';
import type { OutboxMessage } from '../contracts/outbox.ts';

/** The marker that stands for binary data in the JSON payload: `{ "$bytes": "<base64>" }`. */
const BYTES = '$bytes';

/**
 * Adds `msg` to the outbox unless a row with its `dedupeKey` exists. One raw statement (works on
 * SQLite and PostgreSQL) resolving to the rows inserted: 1, or 0 for a repeated decision.
 * Put it in the batch of the change that causes it:
 * `await db.$transaction([db.complaint.update(...), enqueue(db, msg, now)])`.
 * @throws Error at once (before any statement runs) for an empty chat id, kind or dedupe key.
 */
export function enqueue(db: Db, msg: OutboxMessage, now: Date): Prisma.PrismaPromise<number> {
  if (!msg.chatId || !msg.kind || !msg.dedupeKey) throw new Error('outbox message needs a chatId, a kind and a dedupeKey');
  const payload = encodePayload(msg.message);
  const due = msg.notBefore ?? now;
  return db.$executeRaw`
    INSERT INTO "Outbox" ("channel", "chatId", "payload", "kind", "dedupeKey", "status", "attempts", "nextAttemptAt", "createdAt")
    VALUES (${msg.channel}, ${msg.chatId}, ${payload}, ${msg.kind}, ${msg.dedupeKey}, 'pending', 0, ${due}, ${now})
    ON CONFLICT ("dedupeKey") DO NOTHING`;
}

/** JSON of an `Outbound`, with every `Uint8Array` (a file's data) written as base64 under a marker. */
export function encodePayload(message: Outbound): string {
  return JSON.stringify(message, function (this: Record<string, unknown>, key, value: unknown) {
    // Read the holder's own value: Buffer's toJSON has already turned `value` into { type, data }.
    const raw = this[key];
    if (raw instanceof Uint8Array) return { [BYTES]: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
    return value;
  });
}

const bytesSchema = z.instanceof(Uint8Array);

/** The stored payload, checked when read back (a JSON column is untrusted at the boundary). */
const outboundSchema = z.object({
  text: z.string(),
  buttons: z.array(z.array(z.object({ label: z.string(), action: z.string() }))).optional(),
  file: z.object({ name: z.string(), mime: z.string(), data: bytesSchema }).optional(),
});

/**
 * The `Outbound` that `encodePayload` wrote, with file data as a plain `Uint8Array` again.
 * @throws Error naming the problem when the payload is not JSON or not an Outbound; the
 *   dispatcher marks such a row dead, as no retry can fix it.
 */
export function decodePayload(payload: string): Outbound {
  const value: unknown = JSON.parse(payload, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const encoded = (v as Record<string, unknown>)[BYTES];
      if (keys.length === 1 && typeof encoded === 'string') return new Uint8Array(Buffer.from(encoded, 'base64'));
    }
    return v;
  });
  const parsed = outboundSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`outbox payload is not an Outbound: ${issues.join('; ')}`);
  }
  const { text, buttons, file } = parsed.data;
  return { text, ...(buttons ? { buttons } : {}), ...(file ? { file } : {}) };
}
