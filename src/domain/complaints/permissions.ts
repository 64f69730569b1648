/**
 * Who may act on a complaint (DOMAIN §5): front desk and on-site staff claim and resolve at the
 * department-contact level; department heads and the general manager may act at their level and
 * below, and only they regrade. Only they see and revoke staff roles (`/staff`, `/revoke`).
 */
import type { Level, Role } from '../../contracts/records.ts';

const ROLE_RANK: Record<Role, number> = { front_desk: 1, on_site: 1, department_head: 2, general_manager: 3 };
const LEVEL_RANK: Record<Level, number> = { contact: 1, department_head: 2, general_manager: 3 };

export type ComplaintAction = 'claim' | 'resolve' | 'invalid' | 'regrade';

/** Whether `role` may take `action` on a complaint posted at `level`. */
export function mayAct(role: Role, action: ComplaintAction, level: Level): boolean {
  if (action === 'regrade') return ROLE_RANK[role] >= 2;
  return ROLE_RANK[role] >= LEVEL_RANK[level];
}

/** The least senior role that may take the action at the level, for the refusal message. */
export function neededRole(action: ComplaintAction, level: Level): Role {
  if (action === 'regrade') return 'department_head';
  return level === 'contact' ? 'front_desk' : level;
}

/** Whether `role` may see who joined as staff (`/staff`) and revoke roles (`/revoke`). */
export function mayManageStaff(role: Role): boolean {
  return ROLE_RANK[role] >= 2;
}

/**
 * Whether `actor` may revoke a staff member whose role is `target`: the general manager anyone's,
 * a department head only front desk and on-site staff.
 */
export function mayRevoke(actor: Role, target: Role): boolean {
  return mayManageStaff(actor) && (actor === 'general_manager' || ROLE_RANK[target] < ROLE_RANK[actor]);
}
