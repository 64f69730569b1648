-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN "platformRef" TEXT;

-- CreateTable
CREATE TABLE "Handover" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "customerId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'zh',
    "reason" TEXT NOT NULL,
    "customerLabel" TEXT NOT NULL DEFAULT '',
    "context" TEXT NOT NULL DEFAULT '',
    "complaintNumber" TEXT,
    "status" TEXT NOT NULL DEFAULT 'waiting',
    "level" TEXT NOT NULL DEFAULT 'contact',
    "roomChannel" TEXT NOT NULL,
    "roomChatId" TEXT NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "nextDeadlineAt" DATETIME,
    "claimedAt" DATETIME,
    "claimedBy" INTEGER,
    "handler" TEXT,
    "lastActivityAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "endedBy" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Handover_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Handover_number_key" ON "Handover"("number");

-- CreateIndex
CREATE INDEX "Handover_status_nextDeadlineAt_idx" ON "Handover"("status", "nextDeadlineAt");

-- CreateIndex
CREATE INDEX "Handover_status_lastActivityAt_idx" ON "Handover"("status", "lastActivityAt");

-- CreateIndex
CREATE INDEX "Handover_customerId_claimedAt_idx" ON "Handover"("customerId", "claimedAt");

-- CreateIndex
CREATE INDEX "Handover_requestedAt_idx" ON "Handover"("requestedAt");

-- CreateIndex
CREATE INDEX "Outbox_channel_chatId_platformRef_idx" ON "Outbox"("channel", "chatId", "platformRef");
