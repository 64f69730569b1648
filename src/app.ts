/**
 * Wires one process: settings -> database (migrated) -> dialogue core, and in the background the
 * outbox dispatcher, the deadline watcher and the other sweeps (surveys, monthly report,
 * retention). Every entry point (start, chat, benchmarks, end-to-end tests) builds the product
 * through here, so they run the same thing.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { saveToFolder, type ConsoleChatOptions } from '../adapters/console/console-chat.ts';
import { DialogueCore } from './core/engine.ts';
import { llmFallback } from './features/nlu/llm-fallback.ts';
import type { Channel } from './contracts/messages.ts';
import type { Settings } from './config/env.ts';
import { PROJECT_ROOT } from './lib/project-root.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import { messages } from './i18n/index.ts';
import { createLogger, type Logger } from './lib/log.ts';
import { OutboxDispatcher } from './outbox/dispatcher.ts';
import type { RateLimiter } from './lib/rate-limit.ts';
import type { Sender } from './contracts/outbox.ts';
import { DeadlineWatcher } from './scheduler/deadline-watcher.ts';
import { SurveySweeper } from './scheduler/survey-sweeper.ts';
import { HandoverSweeper } from './scheduler/handover-sweeper.ts';
import { HandoverRepository } from './store/handovers.ts';
import { MonthlyReport } from './scheduler/monthly-report.ts';
import { RetentionJob } from './scheduler/retention.ts';
import { WorkOrderSweep } from './scheduler/workorder-sweep.ts';
import { ReportRepository } from './store/reports.ts';
import { RetentionRepository } from './store/retention.ts';
import { SurveyRepository } from './store/surveys.ts';
import { ComplaintRepository } from './store/complaints.ts';
import { ConsoleInbox } from './store/console-inbox.ts';
import { OutboxRepository } from './store/outbox.ts';
import { PrismaCoreStore } from './store/core-store.ts';
import { WorkOrderRepository } from './store/workorders.ts';
import { openDb, type Db } from './store/db.ts';
import { migrateDatabase } from './store/migrate.ts';

interface App {
  settings: Settings;
  db: Db;
  core: DialogueCore;
  log: Logger;
  clock: Clock;
  /** Where console chats and rooms receive what the outbox delivers. */
  inbox: ConsoleInbox;
  watcher: DeadlineWatcher;
  surveys: SurveySweeper;
  /** Escalates unclaimed handovers and ends quiet ones. */
  handovers: HandoverSweeper;
  /** Visit reminders, unanswered reconfirmations, lateness, moved bookings told to the worker. */
  workOrders: WorkOrderSweep;
  monthly: MonthlyReport;
  /** The daily retention job (company file's `retention`). */
  retention: RetentionJob;
  /** Set once `startBackground` ran. */
  dispatcher?: OutboxDispatcher;
  /**
   * What the console chat of `chatId` needs from the product: the core, the outbox tick that
   * delivers what a line caused, what arrived for the chat (a room shows its last posts first; a
   * customer sees what arrived while away), and where report files are saved.
   */
  consoleSession(chatId: string, opts: { room: boolean }): Promise<Pick<ConsoleChatOptions, 'handle' | 'settle' | 'deliveries' | 'saveFile'>>;
  /** Starts delivering the outbox (console plus the given platform senders) and watching deadlines. */
  startBackground(senders?: Partial<Record<Channel, Sender>>, limiter?: RateLimiter): void;
  close(): Promise<void>;
}

/**
 * Opens and migrates the database and builds the core.
 * @throws when the database cannot be opened or migrated (the caller prints it and exits).
 */
export async function createApp(opts: { settings: Settings; clock?: Clock; log?: Logger }): Promise<App> {
  const { settings } = opts;
  const log = opts.log ?? createLogger(settings.env.LOG_LEVEL);
  const clock = opts.clock ?? systemClock;
  const { applied } = await migrateDatabase({ url: settings.env.DATABASE_URL, createDatabase: settings.env.DATABASE_CREATE });
  if (applied.length > 0) log.info({ applied }, 'database migrated');
  const db = openDb({
    url: settings.env.DATABASE_URL,
    busyTimeoutMs: settings.env.SQLITE_BUSY_TIMEOUT_MS,
    synchronous: settings.env.SQLITE_SYNCHRONOUS,
    poolSize: settings.env.DATABASE_POOL_SIZE,
    synchronousCommit: settings.env.POSTGRES_SYNCHRONOUS_COMMIT,
    log,
  });
  const store = new PrismaCoreStore(db, { zone: settings.company.timeZone, departments: settings.company.departments });
  const core = new DialogueCore({
    store,
    company: settings.company,
    clock,
    log,
    complaints: settings.complaints,
    survey: settings.survey,
    handover: settings.handover,
    workOrders: settings.workOrders,
    defaultLocale: settings.env.DEFAULT_LOCALE,
    turnBudgetPerMinute: settings.env.TURN_BUDGET_PER_MINUTE,
    understandFallback:
      settings.env.NLU_LLM_URL && settings.env.NLU_LLM_MODEL
        ? llmFallback({
            url: settings.env.NLU_LLM_URL,
            model: settings.env.NLU_LLM_MODEL,
            apiKey: settings.env.NLU_LLM_API_KEY,
            timeoutMs: settings.env.NLU_LLM_TIMEOUT_MS,
            services: settings.company.catalog.map((s) => s.name),
            log,
          })
        : undefined,
  });
  const inbox = new ConsoleInbox(db);
  const watcher = new DeadlineWatcher({
    store: new ComplaintRepository(db),
    company: settings.company,
    complaints: settings.complaints,
    clock,
    log,
    m: messages(settings.env.DEFAULT_LOCALE),
  });
  const surveys = new SurveySweeper({
    store: new SurveyRepository(db, settings.env.LEASE_SECONDS * 1000),
    company: settings.company,
    complaints: settings.complaints,
    policy: settings.survey,
    clock,
    log,
    m: messages(settings.env.DEFAULT_LOCALE),
  });
  const handovers = new HandoverSweeper({
    store: new HandoverRepository(db),
    company: settings.company,
    complaints: settings.complaints,
    policy: settings.handover,
    clock,
    log,
    m: messages(settings.env.DEFAULT_LOCALE),
  });
  const workOrders = new WorkOrderSweep({
    store: new WorkOrderRepository(db),
    company: settings.company,
    complaints: settings.complaints,
    policy: settings.workOrders,
    clock,
    log,
    m: messages(settings.env.DEFAULT_LOCALE),
  });
  const monthly = new MonthlyReport({
    reports: new ReportRepository(db, { zone: settings.company.timeZone, departments: settings.company.departments }),
    store,
    company: settings.company,
    room: settings.complaints.rooms.general_manager,
    clock,
    log,
    m: messages(settings.env.DEFAULT_LOCALE),
    day: settings.env.REPORT_MONTHLY_DAY,
  });
  const retention = new RetentionJob({ store: new RetentionRepository(db), policy: settings.company.retention, clock, log });
  const app: App = {
    settings,
    db,
    core,
    log,
    clock,
    inbox,
    watcher,
    surveys,
    handovers,
    workOrders,
    monthly,
    retention,
    async consoleSession(chatId, { room }) {
      // A room shows its last posts at start; a customer sees each notice once, in order: those no
      // session showed yet, then what arrives (never the ones a previous run already showed).
      let seen = room ? await inbox.tailStart(chatId, 10) : 0;
      return {
        handle: (inbound) => core.handle(inbound),
        settle: () => app.dispatcher?.tick() ?? Promise.resolve(),
        saveFile: (file) => saveToFolder(`${PROJECT_ROOT}data/reports`, file),
        deliveries: async () => {
          const { lastId, messages } = await inbox.since(chatId, seen, { unshownOnly: !room });
          seen = lastId;
          return messages;
        },
      };
    },
    startBackground(senders = {}, limiter) {
      app.dispatcher = new OutboxDispatcher({
        queue: new OutboxRepository(db),
        senders: { console: inbox, ...senders },
        limiter,
        clock,
        log,
        owner: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
        leaseMs: settings.env.LEASE_SECONDS * 1000,
      });
      app.dispatcher.start();
      watcher.start(settings.env.SWEEP_SCHEDULE);
      surveys.start(settings.env.SWEEP_SCHEDULE);
      handovers.start(settings.env.SWEEP_SCHEDULE);
      workOrders.start(settings.env.SWEEP_SCHEDULE);
      monthly.start();
      retention.start({ timezone: settings.company.timeZone });
    },
    async close() {
      await watcher.stop();
      await surveys.stop();
      await handovers.stop();
      await workOrders.stop();
      await monthly.stop();
      await retention.stop();
      await app.dispatcher?.stop();
      await db.$disconnect();
    },
  };
  return app;
}
