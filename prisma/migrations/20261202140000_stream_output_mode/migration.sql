-- AlterTable
ALTER TABLE "ManagedStream" ADD COLUMN     "outputMode" TEXT,
ADD COLUMN     "outputModeReason" TEXT;
