-- AlterTable
ALTER TABLE "Staff" ADD COLUMN     "revokedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "JoinAttempt" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JoinAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JoinAttempt_channel_userId_at_idx" ON "JoinAttempt"("channel", "userId", "at");

-- CreateIndex
CREATE INDEX "JoinAttempt_channel_chatId_at_idx" ON "JoinAttempt"("channel", "chatId", "at");
