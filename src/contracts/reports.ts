/**
 * The data the report renderers take (DOMAIN §4). The figures and rows are computed elsewhere
 * (store + domain); `chart.ts`, `workbook.ts` and `summary.ts` only render them.
 */

import type { Grade } from './records.ts';

/** A report's date range [from, to) in the company zone (DOMAIN §4). */
export interface ReportPeriod {
  from: Date;
  /** Exclusive. */
  to: Date;
  /** e.g. '2026年10月' or '2026-10-01 至 2026-10-15' */
  label: string;
}

/**
 * One grade's complaints of a period, as of the report's time. Resolution on time is decided for
 * a complaint resolved (on time or late by the grade's limit) or unresolved past that limit
 * (late); an unresolved one within its limit is `pending`, neither on time nor late. The text, the
 * chart and the workbook's 汇总 sheet all show `onTimeRate` and `pending` from here.
 */
export interface GradeFigures {
  grade: Grade;
  count: number;
  forwardedOnTime: number;
  /** Resolved within the grade's limit. */
  resolvedOnTime: number;
  resolved: number;
  /** Resolved after the limit, or unresolved with the limit passed. */
  late: number;
  /** Unresolved (and not invalid) with the limit not yet passed: undecided. */
  pending: number;
  /** resolvedOnTime / (resolvedOnTime + late), or null when no case is decided (never 0 for undecided cases). */
  onTimeRate: number | null;
}

/** The on-time rate over decided cases: null when none is decided. */
export function onTimeRate(onTime: number, late: number): number | null {
  return onTime + late > 0 ? onTime / (onTime + late) : null;
}

export interface ReportFigures {
  period: ReportPeriod;
  complaints: {
    total: number;
    byGrade: GradeFigures[];
    byStatus: Record<string, number>;
    byCategory: Record<string, number>;
    /** By 领单部门: the company file's department of the complaint's service, "—" for none. */
    byDepartment: Record<string, number>;
    /** By the linked booking's service name, 未关联预约 for none. */
    byService: Record<string, number>;
    responseMinutes: { median: number | null; p90: number | null };
    resolutionHours: { median: number | null; p90: number | null };
  };
  bookings: { total: number; completed: number; completionRate: number | null };
  /** Handovers to a person requested in the period: how many, claimed, why, minutes to claim and in all (ended ones). */
  handovers: {
    total: number;
    claimed: number;
    byReason: Record<string, number>;
    claimMinutes: { median: number | null; p90: number | null };
    durationMinutes: { median: number | null; p90: number | null };
  };
  /** Work orders (派工单) by department, the company file's order, then "—" (no department). */
  workOrders: WorkOrderFigures[];
  callbacks: {
    due: number;
    doneWithin3Days: number;
    rate: number | null;
    overall: Record<'satisfied' | 'average' | 'dissatisfied', number>;
    quality: Record<'satisfied' | 'basic' | 'dissatisfied', number>;
    timeliness: Record<'timely' | 'average' | 'late', number>;
    satisfactionRate: number | null;
  };
  /** The previous period, for comparison. */
  previous?: ReportFigures;
}

/**
 * One department's work orders whose visit falls in the period (seed 002: 服务人员接到派工单后按时限
 * 完成, 前台接待员在24小时内做好回访; 约定时间: late notices and lateness without notice).
 */
export interface WorkOrderFigures {
  /** The company file's department name, "—" for services no department handles. */
  department: string;
  posted: number;
  /** Accepted by a worker (领单). */
  accepted: number;
  completed: number;
  /** Declines (a work order declined twice counts twice). */
  declined: number;
  /** Work orders whose worker announced being late. */
  lateNotices: number;
  /** Work orders that started late without notice (a lateness event). */
  lateUnannounced: number;
  /** Mean minutes from posting to the worker's acceptance, over accepted ones; null when none. */
  acceptMinutes: number | null;
  /** Completed ones whose callback was answered within 24 hours of completion. */
  calledBackIn24h: number;
}

/**
 * One row of 投诉处理记录汇总表 [002 附表三]:
 * 序号 | 意见表编号 | 客户单位 | 领单部门 | 领单人 | 日期 | 接收人 | 接收日期 | 是否回访.
 * The seed table has exactly these nine columns, so there are no optional extras.
 */
export interface ComplaintRecordRow {
  /** 序号 */
  no: number;
  /** 意见表编号 */
  formNumber: string;
  /** 客户单位 */
  customer: string;
  /** 领单部门: the company file's department of the complaint's service, "—" for none */
  department: string;
  /** 领单人: who claimed it */
  handler: string;
  /** 日期: when it was claimed (附表一's 接单时间), null while unclaimed */
  date: Date | null;
  /** 接收人: who recorded it */
  receiver: string;
  /** 接收日期: when it was recorded (received) */
  receivedAt: Date;
  /** 是否回访: the follow-up after resolution was asked and answered */
  calledBack: boolean;
}

/**
 * One row of 客户月回访信息登记表 [002 附表二]. The seed form's fields are 受(来)访人姓名, 日期, 地址,
 * 访问人姓名, 访问方式, 受(来)访人联系电话, 回访信息记录, 信息处理记录 and 客户评价 (服务质量
 * 满意/基本满意/不满意, 服务是否及时 及时/一般/不及时). `service` and `overall` (the survey's
 * 满意/一般/不满意 [000 回访规范]) are not on the seed form and go in extra columns.
 *
 * `overall`, `quality` and `timeliness` may be the stored keys ('satisfied' | 'average' |
 * 'dissatisfied', 'satisfied' | 'basic' | 'dissatisfied', 'timely' | 'average' | 'late') or the
 * Chinese words; the workbook writes the Chinese words.
 */
export interface CallbackRow {
  /** 序号 */
  no: number;
  /** 日期 (of the callback) */
  date: Date;
  /** 受(来)访人姓名 */
  customer: string;
  /** 受(来)访人联系电话, masked */
  phone: string;
  /** 服务项目 (extra column) */
  service: string;
  /** 回访满意度 满意/一般/不满意 (extra column) */
  overall: string | null;
  /** 服务质量 满意/基本满意/不满意 */
  quality: string | null;
  /** 服务是否及时 及时/一般/不及时 */
  timeliness: string | null;
  /** 回访信息记录: what the customer said (suggestion or reason) */
  comment: string | null;
  /** 访问人姓名: who made the callback */
  callbackBy: string;
  /** 地址 (masked) */
  address?: string | null;
  /** 访问方式, e.g. 在线回访 / 电话回访 */
  method?: string | null;
  /** 信息处理记录, e.g. what was done about a 一般/不满意 answer */
  handling?: string | null;
}
