-- CreateTable
CREATE TABLE "ConsoleMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chatId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "shownAt" DATETIME
);

-- CreateIndex
CREATE INDEX "ConsoleMessage_chatId_id_idx" ON "ConsoleMessage"("chatId", "id");
