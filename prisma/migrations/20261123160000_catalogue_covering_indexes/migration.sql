-- Facet counts under a filter, and capped counts of filtered lists, read a sample of the matching services' facet
-- values. From the table that sample costs a heap page per service (the rows are wide: descriptions, links, the
-- search document); this narrow covering index answers it with index-only scans, about 80 services a page.
-- Hand-written (manual_*): Prisma's schema language has no INCLUDE.
CREATE INDEX manual_service_facet_values ON service (kind, lifecycle, tier, team_id) INCLUDE (tags);

-- A filtered page (by tag, say) walks names in order and keeps the rows that match: thousands of rows for a page of
-- 50. With the filtered columns in the index that walk is index-only, and only the page's own rows are read from the
-- table. (It repeats the key of the unique (kind, name) index: Prisma's schema language cannot add INCLUDE to that.)
CREATE INDEX manual_service_name_covering ON service (kind, name) INCLUDE (team_id, tier, lifecycle, tags);
