/**
 * What the bot says, in Simplified Chinese (the default). Polite and patient, addressing people by
 * surname plus 先生/女士 (DOMAIN intro, [002]). Every catalog implements the same `Messages` shape.
 */
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
  emptyMessage: '您好，我没有收到文字内容。',
  tooLong: (p: { max: number }) => `消息太长了（最多${p.max}个字），请简短描述一下。`,
  notYetComplaints: (p: { hotline: string }) =>
    `非常抱歉给您带来不便。在线投诉受理暂未开通，请拨打客服热线 ${p.hotline}，我们会第一时间为您处理。`,
  notYetHuman: (p: { hotline: string }) => `人工客服请拨打热线 ${p.hotline}，我们会尽快为您服务。`,
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
  timeNotUnderstood: '抱歉，没有看懂时间。可以说“明天下午三点”“11月25日14:00”，或点选下面的时间：',
  askAddress: '请告诉我服务地址（小区、楼栋、门牌号）：',
  useSavedAddress: (p: { address: string }) => `使用：${p.address}`,
  addressInvalid: '地址好像不完整，请写明小区、楼栋和门牌号，例如“阳光小区3栋2单元501”。',
  askName: '请问怎么称呼您？例如“张先生”或“王女士”。',
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
  abandon: '不约了',
  confirmPrompt: '确认无误请点“确认预约”。',
  booked: (p: { number: string; time: string }) =>
    `预约成功！预约号：${p.number}\n上门时间：${p.time}\n我们会安排服务人员，并在上门前与您联系。如需改约或取消，发送“我的预约”即可。`,
  bookingAbandoned: '好的，已为您取消本次预约填写。需要时随时找我。',
  // My bookings, cancel, reschedule
  noBookings: '您目前没有待服务的预约。',
  bookingsTitle: '您的预约：',
  bookingLine: (p: { number: string; service: string; time: string; status: string }) =>
    `· ${p.number} ${p.service} ${p.time}（${p.status}）`,
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
  // Formatting
  weekdays: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  dateTime: (p: { month: number; day: number; weekday: string; time: string }) =>
    `${p.month}月${p.day}日（${p.weekday}）${p.time}`,
  dateOnly: (p: { month: number; day: number; weekday: string }) => `${p.month}月${p.day}日（${p.weekday}）`,
  listSeparator: '、',
  who: (p: { name: string; salutation: string }) => `${p.name}${p.salutation}`,
  errorRetry: '抱歉，系统刚才出了点问题，您的信息没有丢失，请稍后再发一次。',
};

export type Messages = typeof zh;
