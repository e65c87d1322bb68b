-- Hand-written: a bulk import used to move the same few count rows once per service, and each update of a row inside
-- one transaction lengthens the chain of row versions the next update walks, so an import of n services cost n^2
-- (16,000 services: minutes). A transaction that sets slipway.defer_facet_counts to 'on' moves the counts itself,
-- once per count row (the catalogue import does, then sets it back); every other write keeps the trigger's counts.
CREATE OR REPLACE FUNCTION manual_service_facet_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('slipway.defer_facet_counts', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.kind = OLD.kind AND NEW.team_id IS NOT DISTINCT FROM OLD.team_id
     AND NEW.tier IS NOT DISTINCT FROM OLD.tier AND NEW.lifecycle = OLD.lifecycle AND NEW.tags = OLD.tags THEN
    RETURN NEW;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM manual_service_facet_delta(OLD, -1); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM manual_service_facet_delta(NEW, 1); END IF;
  RETURN NULL;
END $$;
