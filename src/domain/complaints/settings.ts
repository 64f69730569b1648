/**
 * How complaints are routed and graded in this deployment: the staff channel of each level, the
 * invite codes that bind a platform identity to a role, and the configurable defaults of DOMAIN §2.
 */
import type { GradePolicy } from './grade.ts';
import type { GroupPolicy } from './group.ts';
import type { Channel } from '../../contracts/messages.ts';
import type { Level, Role } from '../../contracts/records.ts';

export interface Room {
  channel: Channel;
  chatId: string;
}

export interface ComplaintSettings {
  /** Where each level's escalations are posted. */
  rooms: Record<Level, Room>;
  /** Invite code -> role. Codes for the console channel only apply when `consoleOnly` says so. */
  inviteCodes: Record<string, Role>;
  /** Codes that work only from the console (the embedded default's built-in codes). */
  consoleOnlyCodes: boolean;
  gradePolicy: GradePolicy;
  groupPolicy: GroupPolicy;
  /** How long after resolution the customer's callback is asked (then moved out of quiet hours). */
  callbackDelayMs: number;
}
