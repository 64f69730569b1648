-- CreateTable
CREATE TABLE "Staff" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "platformUserId" TEXT NOT NULL,
    "displayName" TEXT,
    "role" TEXT NOT NULL,
    "joinedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Complaint" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "customerId" INTEGER NOT NULL,
    "bookingId" INTEGER,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'zh',
    "receivedAt" DATETIME NOT NULL,
    "customerName" TEXT NOT NULL,
    "salutation" TEXT,
    "phone" TEXT,
    "address" TEXT,
    "recorder" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "matter" TEXT NOT NULL,
    "hadLoss" BOOLEAN NOT NULL,
    "lossYuan" INTEGER,
    "priorCount" INTEGER NOT NULL DEFAULT 0,
    "accusedStaff" TEXT,
    "grade" TEXT NOT NULL,
    "groupFlag" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'open',
    "valid" BOOLEAN,
    "level" TEXT NOT NULL,
    "forwardedAt" DATETIME,
    "claimedAt" DATETIME,
    "claimedBy" INTEGER,
    "handler" TEXT,
    "answeredAt" DATETIME,
    "resolvedAt" DATETIME,
    "resolution" TEXT,
    "departmentOpinion" TEXT,
    "invalidReason" TEXT,
    "callbackAt" DATETIME,
    "callbackBy" TEXT,
    "solved" BOOLEAN,
    "satisfied" BOOLEAN,
    "upgradedAt" DATETIME,
    "nextDeadlineAt" DATETIME,
    "escalatedFor" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Complaint_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Complaint_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ComplaintEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "complaintId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "actor" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fromGrade" TEXT,
    "toGrade" TEXT,
    "note" TEXT,
    CONSTRAINT "ComplaintEvent_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "leaseUntil" DATETIME,
    "leaseOwner" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "Staff_channel_platformUserId_key" ON "Staff"("channel", "platformUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Complaint_number_key" ON "Complaint"("number");

-- CreateIndex
CREATE INDEX "Complaint_nextDeadlineAt_idx" ON "Complaint"("nextDeadlineAt");

-- CreateIndex
CREATE INDEX "Complaint_matter_receivedAt_idx" ON "Complaint"("matter", "receivedAt");

-- CreateIndex
CREATE INDEX "Complaint_customerId_status_idx" ON "Complaint"("customerId", "status");

-- CreateIndex
CREATE INDEX "ComplaintEvent_complaintId_at_idx" ON "ComplaintEvent"("complaintId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Outbox_dedupeKey_key" ON "Outbox"("dedupeKey");

-- CreateIndex
CREATE INDEX "Outbox_status_nextAttemptAt_idx" ON "Outbox"("status", "nextAttemptAt");
