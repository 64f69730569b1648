/**
 * What a flow gets for one turn and what it gives back. Flows are async only for reads; every write
 * is pushed to `effects` and committed by the engine together with the new state.
 */
import { DateTime } from 'luxon';
import { messages, type Locale, type Messages } from '../i18n/index.ts';
import type { Intent, Understanding } from '../domain/nlu/index.ts';
import type { Action } from './actions.ts';
import type { ComplaintSettings } from '../domain/complaints/settings.ts';
import type { SurveyPolicy } from '../domain/survey/timing.ts';
import type { HandoverPolicy } from '../domain/handover/rules.ts';
import type { WorkOrderPolicy } from '../domain/workorder/rules.ts';
import type { CustomerProfile, Effect } from '../contracts/records.ts';
import type { State } from '../contracts/state.ts';
import type { Button, Channel, Media, Outbound } from '../contracts/messages.ts';
import { tz } from '../domain/zone.ts';
import type { Company, Service } from '../contracts/company.ts';
import type { Logger } from '../lib/log.ts';
import type { CoreStore } from './ports.ts';

/** What the person sent, already understood. Exactly one of `text` and `action` is meaningful. */
export interface TurnInput {
  text?: string;
  /** What `text` was understood to say. */
  understanding?: Understanding;
  action?: Action;
}

/** What the optional large-model fallback read in a message the classifier was unsure of (issue #12). */
export interface FallbackReading {
  intent: Intent;
  /** The service named, in the customer's words. */
  service?: string;
  /** The words that say when ("明天下午三点"). */
  timeWords?: string;
}

/** Asks the large model about one unsure message; undefined on a timeout, an error or no answer. */
export type UnderstandFallback = (text: string) => Promise<FallbackReading | undefined>;

export interface Turn {
  now: Date;
  company: Company;
  locale: Locale;
  m: Messages;
  /** The catalog staff posts are written in (the deployment's default language). */
  staffM: Messages;
  customer: CustomerProfile;
  /**
   * Who wrote and where, as the platform says; `replyTo` is the platform's id of the message this
   * one answers (a Telegram reply, a Slack thread), when it answers one; `quoted` the text of the
   * message it quotes where quotes come as text (WeChat).
   */
  from: { channel: Channel; chatId: string; userId: string; displayName?: string; chatType: 'private' | 'group'; replyTo?: string; quoted?: string };
  /** The photo or file sent with the message, by its platform's reference (`from.channel`'s). */
  media?: Media;
  complaints: ComplaintSettings;
  survey: SurveyPolicy;
  handover: HandoverPolicy;
  /** The customer's last lines in this conversation, this one included (kept in memory): a handover post shows them. */
  recent: readonly string[];
  /** Reminder time, reconfirmation window and lateness threshold of work orders. */
  workOrders: WorkOrderPolicy;
  store: Omit<CoreStore, 'conversation' | 'commitTurn'>;
  /** The process logger (security events such as `/join` refusals are logged at warn). */
  log: Logger;
  /** `channel:messageId`, unique per inbound message; makes a confirmation idempotent. */
  messageKey: string;
  /** The large-model fallback for unsure messages, when configured (`NLU_LLM_*`). */
  understandFallback?: UnderstandFallback;
  effects: Effect[];
}

export interface StepResult {
  state: State;
  replies: Outbound[];
}

export function makeTurn(opts: Omit<Turn, 'm' | 'staffM' | 'effects'> & { staffLocale: Locale }): Turn {
  const { staffLocale, ...rest } = opts;
  return { ...rest, m: messages(opts.locale), staffM: messages(staffLocale), effects: [] };
}

/** Whether the text spoke of a date or time, even one that cannot be booked (2月30日). */
export function mentionsTime(input: TurnInput): boolean {
  return Boolean(input.understanding?.start || input.understanding?.when?.rejected);
}

/** The service's name in the turn's language. */
export function serviceLabel(turn: Turn, service: Service): string {
  return turn.locale === 'en' ? service.nameEn : service.name;
}

export function findService(turn: Turn, code: string | undefined): Service | undefined {
  return code === undefined ? undefined : turn.company.catalog.find((s) => s.code === code);
}

/** Buttons laid out `perRow` to a row. */
export function rows(buttons: Button[], perRow = 2): Button[][] {
  const out: Button[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) out.push(buttons.slice(i, i + perRow));
  return out;
}

/** yyyyMMddHHmm in the company zone, as used in slot payloads. */
export function slotStamp(turn: Turn, at: Date): string {
  return DateTime.fromJSDate(at, { zone: tz(turn.company.timeZone) }).toFormat('yyyyMMddHHmm');
}

export function fromSlotStamp(turn: Turn, stamp: string): Date | undefined {
  const d = DateTime.fromFormat(stamp, 'yyyyMMddHHmm', { zone: tz(turn.company.timeZone) });
  return d.isValid ? d.toJSDate() : undefined;
}

/** "张先生" / "Mr Zhang", or undefined when the name or salutation is unknown. */
export function addressAs(turn: Turn, p: { name?: string | null; salutation?: string | null }): string | undefined {
  return p.name && p.salutation ? turn.m.who({ name: p.name, salutation: p.salutation }) : undefined;
}
