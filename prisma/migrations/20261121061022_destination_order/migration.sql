-- AlterTable
ALTER TABLE "StreamDestination" ADD COLUMN     "position" SERIAL NOT NULL;
