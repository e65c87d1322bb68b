-- Several replicas, one truth. A lease names the one replica that runs a background job (the rollout reconciler's
-- passes, later the notifications worker) until it expires unless renewed; the database's clock decides.
CREATE TABLE "lease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "acquired_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lease_pkey" PRIMARY KEY ("name")
);

-- Live views on every replica hear of every change to a rollout, whichever replica (or script) made it: one
-- notification per changed row on the channel slipway_change, delivered at commit. Postgres folds identical
-- notifications of one transaction into one.
CREATE FUNCTION slipway_notify_rollout_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rollout_id uuid;
BEGIN
    IF TG_TABLE_NAME = 'rollout' THEN
        PERFORM pg_notify('slipway_change', json_build_object('topic', 'rollout', 'id', NEW.id, 'service', NEW.service_id, 'environment', NEW.environment)::text);
        RETURN NULL;
    ELSIF TG_TABLE_NAME = 'approval' THEN
        SELECT c.rollout_id INTO rollout_id FROM checkpoint c WHERE c.id = NEW.checkpoint_id;
    ELSE
        rollout_id := NEW.rollout_id;
    END IF;
    IF rollout_id IS NOT NULL THEN
        PERFORM pg_notify('slipway_change', json_build_object('topic', 'rollout', 'id', rollout_id)::text);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "rollout_notify_insert" AFTER INSERT ON "rollout" FOR EACH ROW EXECUTE FUNCTION slipway_notify_rollout_change();
CREATE TRIGGER "rollout_notify_update" AFTER UPDATE ON "rollout" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION slipway_notify_rollout_change();
CREATE TRIGGER "rollout_target_notify_insert" AFTER INSERT ON "rollout_target" FOR EACH ROW EXECUTE FUNCTION slipway_notify_rollout_change();
CREATE TRIGGER "rollout_target_notify_update" AFTER UPDATE ON "rollout_target" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION slipway_notify_rollout_change();
CREATE TRIGGER "checkpoint_notify_insert" AFTER INSERT ON "checkpoint" FOR EACH ROW EXECUTE FUNCTION slipway_notify_rollout_change();
CREATE TRIGGER "checkpoint_notify_update" AFTER UPDATE ON "checkpoint" FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION slipway_notify_rollout_change();
CREATE TRIGGER "approval_notify_insert" AFTER INSERT ON "approval" FOR EACH ROW EXECUTE FUNCTION slipway_notify_rollout_change();
