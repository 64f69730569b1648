-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN     "platformRef" TEXT;

-- CreateTable
CREATE TABLE "Handover" (
    "id" SERIAL NOT NULL,
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
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "nextDeadlineAt" TIMESTAMP(3),
    "claimedAt" TIMESTAMP(3),
    "claimedBy" INTEGER,
    "handler" TEXT,
    "lastActivityAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "endedBy" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Handover_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Handover" ADD CONSTRAINT "Handover_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
