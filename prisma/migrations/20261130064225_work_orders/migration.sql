-- AlterTable
ALTER TABLE "Staff" ADD COLUMN "department" TEXT;

-- CreateTable
CREATE TABLE "WorkOrder" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "bookingId" INTEGER NOT NULL,
    "department" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "workerId" INTEGER,
    "assignedBy" INTEGER,
    "assignedAt" DATETIME,
    "acceptedAt" DATETIME,
    "declineReason" TEXT,
    "visitStart" DATETIME NOT NULL,
    "lateUntil" DATETIME,
    "lateFrom" DATETIME,
    "reconfirm" TEXT,
    "reconfirmDueAt" DATETIME,
    "arrivedAt" DATETIME,
    "actualWork" TEXT,
    "actualFeeFen" INTEGER,
    "remindedAt" DATETIME,
    "lateLoggedAt" DATETIME,
    "completedAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WorkOrder_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WorkOrderEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workOrderId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "actor" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "minutes" INTEGER,
    "note" TEXT,
    CONSTRAINT "WorkOrderEvent_workOrderId_fkey" FOREIGN KEY ("workOrderId") REFERENCES "WorkOrder" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "WorkOrder_bookingId_key" ON "WorkOrder"("bookingId");

-- CreateIndex
CREATE INDEX "WorkOrder_workerId_visitStart_idx" ON "WorkOrder"("workerId", "visitStart");

-- CreateIndex
CREATE INDEX "WorkOrder_status_visitStart_idx" ON "WorkOrder"("status", "visitStart");

-- CreateIndex
CREATE INDEX "WorkOrder_reconfirm_reconfirmDueAt_idx" ON "WorkOrder"("reconfirm", "reconfirmDueAt");

-- CreateIndex
CREATE INDEX "WorkOrderEvent_workOrderId_at_idx" ON "WorkOrderEvent"("workOrderId", "at");

-- CreateIndex
CREATE INDEX "WorkOrderEvent_kind_at_idx" ON "WorkOrderEvent"("kind", "at");
