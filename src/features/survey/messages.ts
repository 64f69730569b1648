/**
 * The callback survey's messages (DOMAIN §3), in the script's words with a button for every choice:
 * what the survey flow asks while a customer answers, and what the survey sweep sends first and as
 * the one reminder. Both import them from here, so a sweep never borrows from a flow.
 */
import { followUpQuestion, holidayOn, openingLine, satisfactionQuestion, type ScriptContext } from '../../domain/survey/script.ts';
import type { Overall } from '../../domain/survey/answers.ts';
import { messages, type Locale, type Messages } from '../../i18n/index.ts';
import type { SurveyView } from '../../contracts/records.ts';
import type { SurveyStep } from '../../contracts/state.ts';
import type { Outbound } from '../../contracts/messages.ts';
import type { Company } from '../../contracts/company.ts';

/** The language a survey is conducted in (the customer's when the booking was made). */
export function surveyLocale(value: string): Locale {
  return value === 'en' ? 'en' : 'zh';
}

/** The ×× of the script, from the booking and the company file. */
export function scriptContext(s: SurveyView, company: Company, now: Date): ScriptContext {
  const service = company.catalog.find((c) => c.code === s.booking.serviceCode);
  const en = s.locale === 'en';
  return {
    agentName: company.agentName,
    surname: s.booking.contactName,
    salutation: s.booking.salutation === '先生' || s.booking.salutation === '女士' ? s.booking.salutation : null,
    serviceDate: s.completedAt,
    companyName: en ? company.nameEn : company.name,
    serviceName: en && service ? service.nameEn : s.booking.serviceName,
    zone: company.timeZone,
    holiday: holidayOn(now, company.holidays, company.timeZone),
  };
}

/** The first question not answered yet: where a survey (re)starts. */
export function openStep(s: SurveyView): SurveyStep {
  if (s.identityOk === null) return 'identity';
  if (s.overall === null) return 'overall';
  if (s.quality === null) return 'quality';
  if (s.timeliness === null) return 'timeliness';
  return 'comment';
}

/**
 * The message the survey sweep sends: the opening line (script step 1) the first time, and for the
 * one reminder the first question still open, marked as a reminder.
 */
export function surveyMessage(s: SurveyView, company: Company, now: Date, reminder = false): Outbound {
  const m = messages(surveyLocale(s.locale));
  return surveyQuestion(m, s, openStep(s), scriptContext(s, company, now), (s.overall as Overall | null) ?? undefined, reminder ? m.surveyReminder : '');
}

/** The question of one step, with its answer buttons (`sv:<survey id>:<field><value>`). */
export function surveyQuestion(m: Messages, s: SurveyView, step: SurveyStep, ctx: ScriptContext, overall?: Overall, lead = ''): Outbound {
  const locale = surveyLocale(s.locale);
  const b = (field: string, values: Record<string, string>, labels: Record<string, string>) =>
    [Object.entries(values).map(([key, code]) => ({ label: labels[key] ?? key, action: `sv:${s.id}:${field}${code}` }))];
  switch (step) {
    case 'identity':
      return { text: `${lead}${openingLine(ctx, locale)}`, buttons: [[{ label: m.identityYes, action: `sv:${s.id}:iy` }, { label: m.identityNo, action: `sv:${s.id}:in` }]] };
    case 'overall':
      return { text: `${lead}${satisfactionQuestion(ctx, locale)}`, buttons: b('o', { satisfied: 's', average: 'a', dissatisfied: 'd' }, m.overallLabel) };
    case 'quality':
      return { text: `${lead}${m.surveyQualityQuestion}`, buttons: b('q', { satisfied: 's', basic: 'b', dissatisfied: 'd' }, m.qualityLabel) };
    case 'timeliness':
      return { text: `${lead}${m.surveyTimelinessQuestion}`, buttons: b('t', { timely: 't', average: 'a', late: 'l' }, m.timelinessLabel) };
    case 'comment':
      return { text: `${lead}${followUpQuestion(overall ?? 'satisfied', locale)}`, buttons: [[{ label: m.surveyNoComment, action: `sv:${s.id}:cs` }]] };
  }
}
