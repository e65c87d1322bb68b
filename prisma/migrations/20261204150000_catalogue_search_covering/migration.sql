-- A search with many name or title matches reads its page by walking names in order and keeping the rows that
-- match: thousands of rows for a page of 50, each a heap page (the rows are wide) when the title must be tested.
-- With the title in the covering name index that walk is index-only. The search document stays out: an index
-- entry holds at most 2,704 bytes, and a 5,000-character description's document alone can exceed that; with titles
-- of at most 200 characters and at most 20 tags of 63 an entry stays under about 2,400.
-- Hand-written (manual_*): Prisma's schema language has no INCLUDE.
DROP INDEX IF EXISTS manual_service_name_covering;
CREATE INDEX manual_service_name_covering ON service (kind, name) INCLUDE (title, team_id, tier, lifecycle, tags);
