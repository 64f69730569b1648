-- AlterTable
ALTER TABLE "Survey" ADD COLUMN "claimedUntil" DATETIME;
