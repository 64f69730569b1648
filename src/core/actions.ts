/**
 * Button payloads. They come back from platforms untrusted (a client can send any string), so
 * they are parsed, never evaluated: an unknown or tampered payload parses to `undefined`.
 * Payloads stay short (Telegram allows 64 bytes of callback data).
 */
import { z } from 'zod';

const bookingId = z.coerce.number().int().positive().max(2_147_483_647);
const stamp = z.string().regex(/^\d{12}$/); // yyyyMMddHHmm in the company zone
const day = z.string().regex(/^\d{8}$/); // yyyyMMdd
const complaintNumber = z.string().regex(/^TS\d{10}$/);
const handoverNumber = z.string().regex(/^RG\d{10}$/);

export const actionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('menu'), item: z.enum(['home', 'book', 'price', 'bookings', 'cancel', 'reschedule', 'complain', 'human']) }),
  z.object({ kind: z.literal('svc'), code: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/) }),
  z.object({ kind: z.literal('info'), code: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/) }),
  z.object({ kind: z.literal('slot'), at: stamp }),
  z.object({ kind: z.literal('day'), date: day }),
  z.object({ kind: z.literal('days') }),
  z.object({ kind: z.literal('addr') }),
  z.object({ kind: z.literal('contact') }),
  z.object({ kind: z.literal('sal'), value: z.enum(['m', 'f']) }),
  z.object({ kind: z.literal('freq'), value: z.string().regex(/^(once|weekly:[1-7]|biweekly|monthly)$/) }),
  z.object({ kind: z.literal('yes') }),
  z.object({ kind: z.literal('no') }),
  z.object({ kind: z.literal('edit'), field: z.enum(['service', 'time', 'address', 'name', 'phone', 'frequency']) }),
  z.object({ kind: z.literal('cancel'), id: bookingId }),
  z.object({ kind: z.literal('move'), id: bookingId }),
  // Complaint intake
  z.object({ kind: z.literal('cbk'), id: z.coerce.number().int().nonnegative().max(2_147_483_647) }),
  z.object({ kind: z.literal('loss'), value: z.enum(['y', 'n', 'u']) }),
  z.object({ kind: z.literal('prior'), value: z.enum(['0', '1', '2']) }),
  // Staff actions on an escalation post
  z.object({ kind: z.literal('claim'), number: complaintNumber }),
  z.object({ kind: z.literal('resolve'), number: complaintNumber }),
  z.object({ kind: z.literal('invalid'), number: complaintNumber }),
  z.object({ kind: z.literal('regrade'), number: complaintNumber }),
  z.object({ kind: z.literal('grade'), value: z.enum(['major', 'important', 'minor']) }),
  // The customer's callback after resolution
  z.object({ kind: z.literal('solved'), number: complaintNumber }),
  z.object({ kind: z.literal('unsolved'), number: complaintNumber }),
  z.object({ kind: z.literal('sat'), number: complaintNumber }),
  z.object({ kind: z.literal('unsat'), number: complaintNumber }),
  // A handover to a person: claim it (staff), end it (staff or the customer)
  z.object({ kind: z.literal('hclaim'), number: handoverNumber }),
  z.object({ kind: z.literal('hend'), number: handoverNumber }),
  // Completion and the callback survey (DOMAIN §3)
  z.object({ kind: z.literal('done'), id: bookingId }),
  /** The customer confirms (vok) or disputes (vno) a completed visit: `<booking id>.<visit>`. */
  z.object({ kind: z.literal('vok'), ref: z.string().regex(/^\d{1,10}\.\d{1,4}$/) }),
  z.object({ kind: z.literal('vno'), ref: z.string().regex(/^\d{1,10}\.\d{1,4}$/) }),
  /** A survey answer: `<survey id>:<field><value>`, field i|o|q|t|c. */
  z.object({ kind: z.literal('sv'), answer: z.string().regex(/^\d{1,10}:(i[yn]|o[sad]|q[sbd]|t[tal]|cs|ph)$/) }),
  /** A work order button (DOMAIN §1): `<op>.<booking number>[.<argument>]` (a staff id, minutes). */
  z.object({ kind: z.literal('wo'), ref: z.string().regex(/^(assign|take|to|ok|no|late|lt|here|done|diff|keep|fy|fn)\.JZ\d{10}(\.\d{1,10})?$/) }),
]);
export type Action = z.infer<typeof actionSchema>;

const FIELDS: Record<string, string | undefined> = {
  menu: 'item',
  svc: 'code',
  info: 'code',
  slot: 'at',
  day: 'date',
  sal: 'value',
  freq: 'value',
  edit: 'field',
  cancel: 'id',
  move: 'id',
  cbk: 'id',
  loss: 'value',
  prior: 'value',
  claim: 'number',
  resolve: 'number',
  invalid: 'number',
  regrade: 'number',
  grade: 'value',
  solved: 'number',
  unsolved: 'number',
  sat: 'number',
  unsat: 'number',
  hclaim: 'number',
  hend: 'number',
  done: 'id',
  vok: 'ref',
  vno: 'ref',
  sv: 'answer',
  wo: 'ref',
};

/** `svc:daily_cleaning` -> { kind: 'svc', code: 'daily_cleaning' }; garbage -> undefined. */
export function parseAction(raw: string): Action | undefined {
  const at = raw.indexOf(':');
  const kind = at < 0 ? raw : raw.slice(0, at);
  // The payload is the sender's text: own keys only ("constructor", "__proto__" are garbage).
  const field = Object.hasOwn(FIELDS, kind) ? FIELDS[kind] : undefined;
  const candidate = field ? { kind, [field]: at < 0 ? undefined : raw.slice(at + 1) } : { kind };
  if (!field && at >= 0) return undefined;
  const parsed = actionSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

/** The payload string for an action; the inverse of `parseAction`. */
export function encodeAction(action: Action): string {
  const field = FIELDS[action.kind];
  return field ? `${action.kind}:${String((action as Record<string, unknown>)[field])}` : action.kind;
}
