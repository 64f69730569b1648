/**
 * Where a service's matters go (departments in the company file; seed 002 ⑤ 相关部门负责人/接口人):
 * its department's room, when the company file sets one, takes the front desk's part (work orders,
 * and complaints at the contact and department-head levels); the general manager's room stays.
 */
import { serviceOfMatter } from '../domain/complaints/group.ts';
import { departmentOf } from '../domain/workorder/rules.ts';
import type { Channel } from '../contracts/messages.ts';
import type { Company } from '../contracts/company.ts';
import type { Level } from '../contracts/records.ts';

interface Room {
  channel: Channel;
  chatId: string;
}

/** The room of a service's work orders: its department's room when set, else `fallback`. */
export function departmentRoom(company: Pick<Company, 'departments'>, serviceCode: string | null | undefined, fallback: Room): Room {
  const room = serviceCode ? departmentOf(company, serviceCode)?.room : undefined;
  if (!room) return fallback;
  const at = room.indexOf(':');
  return { channel: room.slice(0, at) as Channel, chatId: room.slice(at + 1) };
}

/** The room a complaint about `matter` (`matterKey`: category and service) is posted to at `level`. */
export function complaintRoom(company: Pick<Company, 'departments'>, rooms: Record<Level, Room>, level: Level, matter: string): Room {
  return level === 'general_manager' ? rooms[level] : departmentRoom(company, serviceOfMatter(matter), rooms[level]);
}
