-- CreateTable
CREATE TABLE "Survey" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "bookingId" INTEGER NOT NULL,
    "visit" INTEGER NOT NULL,
    "customerId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'zh',
    "completedAt" DATETIME NOT NULL,
    "completedBy" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "dueAt" DATETIME,
    "sentAt" DATETIME,
    "remindedAt" DATETIME,
    "phoneAt" DATETIME,
    "confirmedAt" DATETIME,
    "identityOk" BOOLEAN,
    "overall" TEXT,
    "overallAt" DATETIME,
    "quality" TEXT,
    "qualityAt" DATETIME,
    "timeliness" TEXT,
    "timelinessAt" DATETIME,
    "comment" TEXT,
    "commentAt" DATETIME,
    "answeredAt" DATETIME,
    "answeredBy" TEXT,
    "complaintNumber" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Survey_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Booking" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" TEXT NOT NULL,
    "customerId" INTEGER NOT NULL,
    "serviceCode" TEXT NOT NULL,
    "serviceName" TEXT NOT NULL,
    "start" DATETIME NOT NULL,
    "address" TEXT NOT NULL,
    "contactName" TEXT NOT NULL,
    "salutation" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "frequency" TEXT NOT NULL DEFAULT 'once',
    "priceFen" INTEGER NOT NULL,
    "unit" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'confirmed',
    "confirmKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "cancelledAt" DATETIME,
    "visits" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Booking_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Booking" ("address", "cancelledAt", "confirmKey", "contactName", "createdAt", "customerId", "frequency", "id", "number", "phone", "priceFen", "salutation", "serviceCode", "serviceName", "start", "status", "unit", "updatedAt") SELECT "address", "cancelledAt", "confirmKey", "contactName", "createdAt", "customerId", "frequency", "id", "number", "phone", "priceFen", "salutation", "serviceCode", "serviceName", "start", "status", "unit", "updatedAt" FROM "Booking";
DROP TABLE "Booking";
ALTER TABLE "new_Booking" RENAME TO "Booking";
CREATE UNIQUE INDEX "Booking_number_key" ON "Booking"("number");
CREATE UNIQUE INDEX "Booking_confirmKey_key" ON "Booking"("confirmKey");
CREATE INDEX "Booking_customerId_status_idx" ON "Booking"("customerId", "status");
CREATE INDEX "Booking_status_start_idx" ON "Booking"("status", "start");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Survey_dueAt_idx" ON "Survey"("dueAt");

-- CreateIndex
CREATE INDEX "Survey_completedAt_idx" ON "Survey"("completedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Survey_bookingId_visit_key" ON "Survey"("bookingId", "visit");
