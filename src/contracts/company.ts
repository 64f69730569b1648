/**
 * The company file's shape: everything that differs between housekeeping companies (name, agent
 * name, time zone, hours, catalog, holidays). `src/config/company.ts` reads and validates it.
 */
import { IANAZone } from 'luxon';
import { z } from 'zod';

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day written HH:mm, e.g. "08:00"');

/** A span of the day, [start, end). `end` earlier than `start` means it runs past midnight. */
export const timeSpanSchema = z.object({ start: hhmm, end: hhmm });
export type TimeSpan = z.infer<typeof timeSpanSchema>;

/** One service the company sells. Lead days and hours come from DOMAIN §1. */
export const serviceSchema = z.object({
  /** Stable identifier used in button payloads and the database. */
  code: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, 'must be lower-case letters, digits or _'),
  /** The Chinese name customers see, e.g. 日常保洁. */
  name: z.string().min(1),
  nameEn: z.string().min(1),
  /** Other words customers use for it (钟点工, 打扫卫生 ...). */
  synonyms: z.array(z.string().min(1)).default([]),
  /** Price in yuan, per `unit`. */
  price: z.number().positive(),
  unit: z.string().min(1),
  unitEn: z.string().min(1),
  includes: z.array(z.string().min(1)).min(1),
  includesEn: z.array(z.string().min(1)).min(1),
  /** Whole days between today and the visit's date, at least. */
  leadDays: z.number().int().min(0).max(60),
  /** How long one visit takes, so a visit ends inside service hours. */
  durationHours: z.number().positive().max(12),
});
export type Service = z.infer<typeof serviceSchema>;

/**
 * How long personal data is kept (DOMAIN §5, PIPL); every field optional, with the defaults of
 * `DEFAULT_RETENTION` (inbound message ids 90 days, an untouched conversation's state 1 year, a
 * customer's name, phone, address and texts 3 years after their last service).
 */
export const DEFAULT_RETENTION = { inboundMessageDays: 90, conversationStateDays: 365, customerDataYears: 3 } as const;

export const retentionSchema = z.object({
  /** Inbound message ids (kept to answer a redelivered message once): deleted after this many days. */
  inboundMessageDays: z.number().int().min(1).max(3650).default(DEFAULT_RETENTION.inboundMessageDays),
  /** A conversation untouched this long has its state (drafts, open questions) reset and its delivered messages deleted. */
  conversationStateDays: z.number().int().min(1).max(3650).default(DEFAULT_RETENTION.conversationStateDays),
  /**
   * Years after a customer's last service or contact after which their name, phone, address and
   * typed texts are erased; the anonymised bookings, complaints and surveys stay for the reports.
   */
  customerDataYears: z.number().int().min(1).max(30).default(DEFAULT_RETENTION.customerDataYears),
});

export type RetentionPolicy = z.infer<typeof retentionSchema>;

/**
 * A department (部门, seed 002: 物业部, 综合部 ...) and the services it handles: its staff take the
 * work orders of those services, and its room, when set, gets their work orders and complaints
 * instead of the front desk's; reports group by department.
 */
export const departmentSchema = z.object({
  /** Stable identifier staff name at `/join <code> <department>`. */
  code: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, 'must be lower-case letters, digits or _'),
  name: z.string().min(1),
  nameEn: z.string().min(1),
  /** Catalog codes of the services it handles; a service belongs to one department at most. */
  services: z.array(z.string().min(1)).min(1),
  /** Its staff room, `<channel>:<chat id>` (e.g. `telegram:-1001234567890`); unset: the front desk's room. */
  room: z
    .string()
    .regex(/^(console|telegram|slack|wechat):.+$/, 'must be <channel>:<chat id>, channel one of console, telegram, slack, wechat')
    .optional(),
});
export type Department = z.infer<typeof departmentSchema>;

/**
 * When the callback survey starts (DOMAIN §3): after the customer confirms the visit was completed,
 * or, with no answer within `confirmWaitHours` of the completion, as `unconfirmed` says: send the
 * survey anyway (`survey`) or hand it to the front desk as a phone callback (`phone`).
 */
const DEFAULT_SURVEY_START = { confirmWaitHours: 24, unconfirmed: 'survey' } as const;

const surveyStartSchema = z.object({
  /** Hours after the completion the survey waits for the customer's confirmation (0-48, so it fits the 3-day window). */
  confirmWaitHours: z.number().int().min(0).max(48).default(DEFAULT_SURVEY_START.confirmWaitHours),
  unconfirmed: z.enum(['survey', 'phone']).default(DEFAULT_SURVEY_START.unconfirmed),
});

export const companySchema = z
  .object({
    name: z.string().min(1),
    nameEn: z.string().min(1),
    /** The name the callback survey introduces itself with (您好，我是××). */
    agentName: z.string().min(1),
    /** Customer-service phone number, given wherever the bot cannot help by chat. */
    hotline: z.string().min(3),
    timeZone: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as Asia/Shanghai'),
    serviceHours: timeSpanSchema,
    /**
     * When the front desk answers handovers to a person (转人工); outside them the customer is told
     * when it opens, with the hotline. Default: the service hours.
     */
    deskHours: timeSpanSchema.optional(),
    quietHours: z.array(timeSpanSchema).default([]),
    /** Slot granularity offered on buttons, in minutes. */
    slotMinutes: z.number().int().min(15).max(240).default(60),
    /**
     * How far ahead a visit may be booked, in days from today (in the company zone): a later date
     * is said back to the customer with the bookable range. Default 180.
     */
    bookingHorizonDays: z.number().int().min(1).max(3650).default(180),
    holidays: z
      .array(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'), name: z.string() }))
      .default([]),
    /** What every visit excludes (DOMAIN §1 valuables). */
    excludes: z.array(z.string().min(1)).min(1),
    excludesEn: z.array(z.string().min(1)).min(1),
    /** What the customer and the company each answer for, shown before confirming. */
    responsibilities: z.string().min(1),
    responsibilitiesEn: z.string().min(1),
    catalog: z.array(serviceSchema).min(1),
    departments: z.array(departmentSchema).default([]),
    retention: retentionSchema.default({ ...DEFAULT_RETENTION }),
    surveyStart: surveyStartSchema.default({ ...DEFAULT_SURVEY_START }),
  })
  .superRefine((company, ctx) => {
    const seen = new Set<string>();
    company.catalog.forEach((service, i) => {
      if (seen.has(service.code)) {
        ctx.addIssue({ code: 'custom', path: ['catalog', i, 'code'], message: `duplicate code "${service.code}"` });
      }
      seen.add(service.code);
    });
    const codes = new Set(company.catalog.map((service) => service.code));
    const owner = new Map<string, string>();
    const departmentCodes = new Set<string>();
    company.departments.forEach((department, i) => {
      if (departmentCodes.has(department.code)) {
        ctx.addIssue({ code: 'custom', path: ['departments', i, 'code'], message: `duplicate code "${department.code}"` });
      }
      departmentCodes.add(department.code);
      department.services.forEach((service, j) => {
        if (!codes.has(service)) ctx.addIssue({ code: 'custom', path: ['departments', i, 'services', j], message: `"${service}" is not a catalog code` });
        else if (owner.has(service)) {
          ctx.addIssue({ code: 'custom', path: ['departments', i, 'services', j], message: `"${service}" is already handled by "${owner.get(service)}"` });
        }
        owner.set(service, department.code);
      });
    });
    if (company.serviceHours.end <= company.serviceHours.start) {
      ctx.addIssue({ code: 'custom', path: ['serviceHours'], message: 'end must be after start on the same day' });
    }
  });
export type Company = z.infer<typeof companySchema>;
