-- AlterTable
ALTER TABLE "ManagedStream" ADD COLUMN     "ingest" JSONB,
ADD COLUMN     "ingestGrade" TEXT,
ADD COLUMN     "ingestUpdatedAt" TIMESTAMP(3);
