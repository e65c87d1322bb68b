-- Writes to `service` wait while this runs: a service changed after the backfill's snapshot would otherwise keep the
-- old trigger's counts and never get its pairs.
LOCK TABLE service IN SHARE MODE;

-- CreateTable
CREATE TABLE "service_facet_pair_count" (
    "kind" TEXT NOT NULL,
    "facet" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "other_facet" TEXT NOT NULL,
    "other_value" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "service_facet_pair_count_pkey" PRIMARY KEY ("kind","facet","value","other_facet","other_value")
);

-- A tag is on a service or not, as the tag filter sees it: repeated tags (an import could store them) are folded into
-- one, in their first order. The facet trigger still in place moves the counts with them.
UPDATE service SET tags = ARRAY(SELECT t FROM unnest(tags) WITH ORDINALITY AS u(t, i) GROUP BY t ORDER BY min(i))
WHERE cardinality(tags) <> (SELECT count(DISTINCT t) FROM unnest(tags) AS t);

-- A service's facet values, as the facet tables key them ('' for no team or no tier).
CREATE FUNCTION manual_service_facet_keys(r service) RETURNS TABLE (facet text, value text) LANGUAGE sql STABLE AS $$
  SELECT 'team', coalesce(r.team_id::text, '')
  UNION ALL SELECT 'tier', coalesce(r.tier::text, '')
  UNION ALL SELECT 'lifecycle', r.lifecycle
  UNION ALL SELECT DISTINCT 'tag', t FROM unnest(coalesce(r.tags, '{}')) AS t
$$;

-- Hand-written: the facet trigger's delta keeps the pair counts too, in the same statement as the service change:
-- `delta` on every ordered pair of the service's facet values from different facets (6 + 6 x tags rows), and on each
-- of its values in `service_facet_count` (a repeated tag once).
CREATE OR REPLACE FUNCTION manual_service_facet_delta(r service, delta int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  WITH k AS MATERIALIZED (SELECT * FROM manual_service_facet_keys(r)),
  single AS (
    INSERT INTO service_facet_count (kind, facet, value, count)
    SELECT r.kind, 'total', '', delta UNION ALL SELECT r.kind, k.facet, k.value, delta FROM k
    ON CONFLICT (kind, facet, value) DO UPDATE SET count = service_facet_count.count + EXCLUDED.count
  )
  INSERT INTO service_facet_pair_count (kind, facet, value, other_facet, other_value, count)
  SELECT r.kind, a.facet, a.value, b.facet, b.value, delta FROM k a JOIN k b ON b.facet <> a.facet
  ON CONFLICT (kind, facet, value, other_facet, other_value)
    DO UPDATE SET count = service_facet_pair_count.count + EXCLUDED.count;
END $$;

-- Both count tables recomputed from the services, exactly as the trigger accumulates them: for this migration and for
-- bulk loads that bypass the trigger. The keys are written out rather than taken from manual_service_facet_keys:
-- Postgres 15 cannot plan that function over a table's rows next to their other columns ("variable not found in
-- subplan target list").
CREATE FUNCTION manual_rebuild_service_facet_counts() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM service_facet_count;
  DELETE FROM service_facet_pair_count;
  CREATE TEMPORARY TABLE manual_facet_keys AS
    SELECT id, kind, 'team' AS facet, coalesce(team_id::text, '') AS value FROM service
    UNION ALL SELECT id, kind, 'tier', coalesce(tier::text, '') FROM service
    UNION ALL SELECT id, kind, 'lifecycle', lifecycle FROM service
    UNION ALL SELECT DISTINCT s.id, s.kind, 'tag', t FROM service s CROSS JOIN LATERAL unnest(coalesce(s.tags, '{}')) AS t;
  INSERT INTO service_facet_count (kind, facet, value, count)
    SELECT kind, 'total', '', count(*)::int FROM service GROUP BY kind
    UNION ALL SELECT kind, facet, value, count(*)::int FROM manual_facet_keys GROUP BY 1, 2, 3;
  INSERT INTO service_facet_pair_count (kind, facet, value, other_facet, other_value, count)
    SELECT a.kind, a.facet, a.value, b.facet, b.value, count(*)::int
    FROM manual_facet_keys a JOIN manual_facet_keys b ON b.id = a.id AND b.facet <> a.facet
    GROUP BY 1, 2, 3, 4, 5;
  DROP TABLE manual_facet_keys;
END $$;

SELECT manual_rebuild_service_facet_counts();

-- Statistics now, so the first filtered views are planned on them rather than on an empty table's guesses.
ANALYZE service_facet_pair_count;
