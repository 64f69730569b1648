-- AlterTable
ALTER TABLE "Staff" ADD COLUMN     "department" TEXT;

-- CreateTable
CREATE TABLE "WorkOrder" (
    "id" SERIAL NOT NULL,
    "bookingId" INTEGER NOT NULL,
    "department" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "workerId" INTEGER,
    "assignedBy" INTEGER,
    "assignedAt" TIMESTAMP(3),
    "acceptedAt" TIMESTAMP(3),
    "declineReason" TEXT,
    "visitStart" TIMESTAMP(3) NOT NULL,
    "lateUntil" TIMESTAMP(3),
    "lateFrom" TIMESTAMP(3),
    "reconfirm" TEXT,
    "reconfirmDueAt" TIMESTAMP(3),
    "arrivedAt" TIMESTAMP(3),
    "actualWork" TEXT,
    "actualFeeFen" INTEGER,
    "remindedAt" TIMESTAMP(3),
    "lateLoggedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WorkOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkOrderEvent" (
    "id" SERIAL NOT NULL,
    "workOrderId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "minutes" INTEGER,
    "note" TEXT,

    CONSTRAINT "WorkOrderEvent_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "WorkOrder" ADD CONSTRAINT "WorkOrder_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WorkOrderEvent" ADD CONSTRAINT "WorkOrderEvent_workOrderId_fkey" FOREIGN KEY ("workOrderId") REFERENCES "WorkOrder"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
