-- AlterTable
ALTER TABLE "release" ADD COLUMN     "committed_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "rollout_service_id_environment_finished_at_idx" ON "rollout"("service_id", "environment", "finished_at");
