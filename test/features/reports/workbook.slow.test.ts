/** The report workbook at volume: 10,000 rows per sheet, built and read back (about 2.5 s). */
import { describe, expect, it } from 'vitest';
import type { CallbackRow, ComplaintRecordRow } from '../../../src/contracts/reports.ts';
import { CALLBACK_SHEET, COMPLAINT_SHEET, buildWorkbook } from '../../../src/features/reports/workbook.ts';
import { callbacks, complaints, load, period, zone } from './workbook-fixtures.ts';

describe('report workbook at volume', () => {
  it('builds 10,000 rows per sheet', async () => {
    const many = Array.from({ length: 10_000 }, (_, i): ComplaintRecordRow => ({ ...complaints[i % 3]!, no: i + 1, formNumber: `T-${i}` }));
    const manyCallbacks = Array.from({ length: 10_000 }, (_, i): CallbackRow => ({ ...callbacks[i % 2]!, no: i + 1 }));
    const out = await buildWorkbook({ period, complaints: many, callbacks: manyCallbacks, zone });
    const wb = await load(out.data);
    expect(wb.getWorksheet(COMPLAINT_SHEET)!.actualRowCount).toBe(10_002);
    expect(wb.getWorksheet(CALLBACK_SHEET)!.actualRowCount).toBe(10_002);
    expect(wb.getWorksheet(COMPLAINT_SHEET)!.getRow(10_002).getCell(2).value).toBe('T-9999');
  }, 60_000);
});
