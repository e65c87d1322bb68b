-- Anchoring the audit chain: gapless sequence numbers, no TRUNCATE, signed digests of the chain's head, and
-- environment/outcome columns for filtering rollout events. Hand-written (the renumbering, the triggers).

-- The append-only triggers name the table they guard (audit_digest uses the same function).
CREATE OR REPLACE FUNCTION manual_audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

-- Gapless seq: appendAuditEvent assigns the previous seq + 1 under the chain's advisory lock, so a rolled-back
-- transaction consumes no number and a gap means removed events. Events written while seq came from a sequence are
-- renumbered 1..n in their order; seq is not part of any event's hash, so the chain stays valid.
ALTER TABLE "audit_event" DISABLE TRIGGER manual_audit_event_append_only;
UPDATE "audit_event" SET "seq" = -"seq";
UPDATE "audit_event" AS e SET "seq" = n.rn
  FROM (SELECT "seq", row_number() OVER (ORDER BY "seq" DESC) AS rn FROM "audit_event") AS n
  WHERE e."seq" = n."seq";
ALTER TABLE "audit_event" ENABLE TRIGGER manual_audit_event_append_only;

-- AlterTable
ALTER TABLE "audit_event" ALTER COLUMN "seq" DROP DEFAULT;
DROP SEQUENCE IF EXISTS "audit_event_seq_seq";

-- Derived from details by Postgres, so they cannot disagree with the hashed content: the environment of any event
-- that names one, and a rollout event's after-state (the outcome: succeeded, failed, rolled_back...).
ALTER TABLE "audit_event"
  ADD COLUMN "environment" TEXT GENERATED ALWAYS AS ("details" ->> 'environment') STORED,
  ADD COLUMN "outcome" TEXT GENERATED ALWAYS AS (CASE WHEN "target_type" = 'rollout' THEN "details" -> 'after' ->> 'state' END) STORED;

-- CreateIndex
CREATE INDEX "audit_event_environment_outcome_seq_idx" ON "audit_event"("environment", "outcome", "seq");

-- CreateIndex
CREATE INDEX "audit_event_outcome_seq_idx" ON "audit_event"("outcome", "seq");

-- The row trigger does not see TRUNCATE: a statement-level trigger refuses it.
CREATE TRIGGER manual_audit_event_no_truncate BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION manual_audit_event_append_only();

-- CreateTable
CREATE TABLE "audit_digest" (
    "id" BIGINT NOT NULL,
    "head_seq" BIGINT NOT NULL,
    "head_hash" TEXT NOT NULL,
    "head_occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "previous_signature" TEXT,
    "signed_at" TIMESTAMPTZ(3) NOT NULL,
    "key_id" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "audit_digest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "audit_digest_signature_key" ON "audit_digest"("signature");

CREATE TRIGGER manual_audit_digest_append_only BEFORE UPDATE OR DELETE ON "audit_digest"
  FOR EACH ROW EXECUTE FUNCTION manual_audit_event_append_only();
CREATE TRIGGER manual_audit_digest_no_truncate BEFORE TRUNCATE ON "audit_digest"
  FOR EACH STATEMENT EXECUTE FUNCTION manual_audit_event_append_only();
