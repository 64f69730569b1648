-- AlterTable
ALTER TABLE "Staff" ADD COLUMN "revokedAt" DATETIME;

-- CreateTable
CREATE TABLE "JoinAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "JoinAttempt_channel_userId_at_idx" ON "JoinAttempt"("channel", "userId", "at");

-- CreateIndex
CREATE INDEX "JoinAttempt_channel_chatId_at_idx" ON "JoinAttempt"("channel", "chatId", "at");
