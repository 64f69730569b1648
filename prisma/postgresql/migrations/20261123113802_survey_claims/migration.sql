-- AlterTable
ALTER TABLE "Survey" ADD COLUMN     "claimedUntil" TIMESTAMP(3);
