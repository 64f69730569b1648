import { describe, expect, it } from 'vitest';
import { mayManageStaff, mayRevoke } from '../../../src/domain/complaints/permissions.ts';

describe('staff management', () => {
  it('is for department heads and the general manager', () => {
    expect(mayManageStaff('general_manager')).toBe(true);
    expect(mayManageStaff('department_head')).toBe(true);
    expect(mayManageStaff('front_desk')).toBe(false);
    expect(mayManageStaff('on_site')).toBe(false);
  });

  it('lets the general manager revoke anyone, a department head only staff below', () => {
    expect(mayRevoke('general_manager', 'department_head')).toBe(true);
    expect(mayRevoke('general_manager', 'general_manager')).toBe(true);
    expect(mayRevoke('department_head', 'front_desk')).toBe(true);
    expect(mayRevoke('department_head', 'on_site')).toBe(true);
    expect(mayRevoke('department_head', 'department_head')).toBe(false);
    expect(mayRevoke('department_head', 'general_manager')).toBe(false);
    expect(mayRevoke('front_desk', 'on_site')).toBe(false);
  });
});
