-- AlterTable
ALTER TABLE "rollout" ADD COLUMN     "health" JSONB;
