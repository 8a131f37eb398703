-- AlterTable
ALTER TABLE "App" ADD COLUMN     "defaultReconnectWindowSeconds" INTEGER NOT NULL DEFAULT 60,
ADD COLUMN     "recordByDefault" BOOLEAN NOT NULL DEFAULT false;
