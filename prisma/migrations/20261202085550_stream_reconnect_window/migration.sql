-- AlterTable
ALTER TABLE "ManagedStream" ADD COLUMN     "reconnectWindowSeconds" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "slateImageUrl" TEXT,
ADD COLUMN     "slateText" TEXT;
