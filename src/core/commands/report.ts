/**
 * Managers' report commands (DOMAIN §4, §5): department heads and the general manager ask for a
 * period by command or in Chinese and get a short text, a chart and a spreadsheet. Anyone else
 * gets a polite refusal that says nothing about the figures.
 */
import { asksForReport, parseReportPeriod } from '../../domain/reports/period.ts';
import { buildReport } from '../../features/reports/build.ts';
import type { Command } from '../command.ts';
import type { State } from '../../contracts/state.ts';
import type { StepResult, Turn } from '../turn.ts';

const MANAGERS = new Set(['department_head', 'general_manager']);

/** Whether the person writing is a department head or the general manager (the staff records say). */
export async function isManager(turn: Turn): Promise<boolean> {
  const staff = await turn.store.staff(turn.from.channel, turn.from.userId);
  return staff !== undefined && staff !== null && MANAGERS.has(staff.role);
}

/** `/report ...` or 本月报表 / 上月统计 / 最近7天投诉情况. */
async function reportRequest(turn: Turn, text: string, state: State): Promise<StepResult> {
  if (!(await isManager(turn))) return { state: { flow: 'idle' }, replies: [{ text: turn.m.reportRefused }] };
  return answerReport(turn, text, state);
}

/**
 * A manager's report for the period the text names, or how to ask for one. Whatever the manager
 * was doing (`state`) stays open.
 */
export async function answerReport(turn: Turn, text: string, state: State): Promise<StepResult> {
  const period = parseReportPeriod(text, turn.now, turn.company.timeZone);
  if (!period) return { state, replies: [{ text: turn.m.reportUsage }] };
  return { state, replies: await buildReport({ store: turn.store, company: turn.company, m: turn.m, period, now: turn.now }) };
}

export const reportCommand: Command = {
  name: 'report',
  matches: asksForReport,
  handle: (turn, text, state) => reportRequest(turn, text, state),
  allowedInStaffRoom: true,
  // Inside a customer's flow, 本月统计 may well be an answer (a complaint's content, an address);
  // a manager's report request works inside any flow.
  idleOnly: true,
  inFlowFor: isManager,
  keepsOpenPrompt: true,
};
