import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { DEFAULT_GRADE_POLICY, monthlyUpgradeDue, proposeGrade, type GradeInput } from '../../../src/domain/complaints/grade.ts';
import { GRADES } from '../../../src/contracts/records.ts';
import { messages } from '../../../src/i18n/index.ts';

const noLoss = { had: false };
const input = (over: Partial<GradeInput>): GradeInput => ({ category: 'other', loss: noLoss, priorCount: 0, ...over });

describe('grade labels', () => {
  it('names every grade in Chinese and English', () => {
    expect(GRADES.map((g) => messages('zh').gradeLabel[g])).toEqual(['重大', '重要', '轻微']);
    expect(GRADES.map((g) => messages('en').gradeLabel[g])).toEqual(['major', 'important', 'minor']);
  });

  it('defaults: 2000 yuan is a major loss, twice before is "several times"', () => {
    expect(DEFAULT_GRADE_POLICY).toEqual({ majorLossYuan: 2000, repeatedTimes: 2 });
  });
});

describe('proposeGrade (DOMAIN §2 Grade, [002 ③])', () => {
  it.each<[string, GradeInput, string, string[]]>([
    // major (1): failed service raised several times
    ['no_show raised twice before', input({ category: 'no_show', priorCount: 2 }), 'major', ['repeated_service_failure']],
    ['quality raised three times before', input({ category: 'quality', priorCount: 3 }), 'major', ['repeated_service_failure']],
    ['late raised twice before', input({ category: 'late', priorCount: 2 }), 'major', ['repeated_service_failure']],
    ['other, service failed, twice before', input({ serviceFailed: true, priorCount: 2 }), 'major', ['repeated_service_failure']],
    // threshold - 1
    ['no_show raised once before', input({ category: 'no_show', priorCount: 1 }), 'important', ['service_failure']],
    ['quality first time', input({ category: 'quality' }), 'important', ['service_failure']],
    ['other, service failed, once before', input({ serviceFailed: true, priorCount: 1 }), 'important', ['service_failure']],
    // repeated, but not a failed service: repetition alone does not make it major
    ['damage raised twice before, small loss', input({ category: 'damage', priorCount: 2, loss: { had: true, amountYuan: 100 } }), 'important', ['company_fault', 'economic_loss']],
    ['attitude raised three times before', input({ category: 'attitude', priorCount: 3 }), 'minor', ['staff_attitude', 'no_economic_loss']],
    // major (2): major economic loss, at the threshold and above
    ['damage at exactly 2000', input({ category: 'damage', loss: { had: true, amountYuan: 2000 } }), 'major', ['major_loss']],
    ['damage at 1999.99', input({ category: 'damage', loss: { had: true, amountYuan: 1999.99 } }), 'important', ['company_fault', 'economic_loss']],
    ['loss of 15000', input({ category: 'loss', loss: { had: true, amountYuan: 15000 } }), 'major', ['major_loss']],
    ['safety with 5000', input({ category: 'safety', loss: { had: true, amountYuan: 5000 } }), 'major', ['major_loss']],
    ['both major rules', input({ category: 'quality', priorCount: 2, loss: { had: true, amountYuan: 3000 } }), 'major', ['repeated_service_failure', 'major_loss']],
    ['a loss without an amount is not major', input({ category: 'damage', loss: { had: true } }), 'important', ['company_fault', 'economic_loss']],
    ['had: false ignores an amount', input({ category: 'damage', loss: { had: false, amountYuan: 9000 } }), 'important', ['company_fault']],
    // important: company fault
    ['damage, no amount said', input({ category: 'damage' }), 'important', ['company_fault']],
    ['loss', input({ category: 'loss' }), 'important', ['company_fault']],
    ['price', input({ category: 'price' }), 'important', ['company_fault']],
    ['safety', input({ category: 'safety' }), 'important', ['company_fault']],
    ['late', input({ category: 'late' }), 'important', ['service_failure']],
    // minor: attitude without loss; attitude with loss is important
    ['attitude, no loss', input({ category: 'attitude' }), 'minor', ['staff_attitude', 'no_economic_loss']],
    ['attitude with a loss', input({ category: 'attitude', loss: { had: true, amountYuan: 300 } }), 'important', ['economic_loss']],
    ['attitude with a major loss', input({ category: 'attitude', loss: { had: true, amountYuan: 2000 } }), 'major', ['major_loss']],
    ['other, no loss', input({}), 'minor', ['no_economic_loss']],
    ['other with a loss', input({ loss: { had: true, amountYuan: 50 } }), 'important', ['economic_loss']],
    // odd input
    ['negative priorCount counts as first time', input({ category: 'no_show', priorCount: -3 }), 'important', ['service_failure']],
    ['NaN amount counts as unknown', input({ category: 'damage', loss: { had: true, amountYuan: Number.NaN } }), 'important', ['company_fault', 'economic_loss']],
  ])('%s', (_, given, grade, reasons) => {
    expect(proposeGrade(given)).toEqual({ grade, reasons });
  });

  it('takes the thresholds from the policy', () => {
    const damage500 = input({ category: 'damage', loss: { had: true, amountYuan: 500 } });
    expect(proposeGrade(damage500, { majorLossYuan: 500 }).grade).toBe('major');
    expect(proposeGrade(damage500, { majorLossYuan: 501 }).grade).toBe('important');
    const noShowOnce = input({ category: 'no_show', priorCount: 1 });
    expect(proposeGrade(noShowOnce, { repeatedTimes: 1 }).grade).toBe('major');
    expect(proposeGrade(input({ category: 'no_show', priorCount: 2 }), { repeatedTimes: 3 }).grade).toBe('important');
  });
});

describe('monthlyUpgradeDue (DOMAIN §2 Grade, major (3))', () => {
  const sh = 'Asia/Shanghai';
  const at = (iso: string, zone = sh) => DateTime.fromISO(iso, { zone }).toJSDate();
  const open = (receivedAt: Date) => ({
    grade: 'important' as const,
    valid: true as boolean | null,
    resolvedAt: null as Date | null,
    receivedAt,
    upgradedAt: null as Date | null,
  });

  it('is due one calendar month after receipt, not a moment before', () => {
    const c = open(at('2026-11-23T10:00'));
    expect(monthlyUpgradeDue(c, at('2026-12-23T09:59:59.999'), sh)).toEqual({ due: false, at: at('2026-12-23T10:00') });
    expect(monthlyUpgradeDue(c, at('2026-12-23T10:00'), sh)).toEqual({ due: true, at: at('2026-12-23T10:00') });
  });

  it('Jan 31 -> Feb 28', () => {
    const c = open(at('2026-01-31T10:00'));
    expect(monthlyUpgradeDue(c, at('2026-02-28T09:59'), sh).due).toBe(false);
    expect(monthlyUpgradeDue(c, at('2026-02-28T10:00'), sh)).toEqual({ due: true, at: at('2026-02-28T10:00') });
  });

  it('counts the month in the company zone, whatever the machine zone', () => {
    // 2026-01-31 23:30 in Shanghai is 15:30 UTC: the month ends on Shanghai's Feb 28, not UTC's.
    const c = open(at('2026-01-31T23:30'));
    expect(monthlyUpgradeDue(c, at('2026-02-28T23:30'), sh).at.toISOString()).toBe('2026-02-28T15:30:00.000Z');
  });

  it('keeps the wall-clock time across a DST change (America/New_York, March 8 2026)', () => {
    const ny = 'America/New_York';
    const c = open(at('2026-02-10T10:00', ny)); // EST, 15:00Z
    const { at: due } = monthlyUpgradeDue(c, at('2026-03-10T10:00', ny), ny);
    expect(due.toISOString()).toBe('2026-03-10T14:00:00.000Z'); // 10:00 EDT
    expect(monthlyUpgradeDue(c, new Date('2026-03-10T13:59:59.999Z'), ny).due).toBe(false);
    expect(monthlyUpgradeDue(c, new Date('2026-03-10T14:00:00.000Z'), ny).due).toBe(true);
  });

  it('a complaint not yet judged valid still upgrades', () => {
    const c = { ...open(at('2026-11-23T10:00')), valid: null };
    expect(monthlyUpgradeDue(c, at('2026-12-24T00:00'), sh).due).toBe(true);
  });

  it.each([
    ['already major', { grade: 'major' as const }],
    ['already upgraded', { upgradedAt: at('2026-12-01T00:00') }],
    ['invalid', { valid: false }],
    ['resolved', { resolvedAt: at('2026-11-30T00:00') }],
  ])('not due when %s', (_, over) => {
    const c = { ...open(at('2026-11-23T10:00')), ...over };
    expect(monthlyUpgradeDue(c, at('2027-01-01T00:00'), sh)).toEqual({ due: false, at: at('2026-12-23T10:00') });
  });

  it('minor complaints upgrade too', () => {
    const c = { ...open(at('2026-11-23T10:00')), grade: 'minor' as const };
    expect(monthlyUpgradeDue(c, at('2026-12-23T10:00'), sh).due).toBe(true);
  });
});
