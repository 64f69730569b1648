-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "unreachableAt" TIMESTAMP(3);
