-- A search with many matches reads its page by walking names in order and keeping the rows that match: thousands of
-- rows for a page of 50, each a heap page (the rows are wide) when the title or the search document must be tested.
-- With both in the covering name index that walk is index-only (about 0.3 µs an entry instead of 15 µs a row), so
-- substring and full-text matches past a page, and searches sorted by name, never sort every match.
-- Hand-written (manual_*): Prisma's schema language has no INCLUDE.
DROP INDEX IF EXISTS manual_service_name_covering;
CREATE INDEX manual_service_name_covering ON service (kind, name) INCLUDE (title, manual_search_document, team_id, tier, lifecycle, tags);
