-- A destination that failed is now either `retrying` (an attempt is scheduled) or `failed` (no more
-- attempts until retried or edited). Rows still `errored` keep their meaning as `failed`.
ALTER TYPE "DestinationStatus" RENAME VALUE 'errored' TO 'failed';
ALTER TYPE "DestinationStatus" ADD VALUE 'retrying' BEFORE 'failed';

-- CreateEnum
CREATE TYPE "DestinationErrorCode" AS ENUM ('dns_failed', 'connection_refused', 'connection_timeout', 'tls_failed', 'key_rejected', 'already_publishing', 'disconnected', 'stalled', 'unknown');

-- AlterTable
ALTER TABLE "StreamDestination" ADD COLUMN     "lastErrorCode" "DestinationErrorCode",
ADD COLUMN     "lastErrorAt" TIMESTAMP(3),
ADD COLUMN     "nextRetryAt" TIMESTAMP(3),
ADD COLUMN     "sentBitrateKbps" INTEGER,
ADD COLUMN     "sentFrames" INTEGER,
ADD COLUMN     "retryRequests" INTEGER NOT NULL DEFAULT 0;
