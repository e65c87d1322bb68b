-- Catalogue search and sorting at 100,000 services. Hand-written (manual_*): Prisma's schema language has neither
-- generated columns nor expression indexes, and db:migration never drops manual_ objects.

-- The full-text document, stored: a search that has to look at a row (an index recheck, a walk of the name index)
-- reads it instead of computing to_tsvector over the row's text again.
ALTER TABLE service ADD COLUMN manual_search_document tsvector
  GENERATED ALWAYS AS (manual_service_document(name, title, description, tags)) STORED;
DROP INDEX manual_service_fts;
CREATE INDEX manual_service_fts ON service USING gin (manual_search_document);

-- The "tier" sort orders by coalesce(tier, 99), name (services without a tier last): without this index every
-- first page of that sort read the whole table.
CREATE INDEX manual_service_kind_tier_order ON service (kind, (coalesce(tier, 99)), name);
