-- AlterTable
ALTER TABLE "ManagedStream" ADD COLUMN     "cloudflareConnectedAt" TIMESTAMP(3),
ADD COLUMN     "cloudflareError" TEXT,
ADD COLUMN     "cloudflareIngestCipher" TEXT,
ADD COLUMN     "cloudflareState" TEXT,
ADD COLUMN     "cloudflareStateAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "ManagedStream_strategy_status_idx" ON "ManagedStream"("strategy", "status");
