/**
 * The peer of the booking bench (test/bench/peer.ts): the same seven-turn booking conversation as
 * a Microsoft Bot Framework waterfall dialog (botbuilder-dialogs 4.23) with `MemoryStorage` (no
 * persistence), driven through `TestAdapter.processActivity`, one conversation after another.
 * Prints one line, `DONE <json>` ({ turns, elapsedMs, latencies }), like booking-instance.ts.
 * Usage: node test/bench/peer/waterfall.mjs <conversations> <warmUp>
 */
import { performance } from 'node:perf_hooks';
import { ConversationState, MemoryStorage, TestAdapter } from 'botbuilder-core';
import { DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog } from 'botbuilder-dialogs';

const [conversationsArg, warmUpArg] = process.argv.slice(2);
const SCRIPT = ['你好', '明天下午三点日常保洁', '阳光小区3栋2单元501', '张先生', '13800138000', '1', '是'];

const storage = new MemoryStorage();
const conversationState = new ConversationState(storage);
const dialogs = new DialogSet(conversationState.createProperty('dialogState'));
dialogs.add(new TextPrompt('text'));
dialogs.add(
  new WaterfallDialog('booking', [
    async (step) => step.prompt('text', '您好!请问需要什么服务,什么时间?'),
    async (step) => {
      step.values.service = step.result;
      return step.prompt('text', '请问服务地址?');
    },
    async (step) => {
      step.values.address = step.result;
      return step.prompt('text', '请问您怎么称呼?');
    },
    async (step) => {
      step.values.name = step.result;
      return step.prompt('text', '请留一个联系电话。');
    },
    async (step) => {
      step.values.phone = step.result;
      return step.prompt('text', '只做一次,还是每周/每两周?');
    },
    async (step) => {
      step.values.frequency = step.result;
      return step.prompt('text', `确认预约:${step.values.service},${step.values.address},${step.values.name},${step.values.phone}?`);
    },
    async (step) => {
      await step.context.sendActivity('已预约。');
      return step.endDialog(step.values);
    },
  ]),
);

const adapter = new TestAdapter(async (context) => {
  const dc = await dialogs.createContext(context);
  const result = await dc.continueDialog();
  if (result.status === DialogTurnStatus.empty) await dc.beginDialog('booking');
  await conversationState.saveChanges(context);
});

async function converse(user, latencies) {
  for (const text of SCRIPT) {
    const t0 = performance.now();
    await adapter.processActivity({ type: 'message', text, from: { id: user }, conversation: { id: user }, recipient: { id: 'bot' } });
    latencies?.push(performance.now() - t0);
    // Replies are queued for a test to read; nobody reads them here.
    adapter.activeQueue.length = 0;
  }
}

for (let i = 0; i < Number(warmUpArg); i += 1) await converse(`warm-${i}`);
const latencies = [];
const start = performance.now();
for (let i = 0; i < Number(conversationsArg); i += 1) await converse(`user-${i}`, latencies);
process.stdout.write(`DONE ${JSON.stringify({ turns: latencies.length, elapsedMs: performance.now() - start, latencies })}\n`);
