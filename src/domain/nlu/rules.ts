/**
 * The keyword rules of intent, as they were before the learned classifier: checked in a fixed
 * order of precedence so that mixed messages land sensibly ("取消明天的保洁" is a cancellation,
 * "我要投诉保洁阿姨" a complaint). Kept for two uses: `npm run nlu:eval` and the bench measure
 * the classifier against them, and each rule that matches is a feature the classifier weighs
 * (`ruleCues`).
 */
import { normalizeText } from './extract.ts';

/** The intents the keyword rules know (a subset of the classifier's). */
export type RulesIntent = 'help' | 'price' | 'book' | 'bookings' | 'cancel' | 'reschedule' | 'complain' | 'human' | 'unknown';

const COMPLAIN =
  /投诉|举报|不满意|太差|很差|真差|差劲|差评|打碎|打破|摔碎|摔坏|弄坏|搞坏|损坏|弄脏|划伤|刮花|没来(?!得及)|没有来|没上门|放鸽子|迟到|态度差|态度不好|态度恶劣|态度很差|偷|丢了|丢失|赔偿|\bcomplain(?:t|ts|ed|ing)?\b|\bbroke(?:n)?\b|\bdamage[ds]?\b|didn'?t (?:show|come|turn up)|did not (?:show|come|turn up)|\bno[- ]show\b|\bnever (?:came|showed|turned up)\b|\brude\b|\bstole(?:n)?\b|\btheft\b|\bunhappy\b|\bnot happy\b|\bdissatisfied\b|\bterrible\b|\bawful\b|\b(?:was|were|came|arrived|is|are) late\b/;
const HUMAN =
  /人工(?!费)|真人|活人|\bhuman\b|\bagent\b|\boperator\b|\brepresentative\b|\breal person\b|\b(?:talk|speak|chat) (?:to|with) (?:a |an |some)?(?:one|body|person|human|staff|manager)\b/;
const RESCHEDULE =
  /改期|改时间|改个时间|改一下时间|改约|改到|改成|改在|换个时间|换时间|换一个时间|换到|换一天|换个日子|调整时间|调一下时间|\breschedul\w*|\bchange (?:the |my )?(?:time|date|day|booking|appointment|schedule)\b|\bmove (?:my |the )?(?:booking|appointment|visit)\b|\bmove it\b/;
const CANCEL = /取消|不要了|不约了|不用来了|别来了|退订|退单|撤单|\bcancel\w*|\bcall (?:it )?off\b/;
const RESCHEDULE_WEAK = /推迟|延期|延后|推后|往后推|提前(?!几|多)|\bpostpone\w*|\bdelay\b|\bearlier\b/;
const BOOKINGS =
  /我的(?:预约|订单)|(?:查|查询|查看|看看|看一下)(?:一下)?(?:我的)?(?:预约|订单)|(?:预约|订单)(?:记录|列表|状态|情况)|我约了|约了(?:什么|哪些|几个)|有哪些预约|\bmy (?:bookings?|orders?|appointments?|reservations?)\b|\b(?:show|list|view|check|see)(?: me)? (?:my |all )?(?:bookings?|orders?|appointments?|reservations?)\b/;
const PRICE =
  /多少钱|价格|价钱|价位|收费|费用|价目|报价|怎么算钱|怎么收|几块|多少一|贵不贵|贵吗|\bprices?\b|\bpricing\b|\bhow much\b|\bcosts?\b|\bfees?\b|\brates?\b|\bquote\b/;
const BOOK =
  /预约|预订|预定|下单|下个单|约一?下|我要约|想约|帮我约|约个|约一个|请个?阿姨|找个?阿姨|请人|找人|来打扫|上门|安排|\bbook(?:ing)?\b|\breserv\w*|\bappointment\b|\bschedule\b|\bneed (?:a|an|some|someone)\b|\bwant (?:a|an|to book)\b|\bhire\b|^\/book\b/;
const HELP =
  /帮助|菜单|能做什么|可以做什么|能干什么|有什么服务|有哪些服务|提供什么|什么服务|都有什么|功能|^\/?(?:start|help|menu)\b|\bhelp\b|\bmenu\b|\bwhat can you do\b/;
/** Generic housekeeping vocabulary: naming a service alone means the customer wants it. */
const SERVICE_WORDS =
  /保洁|清洁|打扫|卫生|钟点工|小时工|开荒|托管|消杀|杀虫|除虫|灭蟑|灭鼠|除螨|绿植|清洗|空调|窗帘|玻璃|擦窗|保姆|阿姨|月嫂|育儿嫂|带孩子|带娃|做饭|烹饪|陪护|护工|照顾老人|油烟机|\bclean(?:ing|er|ers)?\b|\bnann(?:y|ies)\b|\bbabysit\w*|\bhousekeep\w*|\bcook(?:ing)?\b|\bmaids?\b|\baircon\b|\bcurtains?\b|\bwindows?\b/;
const CUSTOMER_SERVICE = /客服|\bcustomer service\b/;
const GREETING = /你好|您好|在吗|在不在|在么|哈喽|哈啰|嗨|早上好|下午好|晚上好|\bhello\b|\bhi\b|\bhey\b|\bgood (?:morning|afternoon|evening)\b/;

/** Intent rules in order of precedence: the first that matches decides. */
const INTENT_RULES: ReadonlyArray<readonly [string, RegExp, RulesIntent]> = [
  ['complain', COMPLAIN, 'complain'],
  ['human', HUMAN, 'human'],
  ['reschedule', RESCHEDULE, 'reschedule'],
  ['cancel', CANCEL, 'cancel'],
  ['reschedule_weak', RESCHEDULE_WEAK, 'reschedule'],
  ['bookings', BOOKINGS, 'bookings'],
  ['price', PRICE, 'price'],
  ['book', BOOK, 'book'],
  ['help', HELP, 'help'],
  ['service', SERVICE_WORDS, 'book'],
  ['customer_service', CUSTOMER_SERVICE, 'human'],
  ['greeting', GREETING, 'help'],
];

/**
 * Today's rules: complain > human > reschedule (改到/改期) > cancel > reschedule (推迟/提前) >
 * bookings > price > book > help > a service word (book) > 客服 (human) > greeting (help) > unknown.
 */
export function rulesIntent(text: string): RulesIntent {
  const s = normalizeText(text).trim();
  if (s === '') return 'unknown';
  for (const [, re, intent] of INTENT_RULES) if (re.test(s)) return intent;
  return 'unknown';
}

/** The names of every rule that matches an already normalized text, in rule order. */
export function ruleCues(normalized: string): string[] {
  const out: string[] = [];
  for (const [name, re] of INTENT_RULES) if (re.test(normalized)) out.push(name);
  return out;
}
