-- CreateTable
CREATE TABLE "StreamSample" (
    "streamId" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "outputFps" DOUBLE PRECISION,
    "outputBitrateKbps" INTEGER,
    "droppedFrames" INTEGER,
    "ingestFps" DOUBLE PRECISION,
    "ingestFpsMin" DOUBLE PRECISION,
    "ingestBitrateKbps" INTEGER,
    "ingestGrade" TEXT,

    CONSTRAINT "StreamSample_pkey" PRIMARY KEY ("streamId","slot")
);

-- CreateIndex
CREATE INDEX "StreamSample_at_idx" ON "StreamSample"("at");

-- AddForeignKey
ALTER TABLE "StreamSample" ADD CONSTRAINT "StreamSample_streamId_fkey" FOREIGN KEY ("streamId") REFERENCES "ManagedStream"("id") ON DELETE CASCADE ON UPDATE CASCADE;
