/**
 * Managers' report commands (DOMAIN §4, §5): department heads and the general manager ask for a
 * period by command or in Chinese and get a short text, a chart and a spreadsheet. Anyone else
 * gets a polite refusal that says nothing about the figures.
 */
import { asksForReport, parseReportPeriod } from '../../domain/reports/period.ts';
import { buildReport } from '../../features/reports/build.ts';
import type { Command } from '../command.ts';
import type { StepResult, Turn } from '../turn.ts';

const MANAGERS = new Set(['department_head', 'general_manager']);

/** Whether the person writing is a department head or the general manager (the staff records say). */
export async function isManager(turn: Turn): Promise<boolean> {
  const staff = await turn.store.staff(turn.from.channel, turn.from.userId);
  return staff !== undefined && staff !== null && MANAGERS.has(staff.role);
}

/** `/report ...` or 本月报表 / 上月统计 / 最近7天投诉情况. */
async function reportRequest(turn: Turn, text: string): Promise<StepResult> {
  if (!(await isManager(turn))) return { state: { flow: 'idle' }, replies: [{ text: turn.m.reportRefused }] };
  return answerReport(turn, text);
}

/** A manager's report for the period the text names, or how to ask for one. */
export async function answerReport(turn: Turn, text: string): Promise<StepResult> {
  const idle = { flow: 'idle' } as const;
  const period = parseReportPeriod(text, turn.now, turn.company.timeZone);
  if (!period) return { state: idle, replies: [{ text: turn.m.reportUsage }] };
  return { state: idle, replies: await buildReport({ store: turn.store, company: turn.company, m: turn.m, period, now: turn.now }) };
}

export const reportCommand: Command = {
  name: 'report',
  matches: asksForReport,
  handle: (turn, text) => reportRequest(turn, text),
  allowedInStaffRoom: true,
  // Inside a customer's flow, 本月统计 may well be an answer (a complaint's content, an address);
  // a manager's report request works inside any flow.
  idleOnly: true,
  inFlowFor: isManager,
  keepsOpenPrompt: true,
};
