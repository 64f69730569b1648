-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "unreachableAt" DATETIME;
