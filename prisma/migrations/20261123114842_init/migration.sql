-- CreateTable
CREATE TABLE "team" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "description" TEXT,
    "type" TEXT NOT NULL DEFAULT 'team',
    "email" TEXT,
    "chat_channel" TEXT,
    "picture_url" TEXT,
    "links" JSONB NOT NULL DEFAULT '[]',
    "parent_id" UUID,
    "source_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "person" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "display_name" TEXT,
    "email" TEXT,
    "picture_url" TEXT,
    "source_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "membership" (
    "team_id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'member',

    CONSTRAINT "membership_pkey" PRIMARY KEY ("team_id","person_id")
);

-- CreateTable
CREATE TABLE "system" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'system',
    "name" TEXT NOT NULL,
    "title" TEXT,
    "description" TEXT,
    "owner_team_id" UUID,
    "parent_name" TEXT,
    "source_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "system_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'component',
    "name" TEXT NOT NULL,
    "title" TEXT,
    "description" TEXT,
    "type" TEXT NOT NULL DEFAULT 'service',
    "lifecycle" TEXT NOT NULL DEFAULT 'production',
    "tier" INTEGER,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "links" JSONB NOT NULL DEFAULT '[]',
    "annotations" JSONB NOT NULL DEFAULT '{}',
    "system_name" TEXT,
    "repository_url" TEXT,
    "definition" TEXT,
    "team_id" UUID,
    "source_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dependency" (
    "service_id" UUID NOT NULL,
    "relation" TEXT NOT NULL,
    "target_kind" TEXT NOT NULL,
    "target_name" TEXT NOT NULL,

    CONSTRAINT "dependency_pkey" PRIMARY KEY ("service_id","relation","target_kind","target_name")
);

-- CreateTable
CREATE TABLE "environment" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "production" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "environment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_facet_count" (
    "kind" TEXT NOT NULL,
    "facet" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "service_facet_count_pkey" PRIMARY KEY ("kind","facet","value")
);

-- CreateIndex
CREATE UNIQUE INDEX "team_name_key" ON "team"("name");

-- CreateIndex
CREATE INDEX "team_parent_id_idx" ON "team"("parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "person_name_key" ON "person"("name");

-- CreateIndex
CREATE UNIQUE INDEX "person_email_key" ON "person"("email");

-- CreateIndex
CREATE INDEX "membership_person_id_idx" ON "membership"("person_id");

-- CreateIndex
CREATE UNIQUE INDEX "system_kind_name_key" ON "system"("kind", "name");

-- CreateIndex
CREATE INDEX "service_kind_team_id_name_idx" ON "service"("kind", "team_id", "name");

-- CreateIndex
CREATE INDEX "service_kind_tier_name_idx" ON "service"("kind", "tier", "name");

-- CreateIndex
CREATE INDEX "service_kind_lifecycle_name_idx" ON "service"("kind", "lifecycle", "name");

-- CreateIndex
CREATE INDEX "service_kind_updated_at_id_idx" ON "service"("kind", "updated_at" DESC, "id");

-- CreateIndex
CREATE INDEX "service_tags_idx" ON "service" USING GIN ("tags");

-- CreateIndex
CREATE UNIQUE INDEX "service_kind_name_key" ON "service"("kind", "name");

-- CreateIndex
CREATE INDEX "dependency_target_kind_target_name_idx" ON "dependency"("target_kind", "target_name");

-- CreateIndex
CREATE UNIQUE INDEX "environment_name_key" ON "environment"("name");

-- AddForeignKey
ALTER TABLE "team" ADD CONSTRAINT "team_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership" ADD CONSTRAINT "membership_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership" ADD CONSTRAINT "membership_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "system" ADD CONSTRAINT "system_owner_team_id_fkey" FOREIGN KEY ("owner_team_id") REFERENCES "team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service" ADD CONSTRAINT "service_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dependency" ADD CONSTRAINT "dependency_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written below: search and facet support that Prisma's schema language cannot express. Objects are named
-- "manual_*" so `npm run db:migration` never drops them.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The text full-text search runs over. IMMUTABLE so it can back an expression index.
CREATE FUNCTION manual_service_document(name text, title text, description text, tags text[])
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(title, '')), 'A')
      || setweight(to_tsvector('simple', coalesce(array_to_string(tags, ' '), '')), 'B')
      || setweight(to_tsvector('simple', coalesce(description, '')), 'C')
$$;

CREATE INDEX manual_service_fts ON service USING gin (manual_service_document(name, title, description, tags));
CREATE INDEX manual_service_name_trgm ON service USING gin ((lower(name || ' ' || coalesce(title, ''))) gin_trgm_ops);
CREATE INDEX manual_service_name_prefix ON service (kind, name text_pattern_ops);
CREATE INDEX manual_team_name_trgm ON team USING gin ((lower(name || ' ' || coalesce(title, ''))) gin_trgm_ops);

-- Facet counts for the unfiltered catalogue, kept exact in the same transaction as every change to `service`.
CREATE FUNCTION manual_service_facet_delta(r service, delta int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t text;
BEGIN
  INSERT INTO service_facet_count (kind, facet, value, count) VALUES
    (r.kind, 'total', '', delta),
    (r.kind, 'team', coalesce(r.team_id::text, ''), delta),
    (r.kind, 'tier', coalesce(r.tier::text, ''), delta),
    (r.kind, 'lifecycle', r.lifecycle, delta)
  ON CONFLICT (kind, facet, value) DO UPDATE SET count = service_facet_count.count + EXCLUDED.count;
  FOREACH t IN ARRAY coalesce(r.tags, '{}') LOOP
    INSERT INTO service_facet_count (kind, facet, value, count) VALUES (r.kind, 'tag', t, delta)
    ON CONFLICT (kind, facet, value) DO UPDATE SET count = service_facet_count.count + EXCLUDED.count;
  END LOOP;
END $$;

CREATE FUNCTION manual_service_facet_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.kind = OLD.kind AND NEW.team_id IS NOT DISTINCT FROM OLD.team_id
     AND NEW.tier IS NOT DISTINCT FROM OLD.tier AND NEW.lifecycle = OLD.lifecycle AND NEW.tags = OLD.tags THEN
    RETURN NEW;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM manual_service_facet_delta(OLD, -1); END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM manual_service_facet_delta(NEW, 1); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER manual_service_facets AFTER INSERT OR UPDATE OR DELETE ON service
  FOR EACH ROW EXECUTE FUNCTION manual_service_facet_trigger();
