-- CreateTable
CREATE TABLE "release" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "version" TEXT NOT NULL,
    "image" TEXT NOT NULL,
    "digest" TEXT,
    "commit_sha" TEXT NOT NULL,
    "commit_url" TEXT,
    "build_url" TEXT,
    "author" TEXT,
    "changelog" TEXT,
    "registered_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "release_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout" (
    "id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "environment" TEXT NOT NULL,
    "release_id" UUID NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'deploy',
    "state" TEXT NOT NULL,
    "previous_release_id" UUID,
    "requested_by_id" UUID,
    "requested_by_name" TEXT NOT NULL,
    "reason" TEXT,
    "approvals_required" INTEGER NOT NULL DEFAULT 0,
    "failure_reason" TEXT,
    "failure_events" JSONB NOT NULL DEFAULT '[]',
    "rolled_back_by_id" UUID,
    "claimed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "approved_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "rollout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkpoint" (
    "id" UUID NOT NULL,
    "rollout_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "step_index" INTEGER,
    "state" TEXT NOT NULL,
    "approvals_required" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),
    "applied_at" TIMESTAMPTZ(3),

    CONSTRAINT "checkpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval" (
    "id" UUID NOT NULL,
    "checkpoint_id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "person_name" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "comment" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollout_target" (
    "id" UUID NOT NULL,
    "rollout_id" UUID NOT NULL,
    "cluster" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "workload_kind" TEXT NOT NULL,
    "workload_name" TEXT NOT NULL,
    "container" TEXT NOT NULL,
    "revision_before" INTEGER,
    "revision_after" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "message" TEXT,
    "applied_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "rollout_target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "freeze" (
    "id" UUID NOT NULL,
    "service_id" UUID,
    "environment" TEXT,
    "reason" TEXT NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_by_name" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "lifted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "freeze_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "release_service_id_created_at_idx" ON "release"("service_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "release_service_id_version_key" ON "release"("service_id", "version");

-- CreateIndex
CREATE INDEX "rollout_service_id_environment_created_at_idx" ON "rollout"("service_id", "environment", "created_at" DESC);

-- CreateIndex
CREATE INDEX "rollout_state_idx" ON "rollout"("state");

-- CreateIndex
CREATE INDEX "checkpoint_state_created_at_idx" ON "checkpoint"("state", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "checkpoint_rollout_id_kind_step_index_key" ON "checkpoint"("rollout_id", "kind", "step_index");

-- CreateIndex
CREATE UNIQUE INDEX "approval_checkpoint_id_person_id_key" ON "approval"("checkpoint_id", "person_id");

-- CreateIndex
CREATE UNIQUE INDEX "rollout_target_rollout_id_cluster_namespace_workload_kind_w_key" ON "rollout_target"("rollout_id", "cluster", "namespace", "workload_kind", "workload_name");

-- CreateIndex
CREATE INDEX "freeze_ends_at_idx" ON "freeze"("ends_at");

-- AddForeignKey
ALTER TABLE "release" ADD CONSTRAINT "release_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout" ADD CONSTRAINT "rollout_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout" ADD CONSTRAINT "rollout_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkpoint" ADD CONSTRAINT "checkpoint_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approval" ADD CONSTRAINT "approval_checkpoint_id_fkey" FOREIGN KEY ("checkpoint_id") REFERENCES "checkpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollout_target" ADD CONSTRAINT "rollout_target_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "freeze" ADD CONSTRAINT "freeze_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- Hand-written: at most one rollout per service and environment is being applied or watched at any time.
CREATE UNIQUE INDEX manual_rollout_one_in_flight ON rollout (service_id, environment)
  WHERE state IN ('applying', 'progressing');
-- At most one production request waits per service and environment; a newer one supersedes it.
CREATE UNIQUE INDEX manual_rollout_one_waiting ON rollout (service_id, environment)
  WHERE state IN ('requested', 'awaiting_approval');
