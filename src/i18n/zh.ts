/**
 * What the bot says, in Simplified Chinese (the default). Polite and patient, addressing people by
 * surname plus 先生/女士 (DOMAIN intro, [002]). Every catalog implements the same `Messages` shape.
 */
import type { Grade, Level } from '../contracts/records.ts';

/** One name for the on-time rate in the report's text and its chart. */
const ON_TIME_RATE = '按时处理率';

export const zh = {
  // Menu and help
  greeting: (p: { company: string; who?: string }) =>
    `${p.who ? `${p.who}，` : ''}您好，欢迎来到${p.company}！我是在线客服，可以帮您：`,
  menuBook: '预约服务',
  menuPrice: '价目表',
  menuBookings: '我的预约',
  menuReschedule: '改约',
  menuCancel: '取消预约',
  menuHint: '您可以直接说需求，例如“明天下午三点日常保洁”，也可以点下面的按钮。',
  notUnderstood: '抱歉，我没有完全理解您的意思。',
  staleButton: '这个选项已经过期了，我们从当前这一步继续：',
  pleaseWait: '您发送得太快了，请稍候一分钟再发，我们会继续为您服务。',
  emptyMessage: '您好，我没有收到文字内容。',
  // Photos and files (issue #15 must 3): outside a handover the bot cannot read them.
  mediaReceived: (p: { kind: string }) =>
    `收到您发来的${p.kind}。我暂时看不懂${p.kind}，需要工作人员查看的话，请点“转人工”，我们会把${p.kind}转给客服；也可以点“反映问题”用文字说明情况。`,
  mediaKind: { photo: '图片', document: '文件', video: '视频', voice: '语音' } as Record<string, string>,
  /** How a photo or file shows in a relayed line: `[图片]`, `[文件 报价单.pdf]`; `shown` false where it cannot be shown. */
  mediaTag: (p: { kind: string; name?: string; shown: boolean }) => `[${p.kind}${p.name ? ` ${p.name}` : ''}${p.shown ? '' : '：来自其他平台，此处无法显示'}]`,
  tooLong: (p: { max: number }) => `消息太长了（最多${p.max}个字），请简短描述一下。`,
  // Small talk and the clarifying question (issue #12, #16)
  youAreWelcome: '不客气，还有什么可以帮您的，随时跟我说。',
  goodbye: '好的，祝您生活愉快，再见！有需要随时找我。',
  clarify: '我想确认一下，您是想：',
  clarifyBook: '预约服务',
  clarifyComplain: '反映问题',
  clarifyBookings: '查询我的预约',
  clarifyHuman: '转人工',
  reportForStaff: '统计报表仅向公司管理人员提供。如果您想反映问题或查询投诉进度，请直接告诉我。',
  // Price list
  priceListTitle: '服务价目表：',
  priceLine: (p: { name: string; price: string; unit: string }) => `· ${p.name}：¥${p.price}/${p.unit}`,
  priceListFooter: '点选项目可查看服务内容并预约。',
  serviceDetail: (p: { name: string; price: string; unit: string; includes: string; leadDays: number }) =>
    `【${p.name}】¥${p.price}/${p.unit}\n服务内容：${p.includes}\n需至少提前${p.leadDays}天预约。`,
  bookThis: '预约这项服务',
  // Booking flow
  askService: '请问您需要哪项服务？',
  askTime: (p: { service: string }) =>
    `好的，${p.service}。请问希望什么时间上门？可以直接说“明天下午三点”“周六上午10点”，或选择下面的时间：`,
  askTimeOnDay: (p: { day: string }) => `${p.day}可预约的时间：`,
  otherDays: '其他日期',
  askDay: '请选择日期：',
  noSlotsOnDay: (p: { day: string }) => `${p.day}没有可预约的时间了，请看看这些时间：`,
  timePast: '这个时间已经过去了。',
  timeTooSoon: (p: { service: string; leadDays: number }) => `${p.service}需要至少提前${p.leadDays}天预约。`,
  timeOutsideHours: (p: { open: string; close: string; hours: number }) =>
    `上门服务时间为每天 ${p.open}–${p.close}，这项服务约需${p.hours}小时，需在${p.close}前完成。`,
  earliestOffer: '最早可以预约以下时间：',
  holidayClosed: (p: { day: string; name: string }) => `${p.day}是${p.name}，公司放假，不安排上门服务。`,
  nearestWorkingDay: (p: { day: string }) => `最近的工作日是${p.day}，可以预约以下时间：`,
  askOtherDay: '好的，换一天。请选择日期，或直接告诉我哪天：',
  laterSlots: '好的，晚一点的时间有：',
  laterSlotsNextDay: '当天没有更晚的时间了，下一个可预约日的时间有：',
  noLaterSlots: '没有更晚的可预约时间了，请看看这些时间：',
  earlierSlots: '好的，早一点的时间有：',
  noEarlierSlots: '当天没有更早的时间了，当天可预约的时间有：',
  dateImpossible: (p: { written: string }) => `日历上没有“${p.written}”这一天。`,
  dateBeyondHorizon: (p: { written: string }) => `“${p.written}”超出了可预约的时间范围。`,
  bookableRange: (p: { from: string; to: string }) => `可预约 ${p.from} 至 ${p.to}，请从下面选一个时间，或换个日期告诉我：`,
  timeNotUnderstood: '抱歉，没有看懂时间。可以说“明天下午三点”“11月25日14:00”，或点选下面的时间：',
  askAddress: '请告诉我服务地址（小区、楼栋、门牌号）：',
  useSavedAddress: (p: { address: string }) => `使用：${p.address}`,
  addressInvalid: '地址好像不完整，请写明小区、楼栋和门牌号，例如“阳光小区3栋2单元501”。',
  askName: '请问怎么称呼您？例如“张先生”或“王女士”。',
  confirmPlatformName: (p: { name: string }) => `请问称呼您“${p.name}”可以吗？也可以直接告诉我其他称呼，例如“张先生”。`,
  usePlatformName: (p: { name: string }) => `就叫“${p.name}”`,
  nameInvalid: '请告诉我您的姓氏，例如“张先生”或“王女士”。',
  askSalutation: (p: { name: string }) => `请问称呼您${p.name}先生还是${p.name}女士？`,
  sir: '先生',
  madam: '女士',
  askPhone: (p: { who: string }) => `${p.who}，请留下手机号码，方便服务人员上门前联系您：`,
  phoneInvalid: '手机号格式不对，请输入11位手机号，例如 13800138000。',
  useSavedContact: (p: { who: string; phone: string }) => `联系人：${p.who} ${p.phone}`,
  askFrequency: '这是一次性服务，还是需要定期上门？',
  once: '单次',
  weekly: (p: { n: number }) => `每周${p.n}次`,
  biweekly: '每两周1次',
  monthly: '每月1次',
  summaryTitle: '请核对预约信息：',
  summary: (p: {
    service: string;
    time: string;
    address: string;
    who: string;
    phone: string;
    frequency: string;
    price: string;
    unit: string;
    includes: string;
    excludes: string;
    responsibilities: string;
  }) =>
    [
      `服务项目：${p.service}`,
      `上门时间：${p.time}`,
      `服务地址：${p.address}`,
      `联系人：${p.who} ${p.phone}`,
      `服务频次：${p.frequency}`,
      `收费标准：¥${p.price}/${p.unit}`,
      `服务内容：${p.includes}`,
      `温馨提示：${p.excludes}`,
      `双方责任：${p.responsibilities}`,
    ].join('\n'),
  confirm: '确认预约',
  changeTime: '修改时间',
  changeService: '修改服务',
  askWhatToChange: '好的，请问哪里需要修改？可以直接告诉我，例如“地址改成…”，或点下面的按钮：',
  serviceChanged: (p: { service: string }) => `好的，服务项目改成${p.service}，其他信息不变。`,
  changeAddress: '修改地址',
  changeName: '修改称呼',
  changePhone: '修改电话',
  changeFrequency: '修改频次',
  bookingNoted: (p: { service: string; time: string }) => `好的，${p.service}，${p.time}。`,
  askDropBooking: (p: { draft: string }) => `您还有一个预约没有填完（${p.draft}）。要放弃它，先办新的事吗？`,
  dropBooking: '放弃这个预约',
  carryOn: '好的，我们接着来：',
  hoursAnswer: (p: { open: string; close: string; hotline: string }) =>
    `上门服务时间是每天 ${p.open}–${p.close}（公司放假日除外）；在线客服随时可以留言，热线 ${p.hotline}。`,
  contactAnswer: (p: { hotline: string }) => `客服热线：${p.hotline}。在这里直接留言也可以；需要人工客服，请发送“转人工”。`,
  cannotAnswer: (p: { hotline: string }) => `这个问题我在这里回答不了，可以拨打热线 ${p.hotline} 咨询。我们先接着预约：`,
  howToCancel: '已经约好的服务，随时发送“取消预约”或“我的预约”就可以取消，不收取费用。',
  howToReschedule: '已经约好的服务，发送“改约”或“我的预约”就可以改时间，例如“改到周六上午10点”。',
  abandon: '不约了',
  confirmPrompt: '确认无误请点“确认预约”。',
  booked: (p: { number: string; time: string }) =>
    `预约成功！预约号：${p.number}\n上门时间：${p.time}\n我们会安排服务人员，并在上门前与您联系。如需改约或取消，发送“我的预约”即可。`,
  bookingAbandoned: '好的，这次先不约了。刚才填写的预约信息没有保存，也没有下单。需要时随时找我。',
  // My bookings, cancel, reschedule
  noBookings: '您目前没有待服务的预约。',
  bookingsTitle: '您的预约：',
  bookingLine: (p: { number: string; service: string; time: string; frequency: string; status: string }) =>
    `· ${p.number} ${p.service} ${p.time} ${p.frequency}（${p.status}）`,
  bookingPicked: (p: { number: string; service: string; time: string; frequency: string }) =>
    `预约 ${p.number}：${p.service}，${p.time}，${p.frequency}。需要改约还是取消？`,
  status: { requested: '待确认', confirmed: '已确认', assigned: '已派单', completed: '已完成', cancelled: '已取消' } as Record<
    string,
    string
  >,
  cancelButton: (p: { number: string }) => `取消 ${p.number}`,
  rescheduleButton: (p: { number: string }) => `改约 ${p.number}`,
  pickBookingToCancel: '请选择要取消的预约：',
  pickBookingToReschedule: '请选择要改约的预约：',
  bookingNotFound: '没有找到这个预约，它可能已经取消或不属于您。',
  confirmCancel: (p: { number: string; service: string; time: string }) =>
    `确定要取消预约 ${p.number}（${p.service}，${p.time}）吗？`,
  yesCancel: '确定取消',
  keepBooking: '保留预约',
  cancelled: (p: { number: string }) => `预约 ${p.number} 已取消。期待下次为您服务。`,
  keptBooking: '好的，预约保持不变。',
  askNewTime: (p: { number: string; service: string; time: string }) =>
    `预约 ${p.number}（${p.service}）原定 ${p.time}。请问改到什么时间？`,
  confirmReschedule: (p: { number: string; from: string; to: string }) =>
    `确认将预约 ${p.number} 从 ${p.from} 改到 ${p.to} 吗？`,
  yesReschedule: '确认改约',
  rescheduled: (p: { number: string; time: string }) => `预约 ${p.number} 已改到 ${p.time}。`,
  // Complaints: intake (DOMAIN §2, first contact 首问负责制)
  menuComplain: '投诉与建议',
  complainApology: '非常抱歉给您带来不好的体验，我代表公司向您致歉。您的问题由我负责记录并转交负责人，处理进展会主动告诉您。',
  askComplaintWhat: '请您说一下发生了什么？',
  complaintLeft: '好的，先不记录了。这条投诉没有提交，刚才说的内容也没有保存；需要时随时告诉我。',
  complaintTooShort: '请再多说一点发生了什么，方便我们尽快处理。',
  askComplaintBooking: '这件事和哪一次服务有关？',
  noBookingRelated: '和预约无关',
  askLoss: '这件事有没有给您造成经济损失？',
  lossYes: '有损失',
  lossNo: '没有损失',
  askLossAmount: '大约损失多少钱？可以写“两千元左右”。',
  lossUnknown: '说不清',
  amountInvalid: '没有看懂金额，请写一个大概的数字，例如“500元”，或点“说不清”。',
  askPrior: '这个问题之前向我们反映过吗？',
  priorNone: '第一次反映',
  priorOnce: '反映过1次',
  priorMany: '反映过2次及以上',
  askComplainantName: '请问怎么称呼您？例如“张先生”或“王女士”。',
  askComplainantPhone: '请留下手机号码，方便负责人与您联系：',
  complaintRecorded: (p: { number: string; forward: string; answer: string; resolve: string }) =>
    `您的投诉已记录，编号：${p.number}。\n我们承诺：${p.forward}转交负责人，${p.answer ? `${p.answer}前给您明确答复，` : ''}${p.resolve}前给您处理结果。处理进展我们会主动通知您，您不需要再次询问。`,
  gradeLabel: { major: '重大', important: '重要', minor: '轻微' } satisfies Record<Grade, string>,
  levelLabel: { contact: '部门接口人', department_head: '部门负责人', general_manager: '总经理' } satisfies Record<Level, string>,
  categoryLabel: {
    no_show: '未按约上门', late: '迟到', quality: '服务质量', damage: '物品损坏', loss: '物品丢失',
    attitude: '服务态度', price: '收费问题', safety: '安全问题', other: '其他',
  } as Record<string, string>,
  immediately: '立即',
  within: (p: { time: string }) => `在${p.time}前`,
  // Complaints: notices to the customer
  complaintClaimed: (p: { number: string; handler: string; resolve: string }) =>
    `您的投诉（编号 ${p.number}）已由${p.handler}负责处理，我们会在${p.resolve}前给您答复。`,
  complaintResolved: (p: { number: string; result: string }) => `您的投诉（编号 ${p.number}）已处理完毕：${p.result}`,
  complaintInvalid: (p: { number: string; explanation: string }) =>
    `关于您的投诉（编号 ${p.number}），经核实情况如下：${p.explanation}\n如您仍有疑问，请随时联系我们。`,
  callbackAsk: (p: { number: string; who: string }) =>
    `${p.who}您好，关于您的投诉（编号 ${p.number}），想跟您确认一下：问题解决了吗？`,
  solvedYes: '已解决',
  solvedNo: '还没解决',
  askSatisfied: '您对这次处理满意吗？',
  satisfiedYes: '满意',
  satisfiedNo: '不满意',
  callbackThanks: '感谢您的反馈，祝您生活愉快！',
  callbackReopened: (p: { number: string }) => `非常抱歉问题还没有解决。投诉 ${p.number} 已重新打开并转交上级负责人，我们会尽快联系您。`,
  callbackDone: '这条回访已经记录过了，谢谢您。',
  callbackAskReason: '请问还有哪里没解决？您说一下具体情况，我会一并转给负责人。',
  callbackReasonThanks: (p: { number: string }) => `收到，已把您说的情况补充到投诉 ${p.number}，负责人会尽快联系您。`,
  callbackNoReason: '好的，负责人会尽快联系您了解情况。',
  reopenedReasonPost: (p: { number: string; reason: string }) => `投诉 ${p.number} 客户补充（仍未解决的问题）：${p.reason}`,
  myComplaintNotFound: '没有找到这条投诉。',
  noComplaints: '您目前没有投诉记录。如需投诉或提建议，请直接告诉我发生了什么。',
  complaintsTitle: '您的投诉处理进度：',
  complaintLine: (p: { number: string; date: string; status: string; detail: string }) => `· ${p.number}（${p.date}）${p.status}${p.detail}`,
  complaintStatus: { open: '已转交负责人，等待处理', claimed: '处理中', resolved: '已处理', invalid: '已答复', closed: '已完结' } as Record<string, string>,
  complaintHandler: (p: { who: string; resolve: string }) => `，负责人：${p.who}，承诺${p.resolve}前处理完毕`,
  complaintDue: (p: { resolve: string }) => `，承诺${p.resolve}前处理完毕`,
  // Staff
  joined: (p: { role: string }) => `已加入，身份：${p.role}。`,
  joinRefused: '邀请码不正确。',
  joinUsage: '用法：/join <邀请码>',
  joinLockedOut: (p: { until: string }) => `尝试次数过多，请在 ${p.until} 之后再试。`,
  staffRefused: '抱歉，只有部门负责人和总经理可以查看和管理员工。',
  staffTitle: '员工名单（撤销身份：/revoke 编号）：',
  staffLine: (p: { n: number; name: string; role: string; platform: string; joined: string }) => `${p.n}. ${p.name} · ${p.role} · ${p.platform} · ${p.joined} 加入`,
  staffNone: '还没有员工加入。',
  staffUnnamed: '（未留名）',
  revokeUsage: '用法：/revoke <编号>（编号见 /staff）',
  revokeUnknown: '没有这个编号的员工，请先用 /staff 查看名单。',
  revokeNotAllowed: (p: { name: string; role: string }) => `您不能撤销${p.name}（${p.role}）的身份。`,
  revokeSelf: '不能撤销自己的身份。',
  revoked: (p: { name: string; role: string }) => `已撤销${p.name}的员工身份（${p.role}）。`,
  roleLabel: { front_desk: '前台客服', on_site: '上门服务人员', department_head: '部门负责人', general_manager: '总经理' } as Record<string, string>,
  notStaff: '只有公司员工可以操作，请先用邀请码加入：/join <邀请码>',
  notAllowed: (p: { needed: string }) => `您没有权限进行这个操作（需要：${p.needed}）。`,
  complaintPost: (p: {
    number: string; grade: string; level: string; flag: string; deadlines: string; customer: string;
    category: string; loss: string; prior: string; content: string; booking: string;
  }) =>
    [
      `【投诉 ${p.number}】${p.grade} · ${p.level}${p.flag}`,
      `期限：${p.deadlines}`,
      `客户：${p.customer}`,
      `类别：${p.category} · ${p.loss} · ${p.prior}`,
      `内容：${p.content}`,
      p.booking ? `预约：${p.booking}` : '',
    ].filter(Boolean).join('\n'),
  overdueHeader: (p: { missed: string; due: string }) => `⚠ 已超时：${p.missed}（期限 ${p.due}），升级处理`,
  missed: { forward: '转交', claim: '认领', coordinate: '协调', answer: '答复客户', resolve: '处理完毕', callback: '处理后回访' } as Record<string, string>,
  upgradedHeader: '⚠ 有效投诉一个月未合理解决，自动升级为重大投诉',
  reopenedHeader: '⚠ 客户回访反馈问题未解决，投诉重新打开',
  groupHeader: (p: { customers: number; days: number }) => `⚠ 群体投诉：${p.days}天内${p.customers}位客户反映同一问题`,
  lossNone: '无经济损失',
  lossAbout: (p: { amount: number }) => `损失约¥${p.amount}`,
  lossUnknownAmount: '有损失（金额不详）',
  priorFirst: '首次反映',
  priorTimes: (p: { n: number }) => `已反映${p.n}次`,
  groupFlag: ' · 群体投诉',
  deadlineItem: (p: { kind: string; time: string }) => `${p.kind} ${p.time}`,
  claimButton: '认领',
  resolveButton: '处理完成',
  invalidButton: '无效',
  regradeButton: '调整等级',
  claimedPost: (p: { number: string; who: string }) => `投诉 ${p.number} 已由${p.who}认领。`,
  alreadyClaimed: (p: { number: string; who: string }) => `投诉 ${p.number} 已由${p.who}认领。`,
  complaintClosed: (p: { number: string }) => `投诉 ${p.number} 已经结束，无需再操作。`,
  complaintUnknown: '没有找到这条投诉。',
  askResolution: (p: { number: string }) => `请输入投诉 ${p.number} 的处理结果（会发给客户）：`,
  askInvalidReason: (p: { number: string }) => `请输入给客户的说明，为什么投诉 ${p.number} 无效（请委婉）：`,
  askNewGrade: (p: { number: string; grade: string }) => `投诉 ${p.number} 现为${p.grade}，请选择新的等级：`,
  askRegradeReason: (p: { number: string; grade: string }) => `请输入把投诉 ${p.number} 调整为${p.grade}的原因：`,
  staffTextTooShort: '内容太短了，请写清楚一些。',
  resolvedPost: (p: { number: string; who: string }) => `投诉 ${p.number} 已由${p.who}处理完成，处理结果将发送给客户；如未能送达，会在这里提醒。`,
  invalidPost: (p: { number: string; who: string }) => `投诉 ${p.number} 已由${p.who}判定为无效，说明将发送给客户；如未能送达，会在这里提醒。`,
  /** Posted in the staff room when the customer could not be reached; `{reason}` is filled in at delivery time. */
  deliveryFailedPost: (p: { number: string; what: 'result' | 'explanation'; phone: string | null }) =>
    `⚠ 未能送达客户：投诉 ${p.number} 的${p.what === 'result' ? '处理结果' : '无效说明'}（原因：{reason}），${p.phone ? `请电话联系客户 ${p.phone}。` : '请通过其他方式联系客户。'}`,
  regradedPost: (p: { number: string; who: string; from: string; to: string; reason: string }) =>
    `投诉 ${p.number} 由${p.who}从${p.from}调整为${p.to}。原因：${p.reason}`,
  staffCancelled: '好的，已取消。',
  staffCancelButton: '取消',
  // Completion and the callback survey (DOMAIN §3)
  doneUsage: '用法：/done <预约号>，或只发送 /done 选择要标记完成的预约。',
  pickBookingToComplete: '请选择已完成的服务：',
  noBookingsToComplete: '目前没有待标记完成的预约。',
  bookingUnknown: '没有找到这个预约号。',
  bookingNotActive: (p: { number: string }) => `预约 ${p.number} 已完成或已取消。`,
  visitMarked: (p: { number: string; visit: number; at: string }) => `已标记预约 ${p.number} 第${p.visit}次服务完成，回访将于${p.at}发出。`,
  confirmCompletion: (p: { date: string; service: string; number: string }) =>
    `您好，您${p.date}的${p.service}服务（预约号 ${p.number}）服务人员已标记完成，请您确认：`,
  confirmDone: '确认已完成',
  disputeDone: '还没有完成',
  completionThanks: '感谢您的确认！',
  completionDisputed: '非常抱歉，我们已请前台核实，会尽快与您联系。',
  completionAlreadyDisputed: '我们已经收到您的反馈，前台正在核实，会尽快与您联系。',
  completionDisputedPost: (p: { number: string; who: string }) => `⚠ 客户${p.who}表示预约 ${p.number} 的服务没有完成，请核实。`,
  identityYes: '是我',
  identityNo: '不是',
  surveyWrongPerson: '非常抱歉打扰您了，祝您生活愉快！',
  surveyWrongPersonPost: (p: { number: string }) => `回访（预约 ${p.number}）：接听人表示不是本人，请前台核实联系方式后电话回访。`,
  overallLabel: { satisfied: '满意', average: '一般', dissatisfied: '不满意' } as Record<string, string>,
  qualityLabel: { satisfied: '满意', basic: '基本满意', dissatisfied: '不满意' } as Record<string, string>,
  timelinessLabel: { timely: '及时', average: '一般', late: '不及时' } as Record<string, string>,
  surveyQualityQuestion: '服务质量您觉得怎么样？',
  surveyTimelinessQuestion: '服务人员上门是否及时？',
  surveyNoComment: '没有了',
  surveyPassedOn: (p: { number: string }) => `您反映的问题已转交负责人处理（投诉编号 ${p.number}），处理进展会主动通知您。`,
  surveyReminder: '（提醒）',
  surveyDone: '这次回访已经完成，谢谢您。',
  surveyUnknown: '没有找到这次回访。',
  phoneTaskPost: (p: { number: string; customer: string; service: string; date: string; due: string }) =>
    `【电话回访 预约${p.number}】${p.customer}，${p.date} ${p.service}。线上回访未完成，请在${p.due}前电话回访并记录结果。`,
  phoneRecordButton: '记录回访结果',
  phoneReveal: (p: { who: string; phone: string }) => `请致电${p.who} ${p.phone}，按回访脚本询问后逐项记录：`,
  surveyRecorded: '回访结果已记录。',
  phoneInPrivate: (p: { number: string }) => `（完整号码请私聊机器人发送 /call ${p.number}）`,
  callPrivateOnly: '为保护客户隐私，请在与机器人的私聊中发送 /call <预约号>。',
  callNumber: (p: { who: string; phone: string }) => `${p.who}：${p.phone}`,
  // Manager reports (DOMAIN §4)
  reportRefused: '抱歉，统计报表仅向部门负责人和总经理提供。',
  reportUsage: '请告诉我要哪段时间的报表，例如：/report、/report 2026-10、/report 2026-10-01 2026-10-15、/report week、本月报表、上月统计、最近7天投诉情况。',
  reportChart: `图表：投诉等级与${ON_TIME_RATE}、客户满意度`,
  reportOnTimeRate: ON_TIME_RATE,
  reportSheet: '明细：投诉处理记录汇总表、客户月回访信息登记表',
  reportMonthly: (p: { label: string }) => `【月度报表】${p.label}`,
  reportSummary: (p: {
    label: string; total: number; major: number; important: number; minor: number; previous: string;
    onTime: string; response: string; resolution: string; completion: string; callbacks: string; satisfaction: string; quality: string; timeliness: string;
  }) =>
    [
      `【${p.label} 服务统计】`,
      `投诉 ${p.total} 件（重大 ${p.major} / 重要 ${p.important} / 轻微 ${p.minor}）${p.previous}`,
      `${ON_TIME_RATE}：${p.onTime}`,
      `响应时间：${p.response}；处理时长：${p.resolution}`,
      `服务完成率：${p.completion}`,
      `3天内回访：${p.callbacks}（目标 100%）`,
      `满意度：${p.satisfaction}`,
      `服务质量：${p.quality}`,
      `服务及时：${p.timeliness}`,
    ].join('\n'),
  workOrderReportTitle: '派工单（按部门）：',
  workOrderReportNone: '派工单：本期没有',
  workOrderReportLine: (p: { department: string; posted: number; accepted: number; completed: number; declined: number; lateNotices: number; lateUnannounced: number; accept: string; calledBack: number }) =>
    `· ${p.department}：派工 ${p.posted}，接单 ${p.accepted}，完成 ${p.completed}，拒单 ${p.declined} 次，迟到报备 ${p.lateNotices}，未报备迟到 ${p.lateUnannounced}，平均接单用时 ${p.accept}，24小时内回访 ${p.calledBack}`,
  minutesMean: (p: { minutes: string }) => `${p.minutes} 分钟`,
  previousCompare: (p: { count: number; delta: string }) => `，上期 ${p.count} 件（${p.delta}）`,
  minutesMedian: (p: { median: string; p90: string }) => `中位 ${p.median} 分钟（P90 ${p.p90} 分钟）`,
  hoursMedian: (p: { median: string; p90: string }) => `中位 ${p.median} 小时（P90 ${p.p90} 小时）`,
  noData: '无数据',
  onTimePending: (p: { count: number }) => `（未到期 ${p.count} 件）`,
  // Formatting
  weekdays: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  // `year` is given only when it is not the current year.
  dateTime: (p: { year?: number; month: number; day: number; weekday: string; time: string }) =>
    `${p.year ? `${p.year}年` : ''}${p.month}月${p.day}日（${p.weekday}）${p.time}`,
  dateOnly: (p: { year?: number; month: number; day: number; weekday: string }) =>
    `${p.year ? `${p.year}年` : ''}${p.month}月${p.day}日（${p.weekday}）`,
  dayLabel: (p: { year?: number; month: number; day: number }) => `${p.year ? `${p.year}年` : ''}${p.month}月${p.day}日`,
  listSeparator: '、',
  who: (p: { name: string; salutation: string }) => `${p.name}${p.salutation}`,
  // Work orders (派工单, DOMAIN §1)
  woPost: (p: { number: string; service: string; time: string; address: string; customer: string; phone: string; department?: string }) =>
    [`【派工单 ${p.number}】${p.service} · ${p.time}`, `地址：${p.address}`, `客户：${p.customer} ${p.phone}`, ...(p.department ? [`部门：${p.department}`] : [])].join('\n'),
  woAssignButton: '派单',
  woTakeButton: '我来接',
  woPickWorker: (p: { number: string }) => `请选择派工单 ${p.number} 的上门服务人员（括号内为当天已有的上门次数）：`,
  woWorkerLabel: (p: { name: string; visits: number }) => `${p.name}（当天${p.visits}单）`,
  woNoWorkers: '还没有上门服务人员加入（/join <邀请码>）。您也可以点“我来接”自己接单。',
  woAlreadyAssigned: (p: { number: string; who: string }) => `派工单 ${p.number} 已派给${p.who}。`,
  woAssignNotAllowed: '只有前台、部门负责人或总经理可以派给他人；您可以点“我来接”。',
  woAssigned: (p: { number: string; who: string }) => `已将派工单 ${p.number} 派给${p.who}，等待其接单。`,
  woCardUndelivered: (p: { number: string; who: string }) =>
    `⚠ 派工单 ${p.number} 没能发给${p.who}：对方还没有私聊过机器人（或已屏蔽机器人），机器人不能主动发起私聊。请让${p.who}私聊机器人发送 /start 或 /jobs，即可查看并接单；或点下面的按钮改派他人。`,
  woUnknown: '没有找到这张派工单。',
  woNotYours: '这张派工单不是派给您的。',
  woWorkerCard: (p: { number: string; service: string; time: string; address: string; customer: string; phone: string; fee: string; includes: string; excludes: string; responsibilities: string }) =>
    [
      `【派工单 ${p.number}】请按约定时间准时上门`,
      `服务：${p.service}`,
      `时间：${p.time}`,
      `地址：${p.address}`,
      `联系人：${p.customer} ${p.phone}`,
      `费用：${p.fee}`,
      `服务内容：${p.includes}`,
      `不含：${p.excludes}`,
      `责任：${p.responsibilities}`,
    ].join('\n'),
  woAcceptButton: '接单',
  woDeclineButton: '拒单',
  woAccepted: (p: { number: string; time: string }) => `已接单 ${p.number}，请于${p.time}准时上门。有变化请点下面的按钮；/jobs 查看今明两天的上门服务。`,
  woAcceptedPost: (p: { number: string; who: string }) => `✅ ${p.who}已接派工单 ${p.number}。`,
  woWhoIsComing: (p: { service: string; number: string; time: string; worker: string }) =>
    `您预约的${p.service}（${p.number}）将由服务人员${p.worker}于${p.time}上门，请您届时留意。`,
  woAskDecline: (p: { number: string }) => `请写明拒单 ${p.number} 的原因：`,
  woDeclined: (p: { number: string }) => `已退回派工单 ${p.number}，前台会重新派单。`,
  woDeclinedPost: (p: { number: string; who: string; reason: string }) => `↩️ ${p.who}拒绝了派工单 ${p.number}，原因：${p.reason}。请重新派单。`,
  woReasonTooShort: '请写一下原因（至少2个字）。',
  woLateButton: '会迟到',
  woArrivedButton: '已到达',
  woDoneButton: '服务完成',
  woDiffButton: '现场有出入（按实际收费）',
  woAskDelay: (p: { number: string; time: string }) => `预计晚到多久？（${p.number} 原定${p.time}）请选择，或回复分钟数，例如“40”：`,
  woDelayLabel: (p: { minutes: number }) => (p.minutes >= 60 ? `${p.minutes / 60}小时` : `${p.minutes}分钟`),
  woDelayInvalid: '请选择下面的时间，或回复晚到的分钟数，例如“40”。',
  woLateSent: (p: { number: string; time: string }) => `已向客户致歉并请其确认新时间${p.time}（${p.number}），客户答复后会通知您。`,
  woCustomerLate: (p: { who: string; service: string; number: string; old: string; time: string }) =>
    `${p.who}，非常抱歉，服务人员因临时急事无法按约定的${p.old}到达，预计${p.time}上门（${p.service}，${p.number}）。请问这个时间可以吗？`,
  woKeepButton: '可以，按新时间',
  woOtherTimeButton: '改约其他时间',
  woCancelButton: '取消预约',
  woKept: (p: { time: string }) => `好的，服务人员将于${p.time}上门，感谢您的理解。`,
  woKeptWorker: (p: { number: string; time: string }) => `客户同意新时间：${p.number} ${p.time}。`,
  woReconfirmOverduePost: (p: { number: string; customer: string; phone: string; time: string }) =>
    `⚠ 客户未答复迟到改时：派工单 ${p.number}，新时间${p.time}，客户 ${p.customer} ${p.phone}，请电话联系确认。`,
  woArrived: (p: { number: string }) => `已记录到达（${p.number}）。完成后请点“服务完成”；现场与预约不符时点“现场有出入”，记录实际工作和费用，由客户确认。`,
  woArriveTooEarly: (p: { number: string; time: string; from: string }) =>
    `还没到上门时间：派工单 ${p.number} 约定${p.time}，最早${p.from}起可以标记到达。到了客户家再点“已到达”。`,
  woArriveFirst: (p: { number: string }) => `请先在到达客户家时点“已到达”（${p.number}），完成服务后再标记完成。`,
  woLatePost: (p: { number: string; who: string; minutes: number; time: string; arrived: boolean }) =>
    p.arrived
      ? `⏰ 迟到记录：${p.who}的派工单 ${p.number}（约定${p.time}）未提前告知，晚到${p.minutes}分钟。`
      : `⏰ 迟到记录：${p.who}的派工单 ${p.number}（约定${p.time}）已超过${p.minutes}分钟未到达，也未提前告知，请联系服务人员和客户。`,
  woAskActual: (p: { number: string; fee: string }) => `请写明现场实际的工作内容和费用（${p.number} 预约价 ${p.fee}），例如“多擦了两扇窗，共380元”：`,
  woActualInvalid: '请写明实际工作内容和费用金额，例如“厨房多了油烟机清洗，共330元”。',
  woActualSent: (p: { number: string; fee: string }) => `已请客户确认实际工作和费用 ${p.fee}（${p.number}），客户确认后即完成。`,
  woCustomerFee: (p: { service: string; number: string; work: string; fee: string; booked: string }) =>
    `您的${p.service}（${p.number}）现场情况与预约不同，服务人员记录的实际工作：${p.work}\n费用：${p.fee}（预约价 ${p.booked}）。请确认：`,
  woFeeYes: '确认',
  woFeeNo: '有异议',
  woFeeConfirmed: '感谢您的确认，费用按实际工作收取。',
  woFeeConfirmedWorker: (p: { number: string; fee: string }) => `客户已确认实际工作和费用 ${p.fee}，${p.number} 已完成。`,
  woFeeDisputed: (p: { hotline: string }) => `好的，前台会尽快与您联系核实费用，也可拨打 ${p.hotline}。`,
  woFeeDisputedPost: (p: { number: string; customer: string; phone: string; work: string; fee: string }) =>
    `⚠ 客户对实际费用有异议：派工单 ${p.number}，${p.work}，${p.fee}。客户 ${p.customer} ${p.phone}，请联系处理。`,
  woFeeDisputedWorker: (p: { number: string }) => `客户对 ${p.number} 的实际费用有异议，前台会联系客户，请稍候。`,
  woNotNow: (p: { number: string; status: string }) => `派工单 ${p.number} 当前为“${p.status}”，不能进行这个操作。`,
  woStatusLabel: { open: '待派单', assigned: '待接单', accepted: '已接单', arrived: '已到达', fee_pending: '待客户确认费用', fee_disputed: '费用有异议', completed: '已完成' } as Record<string, string>,
  woReminder: (p: { who: string; service: string; time: string; number: string; worker?: string }) =>
    `${p.who}您好，提醒您：${p.time}有${p.service}服务（${p.number}）${p.worker ? `，服务人员${p.worker}` : ''}。请提前收好贵重物品。如需改约或取消，请点下面的按钮。`,
  woMovedWorker: (p: { number: string; time: string }) => `派工单 ${p.number} 的客户已改约到${p.time}，请按新时间上门。`,
  woCancelledWorker: (p: { number: string }) => `派工单 ${p.number} 的客户已取消预约，无需上门。`,
  jobsTitle: '您今天和明天的上门服务，以及等您接单的派工单：',
  jobsNone: '您今天和明天没有上门服务，也没有等您接单的派工单。',
  jobsLine: (p: { time: string; number: string; service: string; address: string; customer: string; phone: string; status: string }) =>
    `· ${p.time} ${p.number} ${p.service} · ${p.address} · ${p.customer} ${p.phone} · ${p.status}`,
  jobsInGroup: '完整地址和电话只在与我的私聊中显示。',
  joinDepartmentUnknown: (p: { departments: string }) => `没有这个部门。可选：${p.departments}（/join <邀请码> <部门>）`,
  joinedDepartment: (p: { role: string; department: string }) => `已加入，身份：${p.role}，部门：${p.department}。`,
  joinedOpenPrivate: '请现在私聊机器人，发送 /start：派工单和转人工的消息会发到您与机器人的私聊里，而机器人不能主动发起私聊。',
  // The customer file (客户信息档案), /customer
  customerUsage: '用法：/customer <预约编号或投诉编号>（仅限与我的私聊）',
  customerPrivateOnly: '客户档案只在与我的私聊中查看，请私聊我发送 /customer <编号>。',
  customerUnknown: '没有找到这个编号的预约或投诉。',
  customerHeader: (p: { id: number; who: string; phone: string; address: string; since: string }) =>
    [`【客户档案 #${p.id}】${p.who}`, `电话：${p.phone}`, `地址：${p.address}`, `首次联系：${p.since}`].join('\n'),
  customerErased: '（该客户已按个人信息保护法删除个人信息）',
  customerBookings: '预约：',
  customerBookingLine: (p: { number: string; service: string; time: string; status: string; workOrder: string }) => `· ${p.number} ${p.service} ${p.time} · ${p.status}${p.workOrder}`,
  customerWorkOrder: (p: { status: string; worker?: string }) => ` · 派工：${p.status}${p.worker ? `（${p.worker}）` : ''}`,
  customerComplaints: '投诉：',
  customerComplaintLine: (p: { number: string; time: string; grade: string; category: string; status: string }) => `· ${p.number} ${p.time} · ${p.grade} · ${p.category} · ${p.status}`,
  customerSurveys: '回访：',
  customerSurveyLine: (p: { booking: string; visit: number; time: string; status: string; overall: string }) => `· ${p.booking} 第${p.visit}次（${p.time}）· ${p.status}${p.overall}`,
  customerNone: '· 无',
  customerHandovers: '转人工：',
  customerHandoverLine: (p: { number: string; time: string; reason: string; status: string; handler?: string }) =>
    `· ${p.number}（${p.time}）· ${p.reason} · ${p.status}${p.handler ? `（${p.handler}）` : ''}`,
  handoverStatusLabel: { waiting: '等待接待', live: '人工服务中', ended: '已结束' } as Record<string, string>,
  bookingStatusLabel: { requested: '待确认', confirmed: '已确认', assigned: '已派工', completed: '已完成', cancelled: '已取消' } as Record<string, string>,
  complaintStatusLabel: { open: '待认领', claimed: '处理中', resolved: '已处理', invalid: '无效', closed: '已回访关闭' } as Record<string, string>,
  surveyStatusLabel: { scheduled: '待发送', sent: '已发送', reminded: '已提醒', answered: '已回访', phone: '转电话回访', declined: '非本人' } as Record<string, string>,
  errorRetry: '抱歉，系统刚才出了点问题，您的信息没有丢失，请稍后再发一次。',
  // Handover to a person (转人工, DOMAIN §5 首问负责)
  handoverOpen: (p: { number: string; minutes: number; hotline: string }) =>
    `好的，正在为您转接人工客服（编号 ${p.number}），预计 ${p.minutes} 分钟内会有客服回复您；想直接通话请拨打热线 ${p.hotline}。在此期间您发的消息都会转给客服；要结束人工服务，请点“结束人工服务”或发送 /end。`,
  handoverClosed: (p: { number: string; opens: string; hotline: string }) =>
    `好的，已为您转接人工客服（编号 ${p.number}）。现在不在客服工作时间，客服将在 ${p.opens} 上班后尽快回复您；急事请拨打热线 ${p.hotline}。在此期间您发的消息都会转给客服；要结束人工服务，请点“结束人工服务”或发送 /end。`,
  handoverEndButton: '结束人工服务',
  handoverClaimedCustomer: (p: { who: string }) => `客服 ${p.who} 已接入，正在为您服务。`,
  handoverStaffSays: (p: { who: string; text: string }) => `【客服 ${p.who}】${p.text}`,
  handoverBack: '人工服务已结束，智能客服回来为您服务了。我可以帮您：预约服务、查看价目表、查看/改约/取消预约、投诉与建议；也可以随时发送“转人工”再找客服。',
  handoverIdleCustomer: (p: { minutes: number }) => `人工服务已有 ${p.minutes} 分钟没有新消息，已自动结束。`,
  handoverReason: { asked: '客户要求人工服务', not_understood: '机器人连续两次没能理解客户', angry_complaint: '投诉尚未认领，客户再次来信且情绪激动' } as Record<string, string>,
  handoverPost: (p: { number: string; reason: string; customer: string; at: string; by: string; owner: string; recent: string }) =>
    [
      `🙋 转人工 ${p.number}`,
      `原因：${p.reason}`,
      `客户：${p.customer}`,
      `时间：${p.at}，请在 ${p.by} 前认领`,
      ...(p.owner ? [p.owner] : []),
      `最近的消息：\n${p.recent}`,
    ].join('\n'),
  /** How staff talk to the customer, in the words of the room's platform. */
  handoverHowTo: {
    telegram: '认领后，回复本消息或客户的消息即可与客户对话（也可在与我的私聊中直接回复）；结束请点“结束”或回复 /end。',
    slack: '认领后，在本消息的线程里回复即可与客户对话；结束请点“结束”。',
    wechat: '认领后，引用本消息或客户的消息回复，或在开头写上编号（如“RG… 您好”），即可与客户对话；也可在与我的私聊中直接回复；结束请回复“结束”前的数字或发送 /end。',
    console: '认领后，直接输入即回复最后显示的消息；结束请点“结束”或输入 /end。',
  } as Record<string, string>,
  handoverOwnerLine: (p: { who: string }) => `首问负责：该客户 7 天内由 ${p.who} 接待过，请 ${p.who} 优先认领。`,
  handoverOwnerCopy: (p: { number: string }) => `您接待过的客户又在找人工客服（${p.number}），请优先认领：`,
  handoverEscalated: (p: { number: string; level: string }) => `⚠ 转人工 ${p.number} 到期无人认领，已上报${p.level}：`,
  handoverClaimButton: '认领',
  handoverEndStaffButton: '结束',
  handoverIn: (p: { number: string; text: string }) => `【${p.number} 客户】${p.text}`,
  handoverClaimedPost: (p: { number: string; who: string }) =>
    `${p.who} 已认领转人工 ${p.number}。回复转人工消息即可与客户对话；结束请点“结束”或回复 /end。`,
  handoverTakenBy: (p: { number: string; who: string }) => `转人工 ${p.number} 已由 ${p.who} 负责，客户的消息会继续转到这里。`,
  handoverReserved: (p: { number: string; who: string; until: string }) =>
    `首问负责：转人工 ${p.number} 先请 ${p.who} 认领，${p.until} 后仍无人认领时其他同事可以认领。`,
  handoverGone: (p: { number: string }) => `转人工 ${p.number} 已经结束。`,
  handoverEndedPost: (p: { number: string; who: string; minutes: number }) => `转人工 ${p.number} 已由${p.who}结束，共 ${p.minutes} 分钟。`,
  handoverEndedByCustomer: '客户',
  handoverIdlePost: (p: { number: string; minutes: number }) => `转人工 ${p.number} 已有 ${p.minutes} 分钟没有新消息，已自动结束，客户已收到通知。`,
  handoverWhichOne: '请回复要结束的转人工消息发送 /end，或点该消息下的“结束”。',
  handoverNoneOpen: '您现在没有进行中的人工服务。',
  handoverLeftBooking: '您刚才填写的预约还没有提交，也没有下单；已经填好的内容已一并转给客服，客服可以帮您接着约。',
  handoverDraftBooking: (p: { service: string; time: string; address: string; who: string; phone: string; frequency: string }) =>
    `未提交的预约草稿：服务 ${p.service}；时间 ${p.time}；地址 ${p.address}；联系人 ${p.who}；电话 ${p.phone}；频次 ${p.frequency}`,
  handoverDraftUnfilled: '未填',
  handoverLeftComplaint: '您刚才说的投诉还没有提交，也没有记录，请把情况直接告诉客服。',
  handoverPickOne: (p: { list: string; example: string }) =>
    `您正在负责多个转人工，请在消息前写上编号，例如“${p.example} 您好”：\n${p.list}`,
  handoverReportLine: (p: { total: number; claimed: number; claim: string; duration: string }) =>
    `转人工：${p.total} 次，已认领 ${p.claimed} 次；认领用时 ${p.claim}；人工服务时长 ${p.duration}`,
  // Erasure of the customer's personal data on request (个人信息保护法)
  eraseExplain: [
    '您可以要求删除您在本公司留下的个人信息。确认后将删除：',
    '· 您的姓名、称呼、电话、地址和昵称；',
    '· 与我们的聊天记录和未完成的对话；',
    '· 预约、投诉和回访中的联系方式，以及您写下的投诉内容和回访意见。',
    '为公司的服务统计，将保留匿名的预约、投诉和回访记录（服务项目、日期、状态、评分），这些记录不再能与您对应。',
    '删除后无法恢复，以后再联系我们将作为新客户。确认删除吗？',
  ].join('\n'),
  eraseConfirmButton: '确认删除',
  eraseKeepButton: '不删除',
  eraseAsk: '请点“确认删除”删除您的个人信息，或点“不删除”保留。',
  eraseDone: '您的个人信息已删除，聊天记录也已清除。感谢您的信任，如需服务欢迎随时联系我们。',
  eraseKept: '好的，没有删除任何内容，您的信息保持不变。',
  eraseWait: (p: { bookings: number; complaints: number; hotline: string }) =>
    [
      '您的信息暂时还不能删除：',
      ...(p.bookings > 0 ? [`· 您还有 ${p.bookings} 个未完成的预约，上门服务需要您的地址和电话。请先发送“取消预约”取消，或等服务完成后再申请；`] : []),
      ...(p.complaints > 0 ? [`· 您还有 ${p.complaints} 个正在处理的投诉，处理人需要联系您。处理完毕后即可申请删除；`] : []),
      `如有疑问请拨打热线 ${p.hotline}。`,
    ].join('\n'),
  erasedPost: (p: { customer: number }) =>
    `🔒 客户 #${p.customer} 已按《个人信息保护法》申请删除个人信息，系统中的姓名、电话、地址和聊天记录已删除，预约、投诉和回访记录已匿名保留用于统计。如纸质表格或通话记录中有该客户的信息，请一并删除。`,
};

export type Messages = typeof zh;
