-- AlterTable
ALTER TABLE "ManagedStream" ADD COLUMN     "record" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Recording" (
    "id" TEXT NOT NULL,
    "streamId" TEXT NOT NULL,
    "relayId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "durationSeconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "error" TEXT,
    "deleteRequestedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Recording_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Recording_streamId_startedAt_idx" ON "Recording"("streamId", "startedAt");

-- CreateIndex
CREATE INDEX "Recording_relayId_deleteRequestedAt_idx" ON "Recording"("relayId", "deleteRequestedAt");

-- CreateIndex
CREATE INDEX "Recording_startedAt_idx" ON "Recording"("startedAt");

-- AddForeignKey
ALTER TABLE "Recording" ADD CONSTRAINT "Recording_streamId_fkey" FOREIGN KEY ("streamId") REFERENCES "ManagedStream"("id") ON DELETE CASCADE ON UPDATE CASCADE;
