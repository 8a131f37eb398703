-- AlterTable
ALTER TABLE "ManagedStream" ADD COLUMN     "cloudflareVideoAt" TIMESTAMP(3);
