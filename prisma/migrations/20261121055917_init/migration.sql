-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "DestinationPlatform" AS ENUM ('youtube', 'twitch', 'custom');

-- CreateEnum
CREATE TYPE "StreamStrategy" AS ENUM ('relay', 'cloudflare', 'hybrid');

-- CreateEnum
CREATE TYPE "StreamStatus" AS ENUM ('initializing', 'connecting', 'active', 'reconnecting', 'stopping', 'stopped', 'error');

-- CreateEnum
CREATE TYPE "DestinationStatus" AS ENUM ('idle', 'starting', 'broadcasting', 'errored', 'stopped');

-- CreateEnum
CREATE TYPE "RelayState" AS ENUM ('active', 'draining', 'offline');

-- CreateTable
CREATE TABLE "App" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "packageName" TEXT NOT NULL,
    "apiKeyHash" TEXT NOT NULL,
    "apiKeyPrefix" TEXT NOT NULL,
    "webhookUrl" TEXT,
    "webhookSecretCipher" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "App_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SavedDestination" (
    "id" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "platform" "DestinationPlatform" NOT NULL,
    "ingestUrl" TEXT NOT NULL,
    "streamKeyCipher" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SavedDestination_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ManagedStream" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "liveUserId" TEXT,
    "userPathSegment" TEXT NOT NULL,
    "strategy" "StreamStrategy" NOT NULL,
    "strategyReason" TEXT,
    "status" "StreamStatus" NOT NULL DEFAULT 'initializing',
    "statusReason" TEXT,
    "ingestBaseUrl" TEXT,
    "publishKeyHash" TEXT,
    "relayId" TEXT,
    "cloudflareLiveInputId" TEXT,
    "hlsUrl" TEXT,
    "hlsReadyAt" TIMESTAMP(3),
    "dashUrl" TEXT,
    "webrtcUrl" TEXT,
    "quality" TEXT NOT NULL DEFAULT '720p',
    "enableWebRTC" BOOLEAN NOT NULL DEFAULT false,
    "durationLimit" INTEGER,
    "destinationsVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "bitrateKbps" INTEGER,
    "fps" DOUBLE PRECISION,
    "durationSeconds" INTEGER,
    "droppedFrames" INTEGER,
    "viewers" INTEGER,
    "statsUpdatedAt" TIMESTAMP(3),

    CONSTRAINT "ManagedStream_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StreamAttachment" (
    "streamId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "attachedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "detachedAt" TIMESTAMP(3),

    CONSTRAINT "StreamAttachment_pkey" PRIMARY KEY ("streamId","appId")
);

-- CreateTable
CREATE TABLE "StreamDestination" (
    "id" TEXT NOT NULL,
    "streamId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "savedDestinationId" TEXT,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "streamKeyCipher" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "status" "DestinationStatus" NOT NULL DEFAULT 'idle',
    "lastError" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "cloudflareOutputId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StreamDestination_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StreamEvent" (
    "id" BIGSERIAL NOT NULL,
    "streamId" TEXT NOT NULL,
    "destinationId" TEXT,
    "type" TEXT NOT NULL,
    "status" TEXT,
    "reason" TEXT,
    "data" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StreamEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Relay" (
    "id" TEXT NOT NULL,
    "rtmpUrl" TEXT NOT NULL,
    "hlsBaseUrl" TEXT NOT NULL,
    "region" TEXT,
    "capacity" INTEGER NOT NULL,
    "load" INTEGER NOT NULL DEFAULT 0,
    "state" "RelayState" NOT NULL DEFAULT 'active',
    "lastHeartbeatAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Relay_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "App_packageName_key" ON "App"("packageName");

-- CreateIndex
CREATE UNIQUE INDEX "App_apiKeyHash_key" ON "App"("apiKeyHash");

-- CreateIndex
CREATE INDEX "SavedDestination_appId_userId_idx" ON "SavedDestination"("appId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "SavedDestination_appId_userId_name_key" ON "SavedDestination"("appId", "userId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ManagedStream_liveUserId_key" ON "ManagedStream"("liveUserId");

-- CreateIndex
CREATE UNIQUE INDEX "ManagedStream_cloudflareLiveInputId_key" ON "ManagedStream"("cloudflareLiveInputId");

-- CreateIndex
CREATE INDEX "ManagedStream_userId_createdAt_idx" ON "ManagedStream"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "ManagedStream_status_idx" ON "ManagedStream"("status");

-- CreateIndex
CREATE INDEX "ManagedStream_relayId_status_idx" ON "ManagedStream"("relayId", "status");

-- CreateIndex
CREATE INDEX "StreamAttachment_appId_attachedAt_idx" ON "StreamAttachment"("appId", "attachedAt");

-- CreateIndex
CREATE INDEX "StreamDestination_streamId_appId_idx" ON "StreamDestination"("streamId", "appId");

-- CreateIndex
CREATE UNIQUE INDEX "StreamDestination_streamId_fingerprint_key" ON "StreamDestination"("streamId", "fingerprint");

-- CreateIndex
CREATE INDEX "StreamEvent_streamId_id_idx" ON "StreamEvent"("streamId", "id");

-- AddForeignKey
ALTER TABLE "SavedDestination" ADD CONSTRAINT "SavedDestination_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ManagedStream" ADD CONSTRAINT "ManagedStream_relayId_fkey" FOREIGN KEY ("relayId") REFERENCES "Relay"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StreamAttachment" ADD CONSTRAINT "StreamAttachment_streamId_fkey" FOREIGN KEY ("streamId") REFERENCES "ManagedStream"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StreamAttachment" ADD CONSTRAINT "StreamAttachment_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StreamDestination" ADD CONSTRAINT "StreamDestination_streamId_fkey" FOREIGN KEY ("streamId") REFERENCES "ManagedStream"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StreamDestination" ADD CONSTRAINT "StreamDestination_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StreamEvent" ADD CONSTRAINT "StreamEvent_streamId_fkey" FOREIGN KEY ("streamId") REFERENCES "ManagedStream"("id") ON DELETE CASCADE ON UPDATE CASCADE;
